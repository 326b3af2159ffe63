from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ventanilla.core.models import BaseModel
from ventanilla.territory.choices import AttentionPointKind, Weekday


class City(BaseModel):
    """The city (or metropolitan area) this deployment serves."""

    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    time_zone = models.CharField(_("time zone"), max_length=60, default="America/Bogota")

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class Locality(BaseModel):
    """A district of the city (localidad, comuna): the unit of decentralized attention."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="localities")
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="locality_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AttentionPoint(BaseModel):
    """Where people are served: the fixed center, a mobile unit, a workshop or a partner office."""

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=30, choices=AttentionPointKind.choices)
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        on_delete=models.PROTECT,
        related_name="attention_points",
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attention_points",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("attention point")
        verbose_name_plural = _("attention points")

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One opening period of an attention point on a weekday."""

    attention_point = models.ForeignKey(
        AttentionPoint, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_hours_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
