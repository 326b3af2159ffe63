"""Referrals: from a need of the case plan to a catalog service or an outside provider.

Sending fans out to one referral per chosen person (a household referral groups them), all
or none, after the consent gate. Every answer locks the referral row; a stale
`expected_version` is refused with a Conflict that says who answered and when.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.cases import referral_workflow as rwf
from ventanilla.cases.choices import CaseStatus, PlanItemKind, ReferralStatus
from ventanilla.cases.models import (
    NOTIFICATION_MESSAGES,
    Case,
    Notification,
    PlanItem,
    Referral,
    ReferralGroup,
)
from ventanilla.cases.services.core import _check_open, _lock, _require, _touch
from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied

logger = logging.getLogger(__name__)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _email(*, subject: str, body: str, to: list[str]) -> None:
    """Email is a courtesy copy of the in-app notification: a mail outage must not fail
    the request that already committed."""
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
    except Exception:  # noqa: BLE001 - logged, the notification is in the application
        logger.exception("referral notification email failed")


def _language_of(user) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in languages else settings.LANGUAGE_CODE


def notify(*, users, code: str, params: dict, url: str = "") -> list[Notification]:
    """An in-app notification for each user, worded when read in the reader's language, and
    an email after the commit in each recipient's language (their preference, else the
    center's)."""
    users = [u for u in users if u is not None and u.is_active]
    if code not in NOTIFICATION_MESSAGES:
        raise ValueError(f"unknown notification code {code!r}")
    probe = Notification(code=code, params=params, url=url)
    with translation.override(settings.LANGUAGE_CODE):
        # Kept for whoever reads the row without the code (exports, the admin).
        text = probe.message()[:300]
    created = Notification.objects.bulk_create(
        [Notification(user=u, text=text, code=code, params=params, url=url) for u in users]
    )
    by_language: dict[str, list[str]] = {}
    for user in users:
        if user.email:
            by_language.setdefault(_language_of(user), []).append(user.email)
    for language, emails in by_language.items():
        with translation.override(language):
            message = probe.message()
        body = message + ("\n" + url if url else "")
        transaction.on_commit(
            lambda m=message, b=body, e=emails: _email(subject=m[:100], body=b, to=e)
        )
    return created


def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (once: the first reading stays)."""
    if notification.user_id != user.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark all the user's unread notifications read; how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _service_names(service) -> dict:
    """A service's name in each language it has, for the reader's language to choose."""
    return {
        language: name
        for language, name in (
            ("es", service.name_es),
            ("en", service.name_en),
            ("pt", service.name_pt),
        )
        if name
    }


def _partner_users(organization_id):
    from ventanilla.accounts.choices import Role
    from ventanilla.accounts.models import User

    return [
        u
        for u in User.objects.filter(organization_id=organization_id, is_active=True)
        if Role.PARTNER in (u.roles or ())
    ]


def _referral_url(referral: Referral) -> str:
    return reverse("cases:referral_detail", kwargs={"referral_uuid": referral.uuid})


def referral_persons_allowed(case: Case) -> list:
    """Who may be referred from this case: its person(s), and the person's household."""
    from ventanilla.cases.selectors import case_persons
    from ventanilla.registry.selectors import current_membership, household_members

    persons = list(case_persons(case))
    if case.person_id:
        membership = current_membership(case.person)
        if membership is not None:
            persons += [m.person for m in household_members(membership.household)]
    seen, unique = set(), []
    for p in persons:
        if p.pk not in seen:
            seen.add(p.pk)
            unique.append(p)
    return unique


def _has_referral_consent(person) -> bool:
    from ventanilla.privacy.choices import ConsentPurpose
    from ventanilla.privacy.selectors import active_consents

    return active_consents(person).get(ConsentPurpose.SHARE_WITH_REFERRALS) is True


