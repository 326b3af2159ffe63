"""The registry screens: access by role, UUID addressing, the intake flow and bad input."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ventanilla.accounts.choices import Role
from ventanilla.accounts.permissions import ROLE_CAPABILITIES, Cap
from ventanilla.core.models import AuditEvent
from ventanilla.privacy.models import Consent
from ventanilla.registry import services
from ventanilla.registry.models import (
    DifferentialApproach,
    Household,
    IdentityDocument,
    Membership,
    Person,
    Visit,
)

PASSPORT = {
    "document_type": "passport",
    "number": "X123456",
    "issuing_country": "VE",
    "issued_on": date(2018, 1, 1),
    "expires_on": date(2030, 1, 1),
}

NO_REGISTRY = ["analyst", "partner", "admin", "outsider"]
VIEWERS = ["intake", "case_worker", "coordinator", "legal"]
EDITORS = ["intake", "case_worker", "coordinator"]


@pytest.fixture
def person(world, make_person):
    """A person with a document, a granted consent and a household."""
    person = make_person(documents=[PASSPORT], consents={"receive_services": True})
    services.household_register(
        actor=world.intake, members=[{"person": person, "relationship": "head"}]
    )
    return person


def _endpoints(person):
    """(name, method, url, roles allowed, status for an allowed role) of every registry screen.

    POST screens are sent an empty form: they answer with a redirect (and a message) or with
    the form and its errors.
    """
    p = person.uuid
    h = Membership.objects.get(person=person, end_date__isnull=True).household.uuid
    document = person.documents.get()
    consent = Consent.objects.get(person=person, purpose="receive_services")
    return [
        ("search", "get", reverse("registry:search") + "?q=perez", VIEWERS, 200),
        ("household_register", "get", reverse("registry:household_register"), EDITORS, 200),
        (
            "member_form",
            "get",
            reverse("registry:member_form") + "?members-TOTAL_FORMS=1",
            EDITORS,
            200,
        ),
        ("household_detail", "get", reverse("registry:household_detail", args=[h]), VIEWERS, 200),
        (
            "household_add_member",
            "get",
            reverse("registry:household_add_member", args=[h]),
            EDITORS,
            200,
        ),
        (
            "household_register_member",
            "post",
            reverse("registry:household_register_member", args=[h]),
            EDITORS,
            200,
        ),
        ("person_detail", "get", reverse("registry:person_detail", args=[p]), VIEWERS, 200),
        ("person_edit", "get", reverse("registry:person_edit", args=[p]), EDITORS, 200),
        (
            "population_group_change",
            "post",
            reverse("registry:population_group_change", args=[p]),
            EDITORS,
            302,
        ),
        ("document_add", "get", reverse("registry:document_add", args=[p]), EDITORS, 200),
        (
            "document_remove",
            "get",
            reverse("registry:document_remove", args=[p, document.uuid]),
            EDITORS,
            200,
        ),
        ("visit_create", "get", reverse("registry:visit_create", args=[p]), VIEWERS, 200),
        ("consent_update", "post", reverse("registry:consent_update", args=[p]), EDITORS, 302),
        (
            "consent_withdraw",
            "get",
            reverse("registry:consent_withdraw", args=[p, consent.uuid]),
            EDITORS,
            200,
        ),
        ("household_start", "post", reverse("registry:household_start", args=[p]), EDITORS, 302),
        ("membership_end", "post", reverse("registry:membership_end", args=[p]), EDITORS, 302),
    ]


ENDPOINT_NAMES = [
    "search",
    "household_register",
    "member_form",
    "household_detail",
    "household_add_member",
    "household_register_member",
    "person_detail",
    "person_edit",
    "population_group_change",
    "document_add",
    "document_remove",
    "visit_create",
    "consent_update",
    "consent_withdraw",
    "household_start",
    "membership_end",
]
POST_ONLY = [
    name
    for name in ENDPOINT_NAMES
    if name
    in (
        "household_register_member",
        "population_group_change",
        "consent_update",
        "household_start",
        "membership_end",
    )
]


def _endpoint(person, name):
    return next(e for e in _endpoints(person) if e[0] == name)


def test_every_registry_url_is_covered():
    from ventanilla.registry.urls import urlpatterns

    assert sorted(p.name for p in urlpatterns) == sorted(ENDPOINT_NAMES)


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_it_sends_anonymous_users_to_login(client, person, name):
    _name, method, url, _roles, _ok = _endpoint(person, name)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_it_checks_permission(client, world, person, name):
    _name, method, url, _roles, _ok = _endpoint(person, name)
    for actor in NO_REGISTRY:
        client.force_login(getattr(world, actor))
        assert getattr(client, method)(url).status_code == 403, actor
    assert Person.objects.get(pk=person.pk).updated_at == person.updated_at
    assert Membership.objects.filter(person=person, end_date__isnull=True).exists()


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_legal_specialist_may_view_persons_but_not_edit(client, world, person, name):
    _name, method, url, roles, ok = _endpoint(person, name)
    client.force_login(world.legal)
    response = getattr(client, method)(url)
    if "legal" in roles:
        assert response.status_code == ok
    else:
        assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).updated_at == person.updated_at


@pytest.mark.parametrize("actor", EDITORS)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_it_works_for_roles_with_permission(client, world, person, name, actor):
    _name, method, url, roles, ok = _endpoint(person, name)
    assert actor in roles
    client.force_login(getattr(world, actor))
    response = getattr(client, method)(url)
    assert response.status_code == ok


def test_post_only_screens_refuse_get(client, world, person):
    client.force_login(world.intake)
    for name in POST_ONLY:
        _name, _method, url, _roles, _ok = _endpoint(person, name)
        assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    "route",
    [
        "person_detail",
        "person_edit",
        "document_add",
        "visit_create",
        "population_group_change",
        "consent_update",
        "household_start",
        "membership_end",
        "household_detail",
        "household_add_member",
        "household_register_member",
    ],
)
def test_it_returns_404_for_an_unknown_uuid(client, world, person, route):
    client.force_login(world.coordinator)
    url = reverse(f"registry:{route}", args=[uuid.uuid4()])
    method = client.post if route in POST_ONLY else client.get
    assert method(url).status_code == 404


def test_persons_are_addressed_by_uuid_never_by_id(client, world, person):
    client.force_login(world.intake)
    assert client.get(f"/registry/persons/{person.pk}/").status_code == 404
    assert client.get(reverse("registry:person_detail", args=[person.uuid])).status_code == 200


def test_documents_and_consents_must_belong_to_the_person_in_the_url(
    client, world, person, make_person
):
    other = make_person(
        given_names="Otra",
        documents=[{**PASSPORT, "number": "Z999"}],
        consents={"receive_services": True},
    )
    other_doc = other.documents.get()
    other_consent = Consent.objects.get(person=other)
    client.force_login(world.intake)
    urls = [
        reverse("registry:document_remove", args=[person.uuid, other_doc.uuid]),
        reverse("registry:document_remove", args=[person.uuid, uuid.uuid4()]),
        reverse("registry:consent_withdraw", args=[person.uuid, other_consent.uuid]),
        reverse("registry:consent_withdraw", args=[person.uuid, uuid.uuid4()]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Error"}).status_code == 404
    assert IdentityDocument.objects.filter(pk=other_doc.pk).exists()
    assert Consent.objects.get(pk=other_consent.pk).withdrawn_at is None


def test_membership_end_without_a_household_is_404(client, world, make_person):
    lonely = make_person()
    client.force_login(world.intake)
    url = reverse("registry:membership_end", args=[lonely.uuid])
    assert client.post(url).status_code == 404


# --- The intake flow -------------------------------------------------------------------------


def _member(index: int, **fields) -> dict:
    values = {
        "relationship": "head",
        "given_names": "Ana",
        "first_surname": "Rincón",
        "second_surname": "Soto",
        "preferred_name": "",
        "birth_date": "1988-03-02",
        "approximate_age": "",
        "sex": "female",
        "nationality": "VE",
        "second_nationality": "",
        "population_group": "settled",
        "document_type": "",
        "document_number": "",
        "document_country": "",
        "document_expires_on": "",
        "phone": "",
    }
    values.update(fields)
    return {f"members-{index}-{key}": value for key, value in values.items()}


def _household_post(*members: dict, **household) -> dict:
    data = {
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "20",
        "locality": "",
        "address": "",
        "consent_receive_services": "on",
        "consent_anonymous_statistics": "on",
    }
    data.update(household)
    for index, member in enumerate(members):
        data.update(_member(index, **member))
    return data


def _input_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no field {name} in the page"
    return match.group(0)


def test_intake_flow_search_register_household_record_visit(client, world):
    client.force_login(world.intake)

    # 1. Search: nobody matches, registration is offered with the typed values.
    query = "Ana Rincón Soto V-12345678"
    response = client.get(reverse("registry:search"), {"q": query})
    assert response.status_code == 200
    assert response.context["searched"] and response.context["results"] == []
    html = response.content.decode()
    link = re.search(r'href="(/registry/register/\?q=[^"]+)"', html)
    assert link, "an empty search must offer registration"

    # 2. The registration form starts with what was typed.
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    first = response.context["formset"].forms[0]
    assert first.initial["given_names"] == "Ana"
    assert first.initial["first_surname"] == "Rincón"
    assert first.initial["second_surname"] == "Soto"
    assert first.initial["document_number"] == "V-12345678"
    assert first.initial["relationship"] == "head"
    html = response.content.decode()
    assert 'value="Rincón"' in _input_tag(html, "members-0-first_surname")
    assert 'value="V-12345678"' in _input_tag(html, "members-0-document_number")

    # 3. A three-member household, saved at once.
    response = client.post(
        reverse("registry:household_register"),
        _household_post(
            {
                "document_type": "ve_cedula",
                "document_number": "V-12345678",
                "document_country": "VE",
            },
            {
                "relationship": "spouse",
                "given_names": "Luis",
                "first_surname": "Mora",
                "sex": "male",
                "birth_date": "",
                "approximate_age": "40",
            },
            {
                "relationship": "child",
                "given_names": "Sofía",
                "first_surname": "Mora",
                "birth_date": "2015-06-01",
            },
            locality=str(world.locality.pk),
            address="Carrera 7 # 8-9",
        ),
    )
    assert response.status_code == 302, response.context and response.context["formset"].errors
    household = Household.objects.get()
    members = {m.relationship: m.person for m in household.memberships.all()}
    assert set(members) == {"head", "spouse", "child"}
    head = members["head"]
    assert head.full_name == "Ana Rincón Soto"
    assert head.documents.get().number_key == "12345678"  # a cédula's V is dropped
    assert members["spouse"].birth_date_estimated and members["spouse"].age() == 40
    assert household.locality == world.locality
    assert Consent.objects.filter(purpose="receive_services", granted=True).count() == 3
    assert response["Location"] == reverse("registry:visit_create", args=[head.uuid])

    # 4. The visit form offers the household; record a visit for two of them.
    response = client.get(response["Location"])
    assert response.status_code == 200
    offered = {value for value, _label in response.context["form"].fields["persons"].choices}
    assert offered == {str(p.uuid) for p in members.values()}
    response = client.post(
        reverse("registry:visit_create", args=[head.uuid]),
        {
            "attention_point": str(world.point.pk),
            "persons": [str(head.uuid), str(members["child"].uuid)],
            "reasons": ["health", "documentation"],
            "orientation_topics": ["rights"],
            "note": "Primera visita de la familia",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_detail", args=[head.uuid])
    visit = Visit.objects.get()
    assert set(visit.persons.all()) == {head, members["child"]}
    assert visit.staff == world.intake and visit.household == household

    # 5. The person page shows the visit.
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert list(response.context["visits"]) == [visit]
    html = response.content.decode()
    assert "Primera visita de la familia" in html
    assert world.point.name in html
    head.refresh_from_db()
    assert head.last_visit_at == visit.occurred_at


def test_search_finds_persons_and_register_link_is_only_for_editors(client, world, make_person):
    person = make_person(given_names="Marisol", first_surname="Quintero")
    client.force_login(world.legal)
    response = client.get(reverse("registry:search"), {"q": "quintero marisol"})
    assert response.status_code == 200
    assert response.context["results"] == [person]
    assert reverse("registry:person_detail", args=[person.uuid]) in response.content.decode()
    response = client.get(reverse("registry:search"), {"q": "nadie"})
    assert "/registry/register/" not in response.content.decode()


def test_search_htmx_request_renders_only_the_results(client, world, make_person):
    make_person(given_names="Marisol", first_surname="Quintero")
    client.force_login(world.intake)
    response = client.get(reverse("registry:search"), {"q": "quintero"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Marisol" in html
    assert "<html" not in html


def test_member_form_adds_a_member_with_the_next_index(client, world):
    client.force_login(world.intake)
    response = client.get(reverse("registry:member_form"), {"members-TOTAL_FORMS": "2"})
    html = response.content.decode()
    assert 'name="members-2-given_names"' in html
    assert "<html" not in html


# --- Bad input -------------------------------------------------------------------------------


def _nothing_saved():
    assert Person.objects.count() == 0
    assert Household.objects.count() == 0
    assert Membership.objects.count() == 0
    assert Consent.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="registry.").exists()


def test_missing_fields_are_shown_next_to_the_fields(client, world):
    client.force_login(world.intake)
    response = client.post(
        reverse("registry:household_register"), _household_post({"given_names": "", "sex": ""})
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert set(errors) == {"given_names", "sex"}
    html = response.content.decode()
    for name in ("members-0-given_names", "members-0-sex"):
        tag = _input_tag(html, name)
        assert 'aria-invalid="true"' in tag and "is-invalid" in tag
    assert 'aria-invalid="true"' not in _input_tag(html, "members-0-first_surname")
    # The message sits next to its field, tied to it for screen readers, in Spanish (Django's
    # own catalog has it; ours may not be translated yet).
    described = re.search(
        r'aria-describedby="([^"]*_error)"', _input_tag(html, "members-0-given_names")
    ).group(1)
    with translation.override("es"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert re.search(rf'id="{described}"[^>]*>\s*<div[^>]*>{required}</div>', html)
    _nothing_saved()


def test_birth_date_or_age_is_required(client, world):
    client.force_login(world.intake)
    response = client.post(
        reverse("registry:household_register"),
        _household_post({"birth_date": "", "approximate_age": ""}),
    )
    assert response.status_code == 200
    assert list(response.context["formset"].forms[0].errors) == ["birth_date"]
    _nothing_saved()


def test_a_household_without_a_head_is_refused(client, world):
    client.force_login(world.intake)
    response = client.post(
        reverse("registry:household_register"),
        _household_post(
            {"relationship": "spouse"}, {"relationship": "child", "given_names": "Leo"}
        ),
    )
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    _nothing_saved()


def test_a_duplicate_document_is_refused_with_a_link_to_its_holder(client, world, make_person):
    holder = make_person(given_names="Carmen", documents=[PASSPORT])
    client.force_login(world.intake)
    response = client.post(
        reverse("registry:household_register"),
        _household_post(
            {},
            {
                "relationship": "child",
                "given_names": "Leo",
                "document_type": "passport",
                "document_number": "x-123.456",
                "document_country": "VE",
            },
        ),
    )
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert not forms[0].errors
    assert list(forms[1].errors) == ["document_number"]
    html = response.content.decode()
    holder_url = reverse("registry:person_detail", args=[holder.uuid])
    assert f'<a href="{holder_url}">{holder.full_name}</a>' in html
    assert Person.objects.get() == holder
    assert Household.objects.count() == 0


def test_a_birth_date_in_the_future_is_refused(client, world):
    client.force_login(world.intake)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("registry:household_register"),
        _household_post({"birth_date": tomorrow.isoformat()}),
    )
    assert response.status_code == 200
    assert list(response.context["formset"].forms[0].errors) == ["birth_date"]
    assert 'aria-invalid="true"' in _input_tag(response.content.decode(), "members-0-birth_date")
    _nothing_saved()


def test_one_bad_member_saves_nothing_of_the_household(client, world):
    client.force_login(world.intake)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("registry:household_register"),
        _household_post(
            {},
            {"relationship": "spouse", "given_names": "Luis"},
            {"relationship": "child", "given_names": "Leo", "birth_date": tomorrow.isoformat()},
        ),
    )
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert not forms[0].errors and not forms[1].errors
    assert list(forms[2].errors) == ["birth_date"]
    _nothing_saved()


def test_document_add_refuses_a_duplicate_with_a_link_and_saves_nothing(
    client, world, person, make_person
):
    other = make_person(given_names="Otra")
    client.force_login(world.case_worker)
    response = client.post(
        reverse("registry:document_add", args=[other.uuid]),
        {
            "document_type": "passport",
            "number": "X123456",
            "issuing_country": "VE",
            "issued_on": "",
            "expires_on": "",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number"]
    holder_url = reverse("registry:person_detail", args=[person.uuid])
    assert f'href="{holder_url}"' in response.content.decode()
    assert not other.documents.exists()


def test_document_add_works(client, world, person):
    client.force_login(world.case_worker)
    response = client.post(
        reverse("registry:document_add", args=[person.uuid]),
        {
            "document_type": "ppt",
            "number": "PPT-777",
            "issuing_country": "CO",
            "issued_on": "2022-01-10",
            "expires_on": "",
        },
    )
    assert response.status_code == 302
    assert person.documents.filter(document_type="ppt", number_key="PPT777").exists()
    person.refresh_from_db()
    assert "ppt777" in person.search_text


def test_document_remove_needs_a_reason(client, world, person):
    document = person.documents.get()
    url = reverse("registry:document_remove", args=[person.uuid, document.uuid])
    client.force_login(world.intake)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert IdentityDocument.objects.filter(pk=document.pk).exists()
    response = client.post(url, {"reason": "Número mal escrito"})
    assert response.status_code == 302
    assert not IdentityDocument.objects.filter(pk=document.pk).exists()


# --- Editing ---------------------------------------------------------------------------------


def _edit_post(html: str, **changes) -> dict:
    """The edit form as the browser would send it back, with some changes."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if kind and kind.group(1) in ("checkbox", "radio"):
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1) if value else "on")
            continue
        data[name.group(1)] = value.group(1).replace("&amp;", "&") if value else ""
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = (
            chosen if "multiple" in select.group(0) else (chosen[0] if chosen else "")
        )
    data.update(changes)
    return data


