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
    text = normalize.search_text(
        names=["José Ángel", "Núñez", ""], document_numbers=["V-1.234"], phones=["+57 300 123 4567"]
    )
    assert text == "jose angel nunez v1234 573001234567 3001234567"


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


def test_a_venezuelan_cedula_is_the_same_number_with_or_without_its_v():
    keys = {
        normalize.document_key(n, "ve_cedula") for n in ("V-12.345.678", "v12345678", "12345678")
    }
    assert keys == {"12345678"}
    assert normalize.document_key("V-12.345.678", "passport") == "V12345678"


def test_a_number_with_separators_is_one_token():
    assert normalize.parse_query("V-29.299.111", today=TODAY)["tokens"] == ["29299111"]
    assert normalize.parse_query("1.023.456.789", today=TODAY)["tokens"] == ["1023456789"]


def test_a_phone_in_groups_is_one_token_without_the_country_code():
    assert normalize.parse_query("+57 300 123 4567", today=TODAY)["tokens"] == ["3001234567"]
    assert normalize.parse_query("300 123 4567", today=TODAY)["tokens"] == ["3001234567"]


def test_sort_key_ignores_accents_and_case():
    keys = sorted(
        [
            normalize.sort_key(first_surname="Zambrano", second_surname="", given_names="Ana"),
            normalize.sort_key(first_surname="Álvarez", second_surname="Peña", given_names="Luis"),
        ]
    )
    assert keys == ["alvarez pena luis", "zambrano ana"]
