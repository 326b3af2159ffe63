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


def fold(text: str) -> str:
    """Lower case, accents removed (ñ becomes n), punctuation turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()


def document_key(number: str) -> str:
    """A document number as compared: letters and digits only, upper case."""
    return fold(number).replace(" ", "").upper()


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def search_text(*, names: list[str], document_numbers: list[str], phones: list[str]) -> str:
    """The one column the search box looks in: folded names, documents and phone digits."""
    parts = [fold(n) for n in names if n]
    parts += [document_key(d).lower() for d in document_numbers if d]
    parts += [phone_digits(p) for p in phones if phone_digits(p)]
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


def parse_query(query: str, *, today: date) -> dict:
    """Split a search box into text tokens, and a birth date or year when one is given.

    A four-digit number between 1900 and this year beside other words is read as a birth
    year ("maria rodriguez 1990"), since name searches alone are often ambiguous.
    """
    raw_tokens = (query or "").split()
    birth_date = None
    tokens: list[str] = []
    for raw in raw_tokens:
        parsed = parse_birth_date(raw)
        if parsed is not None:
            birth_date = parsed
            continue
        tokens.extend(t for t in fold(raw).split() if t)
    birth_year = None
    if any(not t.isdigit() for t in tokens):
        for token in tokens:
            if len(token) == 4 and token.isdigit() and 1900 <= int(token) <= today.year:
                birth_year = int(token)
                tokens.remove(token)
                break
    # Document numbers are stored without separators: "V-12.345.678" -> "v12345678".
    compact = document_key(query).lower() if query and len(raw_tokens) == 1 else ""
    return {"tokens": tokens, "birth_date": birth_date, "birth_year": birth_year,
            "compact": compact}
