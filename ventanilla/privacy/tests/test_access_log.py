"""The access log (every read of personal data) and consent: services, screens and API."""

import pytest
from django.urls import reverse

from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.core.models import AuditEvent
from ventanilla.privacy import services
from ventanilla.privacy.models import AccessedPerson, AccessEvent, Consent
from ventanilla.registry import services as registry


@pytest.fixture
def family(world, make_person):
    """A household of three (Ana heads it) and a stranger, with a visit of two members."""
    ana = make_person(
        given_names="Ana",
        first_surname="Rincón",
        documents=[{"document_type": "passport", "number": "AR100", "issuing_country": "VE"}],
        consents={"receive_services": True},
    )
    leo = make_person(given_names="Leo", first_surname="Rincón")
    eva = make_person(given_names="Eva", first_surname="Rincón")
    stranger = make_person(given_names="Zoe", first_surname="Durán")
    household = registry.household_register(
        actor=world.intake,
        members=[
            {"person": ana, "relationship": "head"},
            {"person": leo, "relationship": "child"},
            {"person": eva, "relationship": "child"},
        ],
    )
    registry.visit_record(
        actor=world.intake,
        persons=[ana, leo],
        household=household,
        attention_point=world.point,
        reasons=["health"],
    )
    AccessEvent.objects.all().delete()  # set-up is not a read
    return {"ana": ana, "leo": leo, "eva": eva, "stranger": stranger, "household": household}


def _only_event():
    event = AccessEvent.objects.get()
    persons = set(AccessedPerson.objects.filter(event=event).values_list("person_id", flat=True))
    return event, persons


def _ids(*persons):
    return {p.pk for p in persons}


# --- Screens ---------------------------------------------------------------------------------


def test_a_search_logs_the_persons_it_lists(client, world, family):
    client.force_login(world.case_worker)
    response = client.get(reverse("registry:search"), {"q": "rincon"})
    assert len(response.context["results"]) == 3
    event, persons = _only_event()
    assert (event.actor, event.channel, event.view) == (world.case_worker, "ui", "registry.search")
    assert persons == _ids(family["ana"], family["leo"], family["eva"])
    assert event.person_count == 3
    assert event.path == "/registry/?q=rincon"


def test_a_search_without_results_writes_nothing(client, world, family):
    client.force_login(world.intake)
    response = client.get(reverse("registry:search"), {"q": "nadie con este nombre"})
    assert response.status_code == 200 and response.context["results"] == []
    client.get(reverse("registry:search"))  # the empty search page
    assert not AccessEvent.objects.exists()


def test_the_person_page_logs_the_person_and_the_relatives_it_names(client, world, family):
    client.force_login(world.legal)
    response = client.get(reverse("registry:person_detail", args=[family["leo"].uuid]))
    html = response.content.decode()
    assert "Ana" in html and "Eva" in html  # the household list names them
    event, persons = _only_event()
    assert (event.actor, event.channel, event.view) == (world.legal, "ui", "registry.person_detail")
    assert persons == _ids(family["leo"], family["ana"], family["eva"])


def test_the_person_page_of_someone_alone_logs_only_them(client, world, family):
    client.force_login(world.intake)
    client.get(reverse("registry:person_detail", args=[family["stranger"].uuid]))
    event, persons = _only_event()
    assert persons == _ids(family["stranger"])


@pytest.mark.parametrize("route", ["person_edit", "document_add"])
def test_person_screens_log_one_read_of_the_person(client, world, family, route):
    client.force_login(world.case_worker)
    response = client.get(reverse(f"registry:{route}", args=[family["ana"].uuid]))
    assert response.status_code == 200
    event, persons = _only_event()
    assert (event.actor, event.view) == (world.case_worker, f"registry.{route}")
    assert persons == _ids(family["ana"])


