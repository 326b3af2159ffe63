"""Writes for the service catalog. Coordinators manage every service, partners their own."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.permissions import Cap, has_cap
from ventanilla.catalog.models import Service
from ventanilla.core.audit import audit_record, diff, snapshot
from ventanilla.core.exceptions import Conflict, InvalidInput, PermissionDenied
from ventanilla.registry.normalize import fold

SERVICE_FIELDS = [
    "provider",
    "category",
    "name_es",
    "name_en",
    "name_pt",
    "description_es",
    "description_en",
    "description_pt",
    "population_groups",
    "min_age",
    "max_age",
    "conditions_es",
    "conditions_en",
    "conditions_pt",
    "schedule_es",
    "schedule_en",
    "schedule_pt",
    "languages",
    "weekly_capacity",
    "response_time_days",
    "contact_name",
    "contact_phone",
    "contact_email",
    "active_from",
    "active_to",
    "is_published",
]
_SEARCHED = ["name_es", "name_en", "name_pt", "description_es", "description_en", "description_pt"]


def may_manage(actor, provider) -> bool:
    """Coordinators manage every provider's services; partner staff only their own's.

    `actor=None` is the system itself (demo seeding, management commands).
    """
    if actor is None or has_cap(actor, Cap.MANAGE_CATALOG):
        return True
    return has_cap(actor, Cap.MANAGE_OWN_SERVICES) and (
        provider is not None and actor.organization_id == provider.pk
    )


def _require_manage(actor, provider) -> None:
    if not may_manage(actor, provider):
        raise PermissionDenied(_("You may only manage your own organization's services."))


def search_text_of(service: Service) -> str:
    """What the catalog search looks in: names and descriptions in the three languages."""
    return fold(" ".join(getattr(service, name) or "" for name in _SEARCHED))


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(SERVICE_FIELDS) - {"attention_points"}
    if unknown:
        raise InvalidInput(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _clean_save(service: Service) -> None:
    for name in ("population_groups", "languages"):
        value = getattr(service, name)
        if isinstance(value, list | tuple):
            setattr(service, name, sorted(set(value)))
    service.search_text = search_text_of(service)
    try:
        service.full_clean()
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc
    service.save()


def _point_uuids(points) -> list[str]:
    return sorted(str(p.uuid) for p in points)


@transaction.atomic
def service_create(*, actor, provider, attention_points=(), **fields) -> Service:
    _check_fields(fields)
    _require_manage(actor, provider)
    service = Service(provider=provider, **fields)
    _clean_save(service)
    points = list(attention_points)
    service.attention_points.set(points)
    audit_record(
        actor=actor,
        action="catalog.service.created",
        obj=service,
        changes={"name_es": [None, service.name_es], "provider": [None, provider]},
    )
    return service


@transaction.atomic
def service_update(
    *, actor, service: Service, expected_version: datetime | None, **fields
) -> Service:
    """Edit a service. `expected_version` is the updated_at the editor saw: a stale edit fails."""
    _check_fields(fields)
    locked = Service.objects.select_for_update().select_related("provider").get(pk=service.pk)
    _require_manage(actor, locked.provider)
    if "provider" in fields:
        _require_manage(actor, fields["provider"])
    if expected_version is not None and locked.updated_at != expected_version:
        raise Conflict(
            _(
                "Someone else changed this service while you were editing. "
                "Reload the page to see their changes, then edit again."
            )
        )
    before = snapshot(locked, SERVICE_FIELDS) | {
        "attention_points": _point_uuids(locked.attention_points.all())
    }
    points = fields.pop("attention_points", None)
    for name, value in fields.items():
        setattr(locked, name, value)
    _clean_save(locked)
    if points is not None:
        locked.attention_points.set(list(points))
    after = snapshot(locked, SERVICE_FIELDS) | {
        "attention_points": _point_uuids(locked.attention_points.all())
    }
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, action="catalog.service.updated", obj=locked, changes=changes)
    return locked


@transaction.atomic
def service_unpublish(*, actor, service: Service) -> Service:
    """Take a service out of the public catalog (it stays for history and later referrals)."""
    locked = Service.objects.select_for_update().select_related("provider").get(pk=service.pk)
    _require_manage(actor, locked.provider)
    if locked.is_published:
        locked.is_published = False
        locked.save(update_fields=["is_published", "updated_at"])
        audit_record(
            actor=actor,
            action="catalog.service.unpublished",
            obj=locked,
            changes={"is_published": [True, False]},
        )
    return locked
