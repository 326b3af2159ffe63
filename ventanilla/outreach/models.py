from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel
from ventanilla.outreach.choices import AgeGroup, AttendeeSex, SessionKind, SessionStatus
from ventanilla.registry.choices import PopulationGroup


class OutreachSession(BaseModel):
    """A mobile-unit day or an extramural workshop: planned, then held (or cancelled)."""

    kind = models.CharField(_("kind"), max_length=30, choices=SessionKind.choices)
    attention_point = models.ForeignKey(
        "territory.AttentionPoint",
        verbose_name=_("attention point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_sessions",
    )
    # Always set: the attention point's locality when there is a point (the services derive it).
    locality = models.ForeignKey(
        "territory.Locality",
        verbose_name=_("locality"),
        on_delete=models.PROTECT,
        related_name="outreach_sessions",
    )
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("starts"), null=True, blank=True)
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("participating organizations"),
        blank=True,
        related_name="outreach_sessions",
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        verbose_name = _("outreach session")
        verbose_name_plural = _("outreach sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="outreach_session_ends_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="outreach_session_cancel_has_reason",
                violation_error_message=_("Give the reason for cancelling."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def place_label(self) -> str:
        return str(self.attention_point or self.locality)


class SessionAttendance(models.Model):
    """A registered person who attended a session; sex, age and group as on that day."""

    session = models.ForeignKey(
        OutreachSession, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="outreach_attendances"
    )
    # The registry visit recorded with the attendance (what "people served" counts).
    visit = models.OneToOneField(
        "registry.Visit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach_attendance",
    )
    # Snapshots for the figures: attendance by sex, age group and population group.
    sex = models.CharField(_("sex"), max_length=20, choices=AttendeeSex.choices)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, blank=True
    )
    population_group = models.CharField(
        _("population group"), max_length=20, choices=PopulationGroup.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registered attendee")
        verbose_name_plural = _("registered attendees")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="outreach_attendance_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.session_id}"


class AnonymousAttendance(models.Model):
    """How many people of one sex and age group attended without registering."""

    session = models.ForeignKey(
        OutreachSession, on_delete=models.CASCADE, related_name="anonymous_counts"
    )
    sex = models.CharField(_("sex"), max_length=20, choices=AttendeeSex.choices)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("anonymous attendance")
        verbose_name_plural = _("anonymous attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sex", "age_group"], name="outreach_anonymous_unique_cell"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="outreach_anonymous_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.sex} {self.age_group}: {self.count}"


class ServiceDelivered(BaseModel):
    """A service delivered on the spot during a session, to how many people."""

    session = models.ForeignKey(
        OutreachSession, on_delete=models.CASCADE, related_name="services_delivered"
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    provider = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("people"))
    persons = models.ManyToManyField(
        "registry.Person", verbose_name=_("registered persons"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | ~Q(description=""),
                name="outreach_service_named",
                violation_error_message=_("Choose a service or describe it."),
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="outreach_service_positive"),
        ]

    def __str__(self) -> str:
        return self.description or str(self.service)

    def label(self) -> str:
        return self.service.name if self.service_id else self.description
