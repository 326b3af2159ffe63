"""Recompute the precomputed figures (calendar months and years). Meant for cron.

Without options: this year (and last year during January), only the periods older than
VENTANILLA_FIGURES_MAX_AGE_MINUTES: run it from cron more often than that. Earlier years
change little (a referral's status moves on): refresh them nightly with --all.
"""

from django.core.management.base import BaseCommand
from django.db.models import Min
from django.utils import timezone

from ventanilla.insights import services


class Command(BaseCommand):
    help = "Recompute the center's figures for calendar months and years."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="Only this year.")
        parser.add_argument("--all", action="store_true", help="Every year with records.")
        parser.add_argument(
            "--force", action="store_true", help="Recompute even periods that are fresh."
        )

    def handle(self, *args, year=None, all=False, force=False, **options):
        today = timezone.localdate()
        if all:
            years = range(_first_year(today), today.year + 1)
        elif year:
            years = sorted(set(year))
        else:
            years = [today.year - 1, today.year] if today.month == 1 else [today.year]
        total = 0
        for y in years:
            if y > today.year:
                continue
            done = services.figures_refresh_year(year=y, only_if_stale=not force)
            total += done
            self.stdout.write(f"{y}: {done} period(s) recomputed")
        self.stdout.write(self.style.SUCCESS(f"{total} period(s) recomputed"))


def _first_year(today) -> int:
    from ventanilla.cases.models import Referral
    from ventanilla.outreach.models import OutreachSession
    from ventanilla.registry.models import Visit

    firsts = [
        Visit.objects.aggregate(d=Min("occurred_at"))["d"],
        Referral.objects.aggregate(d=Min("sent_at"))["d"],
        OutreachSession.objects.aggregate(d=Min("date"))["d"],
    ]
    years = [
        (timezone.localtime(d) if hasattr(d, "hour") else d).year for d in firsts if d is not None
    ]
    return min(years, default=today.year)
