from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel
from ventanilla.privacy.choices import ConsentPurpose
from ventanilla.privacy.labels import CHANNEL_LABELS, VIEW_LABELS


class Consent(BaseModel):
    """What a person agreed to, for one purpose, when and recorded by whom; and its withdrawal."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("agreed"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["purpose", "-recorded_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.granted


class AccessEvent(models.Model):
    """One read of personal data: who, when, which screen or endpoint; persons in AccessedPerson."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)  # "ui" or "api"
    view = models.CharField(max_length=80)  # e.g. registry.person_detail
    path = models.CharField(max_length=300)
    person_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.view} ({self.person_count})"

    @property
    def view_label(self) -> str:
        return str(VIEW_LABELS.get(self.view, self.view))

    @property
    def channel_label(self) -> str:
        return str(CHANNEL_LABELS.get(self.channel, self.channel))


class AccessedPerson(models.Model):
    """A person whose record an access event showed."""

    event = models.ForeignKey(AccessEvent, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="access_events"
    )

    class Meta:
        indexes = [models.Index(fields=["person", "event"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.event_id}"