def test_document_and_consent_screens_log_the_person(client, world, family):
    ana = family["ana"]
    client.force_login(world.intake)
    client.get(reverse("registry:document_remove", args=[ana.uuid, ana.documents.get().uuid]))
    consent = Consent.objects.get(person=ana)
    client.get(reverse("registry:consent_withdraw", args=[ana.uuid, consent.uuid]))
    events = AccessEvent.objects.order_by("id")
    assert [e.view for e in events] == ["registry.document_remove", "registry.consent_withdraw"]
    assert all(set(e.persons.values_list("person_id", flat=True)) == {ana.pk} for e in events)


def test_the_visit_form_logs_the_household_members_it_lists(client, world, family):
    client.force_login(world.legal)
    client.get(reverse("registry:visit_create", args=[family["eva"].uuid]))
    event, persons = _only_event()
    assert (event.actor, event.view) == (world.legal, "registry.visit_create")
    assert persons == _ids(family["ana"], family["leo"], family["eva"])


def test_the_household_page_logs_its_members(client, world, family):
    client.force_login(world.coordinator)
    client.get(reverse("registry:household_detail", args=[family["household"].uuid]))
    event, persons = _only_event()
    assert (event.actor, event.view) == (world.coordinator, "registry.household_detail")
    assert persons == _ids(family["ana"], family["leo"], family["eva"])


def test_refused_reads_write_nothing(client, world, family):
    for actor in (world.analyst, world.partner, world.admin, world.outsider):
        client.force_login(actor)
        client.get(reverse("registry:person_detail", args=[family["ana"].uuid]))
        client.get(reverse("registry:search"), {"q": "rincon"})
        client.get(f"/api/v1/persons/{family['ana'].uuid}/")
        client.get("/api/v1/persons/", {"q": "rincon"})
    client.logout()
    client.get(reverse("registry:person_detail", args=[family["ana"].uuid]))
    assert not AccessEvent.objects.exists()


def test_each_read_is_a_new_event(client, world, family):
    client.force_login(world.intake)
    url = reverse("registry:person_detail", args=[family["stranger"].uuid])
    client.get(url)
    client.get(url)
    assert AccessEvent.objects.filter(view="registry.person_detail").count() == 2
    assert AccessedPerson.objects.filter(person=family["stranger"]).count() == 2


# --- API -------------------------------------------------------------------------------------


def test_api_search_logs_the_persons_it_returns(client, world, family):
    client.force_login(world.intake)
    response = client.get("/api/v1/persons/", {"q": "rincon"})
    assert response.status_code == 200 and response.json()["count"] == 3
    event, persons = _only_event()
    assert (event.actor, event.channel, event.view) == (world.intake, "api", "api.persons.search")
    assert persons == _ids(family["ana"], family["leo"], family["eva"])


def test_api_search_without_results_writes_nothing(client, world, family):
    client.force_login(world.intake)
    response = client.get("/api/v1/persons/", {"q": "nadie"})
    assert response.status_code == 200 and response.json()["count"] == 0
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    "suffix, view",
    [
        ("", "api.persons.retrieve"),
        ("documents/", "api.persons.documents"),
        ("consents/", "api.persons.consents"),
    ],
)
def test_api_person_reads_are_logged(client, world, family, suffix, view):
    client.force_login(world.case_worker)
    response = client.get(f"/api/v1/persons/{family['ana'].uuid}/{suffix}")
    assert response.status_code == 200
    event, persons = _only_event()
    assert (event.actor, event.channel, event.view) == (world.case_worker, "api", view)
    assert persons == _ids(family["ana"])


def test_api_visits_and_household_reads_are_logged(client, world, family):
    client.force_login(world.intake)
    assert client.get("/api/v1/visits/", {"person": str(family["leo"].uuid)}).status_code == 200
    assert client.get(f"/api/v1/households/{family['household'].uuid}/").status_code == 200
    visits, household = AccessEvent.objects.order_by("id")
    assert visits.view == "api.visits.list"
    assert set(visits.persons.values_list("person_id", flat=True)) == _ids(family["leo"])
    assert household.view == "api.households.retrieve"
    assert set(household.persons.values_list("person_id", flat=True)) == _ids(
        family["ana"], family["leo"], family["eva"]
    )


