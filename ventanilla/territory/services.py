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
def attention_point_create(*, actor, name: str, kind: str, locality: Locality, address: str = "",
                           organization=None,
                           hours: list[tuple[int, time, time]] = ()) -> AttentionPoint:
    point = _clean_save(AttentionPoint(name=name, kind=kind, locality=locality,
                                       address=address, organization=organization))
    for weekday, opens, closes in hours:
        _clean_save(OpeningHours(attention_point=point, weekday=weekday, opens=opens,
                                 closes=closes))
    audit_record(actor=actor, action="territory.attention_point.created", obj=point)
    return point
