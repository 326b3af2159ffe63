from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSESSMENT = "assessment", _("Assessment")
    PLAN = "plan", _("Plan")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class PlanItemKind(models.TextChoices):
    NEED = "need", _("Need")
    GOAL = "goal", _("Goal")
    ACTION = "action", _("Action")


class PlanItemStatus(models.TextChoices):
    # "Open" alone is also the verb on buttons ("Abrir"); this is the state ("Abierta").
    OPEN = "open", pgettext_lazy("plan item status", "Open")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class NoteConfidentiality(models.TextChoices):
    TEAM = "team", _("Whole case team")
    SPECIALISTS_ONLY = "specialists_only", _("Specialists only")


# The areas of the needs assessment: the sections of the questionnaire.
class NeedArea(models.TextChoices):
    DOCUMENTATION = "documentation", _("Documentation and migration status")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    WORK = "work", _("Work and skills")
    INCOME = "income", _("Income")
    HOUSING = "housing", _("Housing")
    PROTECTION = "protection", _("Protection risks")
    FAMILY = "family", _("Family")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
    # Not the outreach session's "Cancelled": the gender differs in Spanish and Portuguese.
    CANCELLED = "cancelled", pgettext_lazy("referral status", "Cancelled")
