"""Writes for consent and the access log."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.privacy.choices import ConsentPurpose
from ventanilla.privacy.models import AccessedPerson, AccessEvent, Consent


def access_record(*, actor, persons, channel: str, view: str, path: str) -> AccessEvent | None:
    """Log that `actor` was shown these persons. Two queries whatever the number of persons."""
    ids = sorted({p if isinstance(p, int) else p.pk for p in persons})
    if not ids:
        return None
    event = AccessEvent.objects.create(
        actor=actor, channel=channel, view=view, path=path[:300], person_count=len(ids)
    )
    AccessedPerson.objects.bulk_create([AccessedPerson(event=event, person_id=i) for i in ids])
    return event


@transaction.atomic
def consent_record(*, actor, person, purposes: dict[str, bool], at=None) -> list[Consent]:
    """Record the person's answer for each purpose; replaces the previous active answer."""
    if actor is not None and not has_cap(actor, Cap.RECORD_CONSENT):
        raise PermissionDenied(_("You do not have permission to do this."))
    unknown = set(purposes) - set(ConsentPurpose.values)
    if unknown:
        raise InvalidInput(_("Unknown consent purpose: %(p)s") % {"p": ", ".join(sorted(unknown))})
    now = at or timezone.now()
    created = []
    for purpose, granted in purposes.items():
        current = (
            Consent.objects.select_for_update()
            .filter(person=person, purpose=purpose, withdrawn_at__isnull=True)
            .first()
        )
        if current is not None:
            if current.granted == granted:
                continue
            current.withdrawn_at, current.withdrawn_by = now, actor
            current.withdrawal_reason = _("Replaced by a new answer")
            current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        consent = Consent.objects.create(
            person=person, purpose=purpose, granted=granted, recorded_at=now, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="privacy.consent.recorded",
            obj=consent,
            person=person,
            changes={"purpose": purpose, "granted": granted},
        )
        created.append(consent)
    return created


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, reason: str) -> Consent:
    if actor is not None and not has_cap(actor, Cap.RECORD_CONSENT):
        raise PermissionDenied(_("You do not have permission to do this."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Say why the consent is withdrawn."),
            field_errors={"reason": [_("This field is required.")]},
        )
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise Conflict(_("This consent was already withdrawn."))
    locked.withdrawn_at, locked.withdrawn_by, locked.withdrawal_reason = (
        timezone.now(),
        actor,
        reason,
    )
    try:
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    except IntegrityError as exc:
        raise Conflict(_("This consent changed meanwhile; reload the page.")) from exc
    audit_record(
        actor=actor,
        action="privacy.consent.withdrawn",
        obj=locked,
        person=locked.person,
        reason=reason,
    )
    return locked
