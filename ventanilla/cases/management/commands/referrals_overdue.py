from django.core.management.base import BaseCommand

from ventanilla.cases.services import referrals_notify_overdue


class Command(BaseCommand):
    help = "Notify senders and providers of referrals past their due date (once each)."

    def handle(self, *args, **options):
        count = referrals_notify_overdue()
        self.stdout.write(f"{count} overdue referral(s) notified")
