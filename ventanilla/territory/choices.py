from django.db import models
from django.utils.translation import gettext_lazy as _


class AttentionPointKind(models.TextChoices):
    FIXED_CENTER = "fixed_center", _("Fixed center")
    MOBILE_UNIT = "mobile_unit", _("Mobile unit")
    EXTRAMURAL_WORKSHOP = "extramural_workshop", _("Extramural workshop")
    PARTNER_OFFICE = "partner_office", _("Partner office")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
