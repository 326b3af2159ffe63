"""Text normalization for search-before-register. Pure Python, no Django.

Names are compared without accents, case or punctuation, so that "MARÍA JOSÉ PEÑA" and
"maria jose pena" meet; document numbers without separators; phones by their digits.
"""

import re
import unicodedata
from datetime import date

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VE_CEDULA = re.compile(r"^V\d{5,}$")
_PREFIXED_NUMBER = re.compile(r"^[a-z]{1,2}\d{5,}$")


def fold(text: str) -> str:
    """Lower case, accents removed (ñ becomes n), punctuation turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()


def document_key(number: str, document_type: str = "") -> str:
    """A document number as compared: letters and digits only, upper case.

    A Venezuelan cédula is written "V-12.345.678", "V12345678" or "12345678": the "V"
    (venezolano) is not part of the number, so it is dropped and all three meet.
    """
    key = fold(number).replace(" ", "").upper()
    if document_type == "ve_cedula" and _VE_CEDULA.match(key):
        key = key[1:]
    return key


def sort_key(*, first_surname: str, second_surname: str, given_names: str) -> str:
    """Alphabetical order as people expect it: accents and case do not move a name."""
    return fold(f"{first_surname} {second_surname} {given_names}")[:250]


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def search_text(*, names: list[str], document_numbers: list[str], phones: list[str]) -> str:
    """The one column the search box looks in: folded names, documents and phone digits."""
    parts = [fold(n) for n in names if n]
    parts += [document_key(d).lower() for d in document_numbers if d]
    for phone in phones:
        digits = phone_digits(phone)
        if digits:
            # Also the national number, so "3001234567" finds "+57 300 123 4567".
            parts += [digits] if len(digits) <= 10 else [digits, digits[-10:]]
    return " ".join(p for p in parts if p)


def parse_birth_date(token: str) -> date | None:
    for pattern, order in ((_DATE_DMY, (2, 1, 0)), (_DATE_ISO, (0, 1, 2))):
        match = pattern.match(token)
        if match:
            groups = match.groups()
            year, month, day = (int(groups[i]) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _query_tokens(raw_tokens: list[str]) -> list[str]:
    """Words are folded and split; a number is kept whole, whatever its separators.

    "V-29.299.111" is one token "29299111" (a cédula's "V" dropped, as in document_key), not
    four fragments that would also match pieces of other people's phones and documents.
    Short digit groups in a row ("300 123 4567") are one phone number.
    """
    tokens: list[str] = []
    digit_run: list[str] = []

    def flush():
        if digit_run:
            joined = "".join(digit_run)
            tokens.extend([joined] if len(joined) >= 7 else digit_run)
            digit_run.clear()

    for raw in raw_tokens:
        if raw.startswith("+") and raw[1:].isdigit() and len(raw) <= 4:
            flush()  # an international dialling code: phones are matched without it
            continue
        if any(ch.isdigit() for ch in raw):
            compact = document_key(raw).lower()
            if not compact:
                continue
            if compact.isdigit() and len(compact) <= 4:
                digit_run.append(compact)
                continue
            flush()
            if _PREFIXED_NUMBER.match(compact) and compact.startswith("v"):
                compact = compact[1:]
            tokens.append(compact)
        else:
            flush()
            tokens.extend(t for t in fold(raw).split() if t)
    flush()
    return tokens


def parse_query(query: str, *, today: date) -> dict:
    """Split a search box into text tokens, and a birth date or year when one is given.

    A four-digit number between 1900 and this year beside other words is read as a birth
    year ("maria rodriguez 1990"), since name searches alone are often ambiguous.
    """
    raw_tokens = (query or "").split()
    birth_date = None
    remaining: list[str] = []
    for raw in raw_tokens:
        parsed = parse_birth_date(raw)
        if parsed is not None:
            birth_date = parsed
        else:
            remaining.append(raw)
    tokens = _query_tokens(remaining)
    birth_year = None
    if any(not t.isdigit() for t in tokens):
        for token in tokens:
            if len(token) == 4 and token.isdigit() and 1900 <= int(token) <= today.year:
                birth_year = int(token)
                tokens.remove(token)
                break
    return {"tokens": tokens, "birth_date": birth_date, "birth_year": birth_year}
