"""Writes for the city, its localities and attention points."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction

from ventanilla.core.audit import audit_record
from ventanilla.core.exceptions import InvalidInput
from ventanilla.territory.models import AttentionPoint, City, Locality, OpeningHours


def _clean_save(obj):
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc
    obj.save()
    return obj


@transaction.atomic
def city_create(*, actor, name: str, country: str, time_zone: str) -> City:
    city = _clean_save(City(name=name, country=country, time_zone=time_zone))
    audit_record(actor=actor, action="territory.city.created", obj=city)
    return city


@transaction.atomic
def locality_create(*, actor, city: City, name: str, code: str = "") -> Locality:
    locality = _clean_save(Locality(city=city, name=name, code=code))
    audit_record(actor=actor, action="territory.locality.created", obj=locality)
    return locality


@transaction.atomic
def attention_point_create(
    *,
    actor,
    name: str,
    kind: str,
    locality: Locality,
    address: str = "",
    organization=None,
    hours: list[tuple[int, time, time]] = (),
) -> AttentionPoint:
    point = _clean_save(
        AttentionPoint(
            name=name, kind=kind, locality=locality, address=address, organization=organization
        )
    )
    for weekday, opens, closes in hours:
        _clean_save(
            OpeningHours(attention_point=point, weekday=weekday, opens=opens, closes=closes)
        )
    audit_record(actor=actor, action="territory.attention_point.created", obj=point)
    return point


@transaction.atomic
def attention_point_update(
    *,
    actor,
    point: AttentionPoint,
    name: str,
    kind: str,
    locality: Locality,
    address: str,
    organization,
    is_active: bool,
    hours: list[tuple[int, time, time]],
) -> AttentionPoint:
    """Change an attention point and replace its opening hours, all at once."""
    locked = AttentionPoint.objects.select_for_update().get(pk=point.pk)
    before = {
        "name": locked.name,
        "kind": locked.kind,
        "locality": locked.locality_id,
        "address": locked.address,
        "is_active": locked.is_active,
    }
    locked.name, locked.kind, locked.locality, locked.address = name, kind, locality, address
    locked.organization, locked.is_active = organization, is_active
    _clean_save(locked)
    locked.opening_hours.all().delete()
    for weekday, opens, closes in hours:
        _clean_save(
            OpeningHours(attention_point=locked, weekday=weekday, opens=opens, closes=closes)
        )
    after = {
        "name": name,
        "kind": kind,
        "locality": locality.pk,
        "address": address,
        "is_active": is_active,
    }
    audit_record(
        actor=actor,
        action="territory.attention_point.updated",
        obj=locked,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return locked
