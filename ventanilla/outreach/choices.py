from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.registry.choices import Sex


class SessionKind(models.TextChoices):
    MOBILE_UNIT_DAY = "mobile_unit_day", _("Mobile unit day")
    EXTRAMURAL_WORKSHOP = "extramural_workshop", _("Extramural workshop")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AttendeeSex(models.TextChoices):
    """The registry's sex values, plus "not recorded" for people counted without registering."""

    FEMALE = Sex.FEMALE.value, Sex.FEMALE.label
    MALE = Sex.MALE.value, Sex.MALE.label
    INTERSEX = Sex.INTERSEX.value, Sex.INTERSEX.label
    NOT_RECORDED = "not_recorded", _("Not recorded")


class AgeGroup(models.TextChoices):
    AGE_0_5 = "0-5", _("0 to 5")
    AGE_6_11 = "6-11", _("6 to 11")
    AGE_12_17 = "12-17", _("12 to 17")
    AGE_18_29 = "18-29", _("18 to 29")
    AGE_30_59 = "30-59", _("30 to 59")
    AGE_60_PLUS = "60+", _("60 and over")


# Lower bound of each age group, youngest first.
_AGE_GROUP_FLOORS = [
    (60, "60+"),
    (30, "30-59"),
    (18, "18-29"),
    (12, "12-17"),
    (6, "6-11"),
    (0, "0-5"),
]


def age_group_of(age: int | None) -> str:
    """The age group of an age in years; "" when the age is unknown."""
    if age is None or age < 0:
        return ""
    return next(group for floor, group in _AGE_GROUP_FLOORS if age >= floor)
