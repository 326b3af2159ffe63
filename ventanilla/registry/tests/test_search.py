"""person_search: what the search box finds, in what order, and how many."""

from datetime import date

import pytest

from ventanilla.registry.selectors import person_search


def _names(rows):
    return [p.full_name for p in rows]


def test_names_in_any_order_without_accents_or_case(world, make_person):
    make_person(given_names="María José", first_surname="Peña", second_surname="Núñez")
    make_person(given_names="José", first_surname="Pérez")
    rows, more = person_search(user=world.intake, query="NUNEZ jose maria")
    assert _names(rows) == ["María José Peña Núñez"] and more is False


def test_a_cedula_is_found_however_it_is_written(world, make_person):
    holder = make_person(
        documents=[{"document_type": "ve_cedula", "number": "12345678", "issuing_country": "VE"}]
    )
    other = make_person(
        given_names="Otra", first_surname="Aaron", phone="3112345678"
    )  # holds the digits inside a longer number
    for query in ("V-12.345.678", "v12345678", "12345678"):
        rows, _more = person_search(user=world.intake, query=query)
        assert [p.pk for p in rows] == [holder.pk, other.pk], query  # the whole number first


def test_a_phone_is_found_with_or_without_the_country_code(world, make_person):
    person = make_person(phone="+57 300 123 4567")
    for query in ("3001234567", "300 123 4567", "+57 300 123 4567"):
        rows, _more = person_search(user=world.intake, query=query)
        assert [p.pk for p in rows] == [person.pk], query


def test_birth_date_and_year_narrow(world, make_person):
    make_person(birth_date=date(1990, 5, 17))
    make_person(birth_date=date(1985, 1, 2))
    assert len(person_search(user=world.intake, query="maria perez")[0]) == 2
    assert len(person_search(user=world.intake, query="maria perez 1990")[0]) == 1
    rows, _more = person_search(user=world.intake, query="maria 02/01/1985")
    assert [p.birth_date for p in rows] == [date(1985, 1, 2)]


def test_results_are_in_alphabetical_order_whatever_the_accents(world, make_person):
    for surname in ("Zambrano", "Álvarez", "ortiz", "Núñez"):
        make_person(given_names="Ana", first_surname=surname, second_surname="")
    rows, _more = person_search(user=world.intake, query="ana")
    assert [p.first_surname for p in rows] == ["Álvarez", "Núñez", "ortiz", "Zambrano"]


def test_at_most_the_limit_with_a_flag_for_more(world, make_person):
    for i in range(7):
        make_person(given_names="Ana", first_surname=f"Apellido{chr(65 + i)}")
    rows, more = person_search(user=world.intake, query="ana", limit=5)
    assert len(rows) == 5 and more is True
    assert [p.first_surname for p in rows] == [f"Apellido{c}" for c in "ABCDE"]
    rows, more = person_search(user=world.intake, query="ana", limit=7)
    assert len(rows) == 7 and more is False


@pytest.mark.parametrize("actor", ["analyst", "partner", "admin", "outsider"])
def test_roles_without_the_registry_find_nobody(world, make_person, actor):
    make_person()
    assert person_search(user=getattr(world, actor), query="maria") == ([], False)


def test_an_empty_query_finds_nobody(world, make_person):
    make_person()
    assert person_search(user=world.intake, query="  -- ") == ([], False)