def test_api_update_logs_the_person_returned(client, world, family):
    ana = family["ana"]
    client.force_login(world.case_worker)
    response = client.patch(
        f"/api/v1/persons/{ana.uuid}/", {"phone": "3001234567"}, content_type="application/json"
    )
    assert response.status_code == 200
    event, persons = _only_event()
    assert (event.view, persons) == ("api.persons.update", _ids(ana))


def test_api_unknown_person_writes_nothing(client, world, family):
    import uuid

    client.force_login(world.intake)
    assert client.get(f"/api/v1/persons/{uuid.uuid4()}/").status_code == 404
    assert not AccessEvent.objects.exists()


# --- The access log service and page --------------------------------------------------------


def test_access_record_takes_persons_or_ids_and_skips_empty_lists(world, family):
    assert (
        services.access_record(actor=world.intake, persons=[], channel="ui", view="x", path="/")
        is None
    )
    event = services.access_record(
        actor=world.intake,
        channel="ui",
        view="x",
        path="/" * 400,
        persons=[family["ana"], family["ana"].pk, family["leo"]],
    )
    assert event.person_count == 2 and len(event.path) == 300
    assert set(event.persons.values_list("person_id", flat=True)) == _ids(
        family["ana"], family["leo"]
    )


@pytest.mark.parametrize("actor", ["admin", "coordinator"])
def test_access_log_page_works_for_admin_and_coordinator(client, world, family, actor):
    client.force_login(world.case_worker)
    client.get(reverse("registry:person_detail", args=[family["stranger"].uuid]))
    client.force_login(getattr(world, actor))
    response = client.get(reverse("privacy:access_log"))
    assert response.status_code == 200
    events = list(response.context["events"])
    assert [(e.actor, e.view) for e in events] == [(world.case_worker, "registry.person_detail")]
    html = response.content.decode()
    assert "Página de la persona" in html  # the screen's label, not its code
    assert "Zoe" not in html and "Durán" not in html  # who and where, never whose names


@pytest.mark.parametrize(
    "actor", ["intake", "case_worker", "legal", "partner", "analyst", "outsider"]
)
def test_access_log_page_checks_permission(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("privacy:access_log")).status_code == 403


def test_access_log_page_needs_login(client, world):
    response = client.get(reverse("privacy:access_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_who_looked_is_shown_on_the_person_page_to_the_coordinator_only(client, world, family):
    client.force_login(world.legal)
    client.get(reverse("registry:person_detail", args=[family["stranger"].uuid]))
    response = client.get(reverse("registry:person_detail", args=[family["stranger"].uuid]))
    assert response.context["accesses"] is None
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:person_detail", args=[family["stranger"].uuid]))
    # The coordinator's own read is logged before the page lists the reads.
    assert [a.actor for a in response.context["accesses"]] == [
        world.coordinator,
        world.legal,
        world.legal,
    ]


# --- Consent: services -----------------------------------------------------------------------


def test_consent_record_records_replaces_and_skips_unchanged_answers(world, family):
    ana = family["ana"]
    created = services.consent_record(
        actor=world.intake,
        person=ana,
        purposes={"receive_services": True, "anonymous_statistics": False},
    )
    assert [c.purpose for c in created] == ["anonymous_statistics"]  # services: unchanged
    created = services.consent_record(
        actor=world.case_worker, person=ana, purposes={"anonymous_statistics": True}
    )
    old = Consent.objects.get(person=ana, purpose="anonymous_statistics", granted=False)
    assert old.withdrawn_at is not None and old.withdrawn_by == world.case_worker
    assert created[0].granted and created[0].withdrawn_at is None
    assert Consent.objects.filter(person=ana, withdrawn_at__isnull=True).count() == 2
    assert (
        AuditEvent.objects.filter(
            action="privacy.consent.recorded", person_id=ana.pk, actor=world.case_worker
        ).count()
        == 1
    )


def test_consent_record_refuses_unknown_purposes_and_saves_nothing(world, family):
    before = Consent.objects.count()
    with pytest.raises(InvalidInput):
        services.consent_record(
            actor=world.intake,
            person=family["leo"],
            purposes={"receive_services": True, "immigration": True},
        )
    assert Consent.objects.count() == before


@pytest.mark.parametrize("actor", ["legal", "analyst", "partner", "admin", "outsider"])
def test_consent_services_check_permission(world, family, actor):
    consent = Consent.objects.get(person=family["ana"])
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=getattr(world, actor), person=family["ana"], purposes={"receive_services": False}
        )
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=getattr(world, actor), consent=consent, reason="x")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None and consent.granted


