from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.cases import workflow
from ventanilla.cases.choices import (
    CaseStatus,
    NeedArea,
    NoteConfidentiality,
    PlanItemKind,
    PlanItemStatus,
    Priority,
    ReferralStatus,
)
from ventanilla.core.models import BaseModel

_USER = settings.AUTH_USER_MODEL


class Case(BaseModel):
    """Case management for one person or one household: assessment, plan, follow-up."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    assigned_to = models.ForeignKey(
        _USER,
        verbose_name=_("case worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    opened_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    closure_reason = models.TextField(_("closure reason"), blank=True)
    closure_requested_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closure_approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, household__isnull=True)
                | Q(person__isnull=True, household__isnull=False),
                name="case_person_xor_household",
            ),
            # One open case per person and per household (the services say so first, nicely).
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status=CaseStatus.CLOSED) & Q(person__isnull=False),
                name="case_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=~Q(status=CaseStatus.CLOSED) & Q(household__isnull=False),
                name="case_one_open_per_household",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | ~Q(closure_reason=""),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "status"]),
            # "My work": closures waiting for a coordinator, oldest request first.
            models.Index(fields=["status", "closure_requested_at"]),
            # "My work": open cases without a case worker, oldest first, without a sort.
            models.Index(
                fields=["opened_at"],
                condition=Q(assigned_to__isnull=True) & ~Q(status=CaseStatus.CLOSED),
                name="case_unassigned_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Case')} {str(self.uuid)[:8]}"

    @property
    def version(self):
        return self.updated_at

    @property
    def next_statuses(self) -> list[str]:
        return [s for s in CaseStatus.values if workflow.can_move(self.status, s)]


class Questionnaire(BaseModel):
    """One version of a needs-assessment questionnaire, its questions held as data."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=160)
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Assessment(BaseModel):
    """Answers to one questionnaire version, recorded for a case at one moment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("answers"), default=dict)
    completed_at = models.DateTimeField(_("completed at"))
    completed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-completed_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.questionnaire} {self.completed_at:%Y-%m-%d}"


class PlanItem(BaseModel):
    """A line of the case plan: a need (by area), a goal or an action."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_items")
    kind = models.CharField(_("kind"), max_length=10, choices=PlanItemKind.choices)
    area = models.CharField(_("area"), max_length=20, choices=NeedArea.choices, blank=True)
    description = models.TextField(_("description"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanItemStatus.choices, default=PlanItemStatus.OPEN
    )
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "created_at", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PlanItemKind.NEED) | ~Q(area=""), name="planitem_need_has_area"
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class CaseNote(BaseModel):
    """A note on the case, read by the whole case team or only by specialists."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=NoteConfidentiality.choices,
        default=NoteConfidentiality.TEAM,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return self.text[:60]


class Task(BaseModel):
    """Something to do for the case, by a date, by someone."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    owner = models.ForeignKey(
        _USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="case_tasks"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["done_at", "due_date", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["owner", "done_at", "due_date"])]

    def __str__(self) -> str:
        return self.title


class ReferralGroup(BaseModel):
    """The referrals of one household referral: one per chosen member, tracked together."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referral_groups")
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("household referral")
        verbose_name_plural = _("household referrals")

    def __str__(self) -> str:
        return f"{_('Household referral')} {str(self.uuid)[:8]}"


class Referral(BaseModel):
    """A person referred from a need of the case plan to a service (or an outside provider)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="referrals"
    )
    group = models.ForeignKey(
        ReferralGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    need = models.ForeignKey(
        PlanItem, verbose_name=_("need"), on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    is_external = models.BooleanField(_("external referral"), default=False)
    external_provider_name = models.CharField(_("external provider"), max_length=200, blank=True)
    external_provider_contact = models.CharField(
        _("external provider contact"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    summary = models.TextField(_("summary for the receiving organization"))
    reason = models.TextField(_("reason"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    note = models.TextField(_("latest update"), blank=True)
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Who sent it to whom, as they were named when it was sent (organizations get renamed).
    snapshot = models.JSONField(_("snapshot at sending"), default=dict)
    consent_override_reason = models.TextField(_("consent override reason"), blank=True)
    override_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_external=True, service__isnull=True) & ~Q(external_provider_name="")
                | Q(is_external=False, service__isnull=False),
                name="referral_service_xor_external",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.REJECTED) | ~Q(reason=""),
                name="referral_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.COMPLETED) | ~Q(outcome=""),
                name="referral_completed_has_outcome",
            ),
        ]
        indexes = [
            # Overdue referrals, and grouped by provider: the grouping reads this index alone
            # on PostgreSQL (the provider is the service, or the external provider's name).
            models.Index(
                fields=["status", "due_date", "service", "external_provider_name"],
                name="referral_status_due_idx",
            ),
            # "My work" of a case worker: the referrals of their cases, by status.
            models.Index(fields=["case", "status"]),
            # A partner's referrals: their organization's services, by status and due date.
            models.Index(fields=["service", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{_('Referral')} {str(self.uuid)[:8]}"

    @property
    def version(self):
        return self.updated_at

    @property
    def provider_name(self) -> str:
        if self.is_external:
            return self.external_provider_name
        return self.snapshot.get("receiving_org", {}).get("name", "")


# What a notification says, by code: worded when it is read, in the reader's language.
# The parameters are stored with the notification (see Notification.message).
NOTIFICATION_MESSAGES = {
    "referral.new": _("New referral: %(service)s, due %(due)s."),
    "referral.answered": _("Referral for %(person)s: %(status)s."),
    "referral.overdue": _("Overdue referral for %(person)s (due %(due)s)."),
}


class Notification(BaseModel):
    """A message shown to one user in the application (and sent by email)."""

    user = models.ForeignKey(_USER, on_delete=models.CASCADE, related_name="notifications")
    # Rows written before messages had codes hold only this text, in the sender's language.
    text = models.CharField(_("text"), max_length=300)
    code = models.CharField(_("message"), max_length=60, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The unread badge: one COUNT on this index.
            models.Index(fields=["user", "read_at"]),
            # The notifications page, newest first.
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_new_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def message(self) -> str:
        """The message in the active language (old rows: the text as it was stored)."""
        template = NOTIFICATION_MESSAGES.get(self.code)
        if template is None:
            return self.text
        return str(template) % _message_params(self.params)


def _message_params(params: dict) -> dict:
    """Parameters as worded in the active language: a translated name ({"es": ..., "en":
    ...}) in that language, a date in its format, a referral status by its label."""
    from datetime import date

    from django.utils import formats
    from django.utils.translation import get_language

    language = (get_language() or settings.LANGUAGE_CODE).lower()
    worded = {}
    for key, value in params.items():
        if isinstance(value, dict):
            value = (
                value.get(language)
                or value.get(language.split("-")[0])
                or value.get(settings.LANGUAGE_CODE)
                or next((v for v in value.values() if v), "")
            )
        elif key == "due":
            value = formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        elif key == "status" and value in ReferralStatus.values:
            value = ReferralStatus(value).label
        worded[key] = value
    return worded