def test_person_edit_works(client, world, person):
    client.force_login(world.case_worker)
    url = reverse("registry:person_edit", args=[person.uuid])
    response = client.get(url)
    assert response.status_code == 200
    data = _edit_post(
        response.content.decode(), phone="300 555 1234", **{"d-survivor_of_gbv": "true"}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.phone == "300 555 1234"
    assert person.given_names == "María José"
    assert person.birth_date == date(1990, 5, 17)
    assert person.differential_approach.survivor_of_gbv is True


def test_person_edit_with_a_stale_version_is_refused_and_changes_nothing(client, world, person):
    client.force_login(world.intake)
    url = reverse("registry:person_edit", args=[person.uuid])
    data = _edit_post(client.get(url).content.decode(), given_names="Mariana")
    # Someone else saves in between.
    services.person_update(
        actor=world.case_worker,
        person=person,
        fields={"phone": "301 000 0000"},
        expected_version=person.updated_at,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    with translation.override("es"):
        conflict = translation.gettext(
            "Someone else changed this person while you were editing. "
            "Reload the page to see their changes, then edit again."
        )
    assert form.non_field_errors() == [conflict]
    assert conflict in response.content.decode()
    person.refresh_from_db()
    assert person.given_names == "María José"
    assert person.phone == "301 000 0000"
    assert AuditEvent.objects.filter(action="registry.person.updated").count() == 1


def test_person_edit_refuses_impossible_dates_next_to_the_field(client, world, person):
    client.force_login(world.intake)
    url = reverse("registry:person_edit", args=[person.uuid])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = _edit_post(client.get(url).content.decode(), arrival_city_date=tomorrow)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "arrival_city_date" in response.context["form"].errors
    person.refresh_from_db()
    assert person.arrival_city_date is None


def test_population_group_change_through_the_screen(client, world, person):
    client.force_login(world.intake)
    url = reverse("registry:population_group_change", args=[person.uuid])
    response = client.post(
        url, {"group": "returnee", "since": timezone.localdate().isoformat()}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    person.refresh_from_db()
    assert person.population_group == "returnee"
    response = client.post(url, {"group": "returnee", "since": "2000-01-01"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    person.refresh_from_db()
    assert person.population_group == "returnee"


# --- The differential approach (sensitive) ----------------------------------------------------


@pytest.fixture
def sensitive_person(world, person):
    services.person_update(
        actor=world.case_worker,
        person=person,
        fields={},
        expected_version=None,
        differential={"survivor_of_trafficking": True, "gender_identity": "trans_woman"},
    )
    return person


@pytest.mark.parametrize("actor", ["case_worker", "intake", "coordinator", "legal"])
def test_sensitive_section_is_shown_to_roles_that_may_see_it(
    client, world, sensitive_person, actor
):
    client.force_login(getattr(world, actor))
    response = client.get(reverse("registry:person_detail", args=[sensitive_person.uuid]))
    assert response.status_code == 200
    assert response.context["differential"] == sensitive_person.differential_approach
    assert 'id="h-diff"' in response.content.decode()


@pytest.mark.parametrize("actor", NO_REGISTRY)
def test_roles_without_sensitive_access_cannot_reach_the_person(
    client, world, sensitive_person, actor
):
    """Every role that sees persons may see sensitive data (the matrix); the rest see nothing."""
    user = getattr(world, actor)
    client.force_login(user)
    assert (
        client.get(reverse("registry:person_detail", args=[sensitive_person.uuid])).status_code
        == 403
    )
    response = client.get(f"/api/v1/persons/{sensitive_person.uuid}/")
    assert response.status_code == 403
    assert "differential" not in response.content.decode()


def test_a_role_that_sees_persons_but_not_sensitive_data_gets_no_differential(
    client, world, sensitive_person, monkeypatch
):
    """No role is like this today; the screens and API must hold if one appears."""
    monkeypatch.setitem(
        ROLE_CAPABILITIES, Role.SPECIALIST_LEGAL, frozenset({Cap.VIEW_PERSON, Cap.RECORD_VISIT})
    )
    client.force_login(world.legal)
    response = client.get(reverse("registry:person_detail", args=[sensitive_person.uuid]))
    assert response.status_code == 200
    assert response.context["differential"] is None
    html = response.content.decode()
    assert 'id="h-diff"' not in html
    assert "Trans" not in html
    response = client.get(f"/api/v1/persons/{sensitive_person.uuid}/")
    assert response.status_code == 200
    assert response.json()["differential"] is None
    assert response.json()["id"] == str(sensitive_person.uuid)


def test_an_editor_without_sensitive_access_gets_no_differential_form(
    client, world, sensitive_person, monkeypatch
):
    monkeypatch.setitem(
        ROLE_CAPABILITIES, Role.INTAKE, frozenset({Cap.VIEW_PERSON, Cap.EDIT_PERSON})
    )
    client.force_login(world.intake)
    url = reverse("registry:person_edit", args=[sensitive_person.uuid])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["diff_form"] is None
    assert 'name="d-survivor_of_trafficking"' not in response.content.decode()
    data = _edit_post(
        response.content.decode(), phone="300 123 4567", **{"d-survivor_of_trafficking": "false"}
    )
    assert client.post(url, data).status_code == 302
    record = DifferentialApproach.objects.get(person=sensitive_person)
    assert record.survivor_of_trafficking is True
