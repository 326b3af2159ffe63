"""Aggregate figures: counts only, never names. Small cells are suppressed."""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from ventanilla.insights.suppression import suppress
from ventanilla.registry.models import Household, Person, VisitPerson


def registry_overview() -> dict:
    by_group = (
        Person.objects.values("population_group")
        .annotate(n=Count("id"))
        .order_by("population_group")
    )
    by_locality = (
        Person.objects.values("locality__name").annotate(n=Count("id")).order_by("locality__name")
    )
    served_by_month = (
        VisitPerson.objects.annotate(month=TruncMonth("visit__occurred_at"))
        .values("month")
        .annotate(people=Count("person", distinct=True), visits=Count("visit", distinct=True))
        .order_by("-month")[:24]
    )
    return {
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
        "by_group": [(row["population_group"], suppress(row["n"])) for row in by_group],
        "by_locality": [(row["locality__name"], suppress(row["n"])) for row in by_locality],
        "served_by_month": [
            (row["month"], suppress(row["people"]), suppress(row["visits"]))
            for row in served_by_month
        ],
    }