def test_consent_withdraw_needs_a_reason(world, family):
    consent = Consent.objects.get(person=family["ana"])
    with pytest.raises(InvalidInput) as exc:
        services.consent_withdraw(actor=world.intake, consent=consent, reason="   ")
    assert "reason" in exc.value.field_errors
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_consent_withdraw_works_once_then_is_a_conflict(world, family):
    consent = Consent.objects.get(person=family["ana"])
    withdrawn = services.consent_withdraw(
        actor=world.case_worker, consent=consent, reason=" Lo pidió la persona "
    )
    assert withdrawn.withdrawn_by == world.case_worker
    assert withdrawn.withdrawal_reason == "Lo pidió la persona"
    event = AuditEvent.objects.get(action="privacy.consent.withdrawn")
    assert (event.person_id, event.reason) == (family["ana"].pk, "Lo pidió la persona")
    with pytest.raises(Conflict):
        services.consent_withdraw(actor=world.intake, consent=consent, reason="Otra vez")
    consent.refresh_from_db()
    assert consent.withdrawn_by == world.case_worker
    # After a withdrawal the person can answer again.
    services.consent_record(
        actor=world.intake, person=family["ana"], purposes={"receive_services": True}
    )
    assert Consent.objects.filter(person=family["ana"], withdrawn_at__isnull=True).count() == 1


# --- Consent: screens ------------------------------------------------------------------------


def test_consent_update_screen_records_the_answers(client, world, family):
    leo = family["leo"]
    client.force_login(world.case_worker)
    response = client.post(
        reverse("registry:consent_update", args=[leo.uuid]),
        {"receive_services": "on", "share_with_referrals": "on"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert dict(Consent.objects.filter(person=leo).values_list("purpose", "granted")) == {
        "receive_services": True,
        "share_with_referrals": True,
        "anonymous_statistics": False,
    }


def test_consent_withdraw_screen_needs_a_reason_and_refuses_twice(client, world, family):
    ana = family["ana"]
    consent = Consent.objects.get(person=ana)
    url = reverse("registry:consent_withdraw", args=[ana.uuid, consent.uuid])
    client.force_login(world.intake)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    consent.refresh_from_db()
    assert consent.withdrawn_at is None

    response = client.post(url, {"reason": "La persona ya no quiere"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == world.intake

    response = client.post(url, {"reason": "Otra vez"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "La persona ya no quiere"


def test_consent_screens_check_permission(client, world, family):
    ana = family["ana"]
    consent = Consent.objects.get(person=ana)
    client.force_login(world.legal)
    assert (
        client.post(
            reverse("registry:consent_update", args=[ana.uuid]), {"receive_services": ""}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("registry:consent_withdraw", args=[ana.uuid, consent.uuid]), {"reason": "x"}
        ).status_code
        == 403
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None and consent.granted


def test_consent_api_withdraw(client, world, family):
    consent = Consent.objects.get(person=family["ana"])
    client.force_login(world.legal)
    url = f"/api/v1/consents/{consent.uuid}/withdraw/"
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 403
    client.force_login(world.intake)
    response = client.post(url, {"reason": ""}, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    response = client.post(url, {"reason": "Pedido"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["withdrawn_at"]
    response = client.post(url, {"reason": "Pedido"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_the_person_page_logs_a_former_member_named_in_a_visit(client, world, family):
    leo = family["leo"]
    registry.household_remove_member(
        actor=world.intake, membership=leo.memberships.get(end_date__isnull=True)
    )
    AccessEvent.objects.all().delete()
    client.force_login(world.intake)
    client.get(reverse("registry:person_detail", args=[leo.uuid]))
    event, persons = _only_event()
    assert persons == _ids(leo, family["ana"])  # Ana came with Leo to the visit
