import os

from django.conf import settings
from django.core.management.base import BaseCommand

from ventanilla.accounts.models import User
from ventanilla.core.management.commands.seed_demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo users, their roles and the demo password."

    def handle(self, *args, **options):
        names = [row[0] for row in DEMO_USERS]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=names).select_related("organization")
        }
        self.stdout.write(f"\nDemo users (password: {settings.VENTANILLA_DEMO_PASSWORD})")
        for name in names:
            user = users.get(name)
            if user:
                self.stdout.write(
                    f"  {name:<14} {', '.join(user.role_labels):<40} {user.organization}"
                )
        self.stdout.write(f"\nOpen http://127.0.0.1:{os.environ.get('PORT', '8000')}/\n")