@transaction.atomic
def referral_send(
    *,
    actor,
    case: Case,
    need: PlanItem,
    persons: list,
    summary: str,
    service=None,
    external_provider: str = "",
    external_contact: str = "",
    override_reason: str = "",
) -> list[Referral]:
    """Refer persons of the case for a need: one referral each, all or none."""
    _require(actor, Cap.REFER)
    locked = _lock(case)
    _check_open(locked)
    if locked.status == CaseStatus.CLOSURE_REQUESTED:
        # Else a closure approved later would leave this new referral open unnoticed.
        raise InvalidInput(
            _(
                "The closure of this case has been requested. A coordinator must decline "
                "it before new referrals are sent."
            )
        )
    errors: dict[str, list[str]] = {}
    if need.case_id != locked.pk or need.kind != PlanItemKind.NEED:
        errors["need"] = [_("Choose a need of this case plan.")]
    external_provider = (external_provider or "").strip()
    if service is None and not external_provider:
        errors["service"] = [_("Choose a service of the catalog or name an external provider.")]
    if service is not None and external_provider:
        errors["service"] = [_("Choose a service or an external provider, not both.")]
    if service is not None and not service.is_published:
        errors["service"] = [_("This service is not published.")]
    if not (summary or "").strip():
        errors["summary"] = [_("Write what the receiving organization needs to know.")]
    allowed = {p.pk for p in referral_persons_allowed(locked)}
    persons = list({p.pk: p for p in persons}.values())
    if not persons:
        errors["persons"] = [_("Choose at least one person.")]
    elif any(p.pk not in allowed for p in persons):
        errors["persons"] = [_("Only the person of the case or their household can be referred.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], field_errors=errors)
    override_reason = (override_reason or "").strip()
    without = [p for p in persons if not _has_referral_consent(p)]
    if without:
        names = ", ".join(p.full_name for p in without)
        if not override_reason:
            message = _(
                "%(names)s did not consent to share data with the organizations they are "
                "referred to. Record the consent first."
            ) % {"names": names}
            if has_cap(actor, Cap.OVERRIDE_CONSENT):
                message += " " + _("A coordinator may send anyway, giving a written reason.")
            raise InvalidInput(message, field_errors={"persons": [message]})
        _require(actor, Cap.OVERRIDE_CONSENT)
    now = timezone.now()
    today = timezone.localdate()
    days = service.response_time_days if service is not None else 5
    org = getattr(actor, "organization", None)
    snapshot = {
        "sending_org": {"uuid": str(org.uuid), "name": org.name} if org else None,
        "sending_user": {"uuid": str(actor.uuid), "name": _name(actor)},
        "receiving_org": (
            {"uuid": str(service.provider.uuid), "name": service.provider.name}
            if service is not None
            else {"uuid": None, "name": external_provider}
        ),
        "service": (
            {"uuid": str(service.uuid), "name": service.name_es} if service is not None else None
        ),
        "at": now.isoformat(),
    }
    group = (
        ReferralGroup.objects.create(case=locked, created_by=actor) if len(persons) > 1 else None
    )
    referrals = []
    for person in persons:
        overridden = person in without
        referral = Referral.objects.create(
            case=locked,
            person=person,
            group=group,
            need=need,
            service=service,
            is_external=service is None,
            external_provider_name=external_provider,
            external_provider_contact=(external_contact or "").strip(),
            summary=summary.strip(),
            due_date=today + timedelta(days=days),
            sent_at=now,
            sent_by=actor,
            snapshot=snapshot,
            consent_override_reason=override_reason if overridden else "",
            override_by=actor if overridden else None,
        )
        audit_record(
            actor=actor,
            action="cases.referral.sent",
            obj=referral,
            person=person,
            changes={
                "service": service,
                "external_provider": external_provider,
                "due_date": referral.due_date,
                "group": group,
            },
        )
        if overridden:
            audit_record(
                actor=actor,
                action="cases.referral.consent_overridden",
                obj=referral,
                person=person,
                reason=override_reason,
            )
        referrals.append(referral)
    _touch(locked)
    if service is not None:
        notify(
            users=_partner_users(service.provider_id),
            code="referral.new",
            params={
                "service": _service_names(service),
                "due": referrals[0].due_date.isoformat(),
            },
            url=_referral_url(referrals[0]),
        )
    return referrals


def _lock_referral(referral: Referral, expected_version=None) -> Referral:
    # No joins under the lock: PostgreSQL re-reads a row locked by another transaction after
    # it commits, but not the rows joined to it, which would be stale (who answered it).
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if expected_version is not None and locked.updated_at != expected_version:
        if locked.answered_by_id and locked.answered_at:
            message = _(
                "This referral was already answered by %(user)s at %(at)s (now “%(status)s”). "
                "Reload the page to see it."
            ) % {
                "user": _name(locked.answered_by),
                "at": timezone.localtime(locked.answered_at).strftime("%Y-%m-%d %H:%M"),
                "status": ReferralStatus(locked.status).label,
            }
        else:
            message = _(
                "Someone else changed this referral while you were working on it "
                "(now “%(status)s”). Reload the page to see it."
            ) % {"status": ReferralStatus(locked.status).label}
        raise Conflict(message)
    return locked


def _check_actor_side(actor, referral: Referral, to: str) -> None:
    """Partner staff act on their organization's referrals; the case team on the rest."""
    is_partner = (
        has_cap(actor, Cap.ANSWER_REFERRALS)
        and referral.service is not None
        and referral.service.provider_id == actor.organization_id
    )
    is_team = has_cap(actor, Cap.REFER)
    if to in rwf.SENDER_ONLY:
        if not is_team:
            raise PermissionDenied(_("Only the case team can cancel a referral."))
        return
    if referral.is_external:
        if not is_team:
            raise PermissionDenied(_("You do not have permission to do this."))
        return
    if not is_partner:
        raise PermissionDenied(
            _("Only the receiving organization answers and updates this referral.")
        )


def _refuse_referral_move(current: str, to: str) -> InvalidInput:
    allowed = ", ".join(str(ReferralStatus(s).label) for s in sorted(rwf.allowed_next(current)))
    message = _(
        "A referral in status “%(current)s” cannot move to “%(to)s”. Possible next steps: "
        "%(allowed)s."
    ) % {
        "current": ReferralStatus(current).label,
        "to": ReferralStatus(to).label,
        "allowed": allowed or "—",
    }
    return InvalidInput(message, field_errors={"status": [message]})


@transaction.atomic
def referral_transition(
    *, actor, referral: Referral, to: str, text: str = "", expected_version=None
) -> Referral:
    """Move a referral along its workflow, if the table allows it and the actor may."""
    if to not in ReferralStatus.values:
        raise InvalidInput(_("Unknown status."))
    locked = _lock_referral(referral, expected_version)
    _check_actor_side(actor, locked, to)
    current = locked.status
    if not rwf.can_move(current, to):
        raise _refuse_referral_move(current, to)
    text = (text or "").strip()
    if rwf.needs_text(to) and not text:
        message = (
            _("Give the reason for rejecting the referral.")
            if to == ReferralStatus.REJECTED
            else _("Describe the outcome of the service.")
        )
        field = "reason" if to == ReferralStatus.REJECTED else "outcome"
        raise InvalidInput(message, field_errors={field: [message]})
    now = timezone.now()
    fields = ["status", "updated_at"]
    if current == ReferralStatus.SENT and to in (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED):
        locked.answered_at, locked.answered_by = now, actor
        fields += ["answered_at", "answered_by"]
    if to in (ReferralStatus.REJECTED, ReferralStatus.CANCELLED, ReferralStatus.DID_NOT_ATTEND):
        if text:
            locked.reason = text
            fields.append("reason")
    if to == ReferralStatus.COMPLETED:
        locked.outcome = text
        fields.append("outcome")
    if to in rwf.FINAL:
        locked.completed_at = now
        fields.append("completed_at")
    locked.status = to
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"cases.referral.{to}",
        obj=locked,
        person=locked.person,
        changes={"status": [current, to]},
        reason=text if to != ReferralStatus.COMPLETED else "",
    )
    if (
        to
        in (
            ReferralStatus.ACCEPTED,
            ReferralStatus.REJECTED,
            ReferralStatus.COMPLETED,
            ReferralStatus.DID_NOT_ATTEND,
        )
        and not locked.is_external
    ):
        notify(
            users=[locked.sent_by],
            code="referral.answered",
            params={"person": locked.person.full_name, "status": str(to)},
            url=reverse("cases:case_detail", kwargs={"case_uuid": locked.case.uuid}),
        )
    return locked


def referral_answer(
    *, actor, referral: Referral, accept: bool, reason: str = "", expected_version=None
) -> Referral:
    return referral_transition(
        actor=actor,
        referral=referral,
        to=ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED,
        text=reason,
        expected_version=expected_version,
    )


def referral_start(*, actor, referral: Referral, expected_version=None) -> Referral:
    return referral_transition(
        actor=actor,
        referral=referral,
        to=ReferralStatus.IN_PROGRESS,
        expected_version=expected_version,
    )


def referral_complete(*, actor, referral: Referral, outcome: str, expected_version=None):
    return referral_transition(
        actor=actor,
        referral=referral,
        to=ReferralStatus.COMPLETED,
        text=outcome,
        expected_version=expected_version,
    )


def referral_did_not_attend(*, actor, referral: Referral, note: str = "", expected_version=None):
    return referral_transition(
        actor=actor,
        referral=referral,
        to=ReferralStatus.DID_NOT_ATTEND,
        text=note,
        expected_version=expected_version,
    )


def referral_cancel(*, actor, referral: Referral, reason: str = "", expected_version=None):
    return referral_transition(
        actor=actor,
        referral=referral,
        to=ReferralStatus.CANCELLED,
        text=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def referral_update_note(*, actor, referral: Referral, note: str, expected_version=None):
    """A progress note from whoever follows the referral (partner, or team if external)."""
    locked = _lock_referral(referral, expected_version)
    _check_actor_side(actor, locked, ReferralStatus.IN_PROGRESS)
    if locked.status in rwf.FINAL:
        raise InvalidInput(_("This referral is closed."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write the update."), field_errors={"note": [_("Write the update.")]})
    locked.note = note
    locked.save(update_fields=["note", "updated_at"])
    audit_record(actor=actor, action="cases.referral.updated", obj=locked, person=locked.person)
    return locked


def referrals_notify_overdue(*, today=None) -> int:
    """Tell senders and providers about referrals past due; each referral once."""
    today = today or timezone.localdate()
    count = 0
    pending = Referral.objects.filter(
        status__in=rwf.PENDING, due_date__lt=today, overdue_notified_at__isnull=True
    ).select_related("sent_by", "person", "service")
    for referral in pending:
        with transaction.atomic():
            locked = Referral.objects.select_for_update().get(pk=referral.pk)
            if locked.overdue_notified_at is not None or locked.status not in rwf.PENDING:
                continue
            users = [referral.sent_by]
            if referral.service_id:
                users += _partner_users(referral.service.provider_id)
            notify(
                users=users,
                code="referral.overdue",
                params={
                    "person": referral.person.full_name,
                    "due": referral.due_date.isoformat(),
                },
                url=_referral_url(referral),
            )
            # Not via save(): the referral's version stays the one its users last saw.
            Referral.objects.filter(pk=locked.pk).update(overdue_notified_at=timezone.now())
            count += 1
    return count
