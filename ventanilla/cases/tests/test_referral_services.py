"""Referral services: sending (consent, override, households, snapshot), answering, notices."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ventanilla.cases import services
from ventanilla.cases.models import Case, Notification, Referral, ReferralGroup
from ventanilla.cases.tests.conftest import CONSENT
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.core.models import AuditEvent
from ventanilla.registry import services as registry


def test_it_sends_with_due_date_and_snapshot(world, send, referral_setup):
    case, need, service, person = referral_setup
    [referral] = send()
    assert referral.status == "sent" and referral.group is None
    assert referral.due_date == timezone.localdate() + timedelta(days=3)
    assert referral.snapshot["receiving_org"]["name"] == "Fundación Aliada"
    assert referral.snapshot["sending_org"]["name"] == "Secretaría de Inclusión"
    assert referral.snapshot["sending_user"]["name"] == world.case_worker.get_full_name()
    assert referral.snapshot["service"]["name"] == service.name_es
    assert AuditEvent.objects.filter(action="cases.referral.sent", person_id=person.pk).count() == 1


def test_the_snapshot_survives_renaming(world, send, referral_setup):
    _case, _need, service, _person = referral_setup
    [referral] = send()
    world.partner_org.name = "Fundación Renombrada"
    world.partner_org.save()
    service.name_es = "Otro nombre"
    service.save()
    referral.refresh_from_db()
    assert referral.snapshot["receiving_org"]["name"] == "Fundación Aliada"
    assert referral.provider_name == "Fundación Aliada"
    assert referral.snapshot["service"]["name"].startswith("Orientación jurídica")


def test_it_notifies_the_partner_staff(world, send):
    mail.outbox.clear()
    with_email = world.partner
    with_email.email = "partner@example.org"
    with_email.save()
    send()
    assert Notification.objects.filter(user=world.partner).count() == 1
    assert not Notification.objects.filter(user=world.outsider).exists()


def test_consent_is_required(world, make_person, referral_setup, send):
    case, need, service, _person = referral_setup
    no_consent = make_person(given_names="Ana")
    case2 = services.case_open(actor=world.case_worker, person=no_consent)
    need2 = services.plan_item_add(
        actor=world.case_worker, case=case2, kind="need", area="health", description="Doctor"
    )
    with pytest.raises(InvalidInput, match="did not consent"):
        send(case=case2, need=need2, persons=[no_consent])
    # A case worker cannot override; a coordinator can, with a reason, and it is audited.
    with pytest.raises(PermissionDenied):
        send(case=case2, need=need2, persons=[no_consent], override_reason="Urgent")
    with pytest.raises(InvalidInput, match="did not consent"):
        send(actor=world.coordinator, case=case2, need=need2, persons=[no_consent])
    [referral] = send(
        actor=world.coordinator,
        case=case2,
        need=need2,
        persons=[no_consent],
        override_reason="Life-threatening situation, verbal consent",
    )
    assert referral.override_by == world.coordinator
    event = AuditEvent.objects.get(action="cases.referral.consent_overridden")
    assert event.reason == "Life-threatening situation, verbal consent"
    assert event.actor == world.coordinator


def test_only_the_case_team_refers(world, send):
    for actor in (world.partner, world.legal, world.intake, world.analyst):
        with pytest.raises(PermissionDenied):
            send(actor=actor)


def test_the_need_must_be_a_need_of_this_case(world, send, referral_setup):
    case, _need, _service, _person = referral_setup
    goal = services.plan_item_add(actor=world.case_worker, case=case, kind="goal", description="x")
    with pytest.raises(InvalidInput):
        send(need=goal)


def test_a_household_referral_fans_out(world, make_person, make_service):
    head = make_person(consents=CONSENT)
    child = make_person(
        given_names="Luis", birth_date=timezone.localdate().replace(year=2015), consents=CONSENT
    )
    household = registry.household_register(
        actor=world.intake,
        members=[
            {"person": head, "relationship": "head"},
            {"person": child, "relationship": "child"},
        ],
    )
    case = services.case_open(actor=world.case_worker, household=household)
    need = services.plan_item_add(
        actor=world.case_worker, case=case, kind="need", area="education", description="School"
    )
    sent = services.referral_send(
        actor=world.case_worker,
        case=case,
        need=need,
        service=make_service(),
        persons=[head, child],
        summary="Both need school places",
    )
    assert len(sent) == 2
    group = ReferralGroup.objects.get()
    assert {r.person for r in group.referrals.all()} == {head, child}


def test_one_member_without_consent_sends_nothing(world, make_person, make_service):
    head = make_person(consents=CONSENT)
    other = make_person(given_names="Luis")
    household = registry.household_register(
        actor=world.intake,
        members=[
            {"person": head, "relationship": "head"},
            {"person": other, "relationship": "spouse"},
        ],
    )
    case = services.case_open(actor=world.case_worker, person=head)
    need = services.plan_item_add(
        actor=world.case_worker, case=case, kind="need", area="work", description="Job"
    )
    assert household
    with pytest.raises(InvalidInput, match="Luis"):
        services.referral_send(
            actor=world.case_worker,
            case=case,
            need=need,
            service=make_service(),
            persons=[head, other],
            summary="Job search",
        )
    assert not Referral.objects.exists() and not ReferralGroup.objects.exists()


def test_a_stranger_cannot_be_referred(world, send, make_person):
    with pytest.raises(InvalidInput, match="Only the person"):
        send(persons=[make_person(given_names="Otra", consents=CONSENT)])


def test_the_partner_answers_and_completes(world, send):
    [referral] = send()
    referral = services.referral_answer(actor=world.partner, referral=referral, accept=True)
    assert referral.answered_by == world.partner and referral.answered_at
    assert Notification.objects.filter(user=world.case_worker).count() == 1
    referral = services.referral_start(actor=world.partner, referral=referral)
    referral = services.referral_update_note(actor=world.partner, referral=referral, note="Met")
    referral = services.referral_complete(
        actor=world.partner, referral=referral, outcome="PPT application filed"
    )
    assert referral.status == "completed" and referral.completed_at
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "cases.referral.accepted",
        "cases.referral.in_progress",
        "cases.referral.completed",
        "cases.referral.updated",
    } <= actions


def test_a_rejection_needs_a_reason(world, send):
    [referral] = send()
    with pytest.raises(InvalidInput, match="reason"):
        services.referral_answer(actor=world.partner, referral=referral, accept=False)
    referral = services.referral_answer(
        actor=world.partner, referral=referral, accept=False, reason="No places"
    )
    assert referral.reason == "No places"


def test_completing_a_rejected_referral_is_refused(world, send):
    [referral] = send()
    services.referral_answer(actor=world.partner, referral=referral, accept=False, reason="Full")
    with pytest.raises(InvalidInput, match="cannot move to “Completed”"):
        services.referral_complete(actor=world.partner, referral=referral, outcome="Done")


def test_other_organizations_cannot_answer(world, send):
    [referral] = send()
    for actor in (world.outsider, world.case_worker, world.legal):
        with pytest.raises(PermissionDenied):
            services.referral_answer(actor=actor, referral=referral, accept=True)


def test_the_sender_cancels_not_the_partner(world, send):
    [referral] = send()
    with pytest.raises(PermissionDenied):
        services.referral_cancel(actor=world.partner, referral=referral)
    referral = services.referral_cancel(actor=world.case_worker, referral=referral, reason="Moved")
    assert referral.status == "cancelled"


def test_a_stale_version_is_a_conflict_naming_who_answered(world, send):
    [referral] = send()
    version = referral.updated_at
    services.referral_answer(
        actor=world.partner, referral=referral, accept=True, expected_version=version
    )
    with pytest.raises(Conflict, match="already answered by Partner"):
        services.referral_answer(
            actor=world.partner,
            referral=referral,
            accept=False,
            reason="x",
            expected_version=version,
        )


def test_external_referrals_are_followed_by_the_case_team(world, referral_setup):
    case, need, _service, person = referral_setup
    [referral] = services.referral_send(
        actor=world.case_worker,
        case=case,
        need=need,
        persons=[person],
        external_provider="Parroquia San José",
        external_contact="555-1234",
        summary="Food aid",
    )
    assert referral.is_external and referral.service is None
    assert referral.provider_name == "Parroquia San José"
    with pytest.raises(PermissionDenied):
        services.referral_answer(actor=world.partner, referral=referral, accept=True)
    referral = services.referral_answer(actor=world.case_worker, referral=referral, accept=True)
    referral = services.referral_complete(
        actor=world.case_worker, referral=referral, outcome="Received food"
    )
    assert referral.status == "completed"


def test_a_service_or_an_external_provider(world, referral_setup, send):
    with pytest.raises(InvalidInput):
        send(service=None)
    with pytest.raises(InvalidInput):
        send(external_provider="Both")


def test_overdue_notices_once(world, send):
    [referral] = send()
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    before = Notification.objects.count()
    call_command("referrals_overdue")
    assert Notification.objects.count() == before + 2  # the sender and the partner
    call_command("referrals_overdue")
    assert Notification.objects.count() == before + 2


def test_the_new_referral_email_goes_after_the_commit(
    world, send, django_capture_on_commit_callbacks
):
    world.partner.email = "partner@example.org"
    world.partner.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send()
    assert [m.to for m in mail.outbox] == [["partner@example.org"]]


def test_closing_with_open_referrals_needs_its_own_reason(world, referral_setup, send):
    from ventanilla.cases import services as case_services
    from ventanilla.core.exceptions import InvalidInput

    case, _need, _service, _person = referral_setup
    send()
    case.refresh_from_db()
    Case.objects.filter(pk=case.pk).update(status="follow_up")
    case.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:
        case_services.case_request_closure(
            actor=world.case_worker, case=case, reason="Objetivos cumplidos"
        )
    assert "open_referrals_reason" in exc.value.field_errors
    case.refresh_from_db()
    assert case.status == "follow_up"
    case_services.case_request_closure(
        actor=world.case_worker,
        case=case,
        reason="Objetivos cumplidos",
        open_referrals_reason="La persona se trasladó a otra ciudad",
    )
    case.refresh_from_db()
    assert case.status == "closure_requested"
    assert "otra ciudad" in case.closure_reason


def test_no_new_referral_while_closure_is_requested(world, referral_setup, send):
    from ventanilla.core.exceptions import InvalidInput

    case, _need, _service, _person = referral_setup
    Case.objects.filter(pk=case.pk).update(status="closure_requested")
    case.refresh_from_db()
    with pytest.raises(InvalidInput, match="closure of this case has been requested"):
        send()
    assert not case.referrals.exists()
