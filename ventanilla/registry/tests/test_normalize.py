from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ventanilla.registry import normalize

TODAY = date(2026, 11, 21)


def test_fold_removes_accents_case_and_punctuation():
    assert normalize.fold("MARÍA-JOSÉ  Peña De la Hoz") == "maria jose pena de la hoz"


def test_document_key_keeps_letters_and_digits_only():
    assert normalize.document_key("V-12.345.678") == "V12345678"
    assert normalize.document_key(" ab 12 ") == "AB12"


def test_search_text_joins_names_documents_and_phone_digits():
    text = normalize.search_text(names=["José Ángel", "Núñez", ""],
                                 document_numbers=["V-1.234"], phones=["+57 300 123 4567"])
    assert text == "jose angel nunez v1234 573001234567"


def test_parse_query_reads_a_birth_date_and_keeps_name_tokens():
    parsed = normalize.parse_query("Pérez maría 17/05/1990", today=TODAY)
    assert parsed["tokens"] == ["perez", "maria"]
    assert parsed["birth_date"] == date(1990, 5, 17)


def test_parse_query_reads_a_year_beside_names_as_birth_year():
    parsed = normalize.parse_query("maria rodriguez 1990", today=TODAY)
    assert parsed["birth_year"] == 1990
    assert parsed["tokens"] == ["maria", "rodriguez"]


def test_parse_query_keeps_a_lone_number_as_text():
    parsed = normalize.parse_query("1990", today=TODAY)
    assert parsed["birth_year"] is None
    assert parsed["tokens"] == ["1990"]


def test_impossible_date_is_not_a_birth_date():
    assert normalize.parse_birth_date("31/02/1990") is None


@given(st.text())
def test_fold_is_idempotent_and_ascii(text):
    folded = normalize.fold(text)
    assert normalize.fold(folded) == folded
    assert all(ch.isascii() for ch in folded)


@given(st.text(max_size=60))
def test_parse_query_never_raises(text):
    parsed = normalize.parse_query(text, today=TODAY)
    assert isinstance(parsed["tokens"], list)
