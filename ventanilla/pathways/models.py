from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import BaseModel

_USER = settings.AUTH_USER_MODEL


class PathwayCheck(BaseModel):
    """A saved run of the navigator inside a case: what was known, what the rules said.

    A snapshot: the facts used (`records` read from the registry and needs assessment,
    `answers` given in the interview), the rules version, and the results in every
    language, so that it reads the same later even after the rules change.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="pathway_checks")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="pathway_checks"
    )
    country = models.CharField(_("host country"), max_length=2)
    evaluated_on = models.DateField(_("evaluated on"))
    rules_version = models.CharField(_("rules version"), max_length=20)
    records = models.JSONField(_("facts from the records"), default=dict)
    answers = models.JSONField(_("facts from the interview"), default=dict)
    profile = models.JSONField(_("profile evaluated"), default=dict)
    # {"es": [result, ...], "en": [...], "pt": [...]}: the evaluator's output per language.
    results = models.JSONField(_("results"), default=dict)
    stale_rules = models.BooleanField(_("rules possibly out of date"), default=False)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pathway check")
        verbose_name_plural = _("pathway checks")
        indexes = [models.Index(fields=["case", "-created_at"], name="pathways_check_case_idx")]

    def __str__(self) -> str:
        return f"{self.country} {self.evaluated_on} ({self.rules_version})"


class PathwayDeadlineTask(models.Model):
    """A case task made from a deadline of a check, so a re-run does not repeat it."""

    check_run = models.ForeignKey(
        PathwayCheck, on_delete=models.CASCADE, related_name="deadline_tasks"
    )
    task = models.OneToOneField(
        "cases.Task", on_delete=models.CASCADE, related_name="pathway_deadline"
    )
    pathway = models.CharField(_("pathway"), max_length=60)
    kind = models.CharField(_("kind"), max_length=30)
    window_from = models.DateField(_("from"))
    window_to = models.DateField(_("until"))

    class Meta:
        verbose_name = _("deadline task")
        verbose_name_plural = _("deadline tasks")

    def __str__(self) -> str:
        return f"{self.pathway} {self.kind} {self.window_to}"
