"""Writing the change log. Called by services inside their transaction."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import models

from ventanilla.core.models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "code"):  # django-countries Country
        return value.code
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """Plain values of the given fields, for diffing before and after a change."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    person=None,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uuid=getattr(obj, "uuid", None),
        person_id=getattr(person, "pk", None),
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        reason=reason,
    )
