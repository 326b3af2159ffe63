from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.insights.figures_core import MONTH, YEAR


class PeriodKind(models.TextChoices):
    MONTH = MONTH, _("Month")
    YEAR = YEAR, _("Year")


class FigurePeriod(models.Model):
    """A calendar month or year whose figures are precomputed, and when they were computed."""

    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    start = models.DateField()
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "start"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="figure_period_unique"),
            models.CheckConstraint(
                condition=Q(start__day=1) & (Q(kind=MONTH) | Q(start__month=1)),
                name="figure_period_calendar_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start:%Y-%m}"


class FigureCell(models.Model):
    """One precomputed number: a measure, broken down by a dimension, for one period."""

    period = models.ForeignKey(FigurePeriod, on_delete=models.CASCADE, related_name="cells")
    measure = models.CharField(max_length=30)
    dimension = models.CharField(max_length=30)
    key = models.CharField(max_length=80)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "measure", "dimension", "key"], name="figure_cell_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.measure}/{self.dimension}/{self.key}={self.value}"
