from django.core.management.base import BaseCommand, CommandError

from ventanilla.accounts.models import User
from ventanilla.accounts.services import api_token_for


class Command(BaseCommand):
    help = "Print the API token of a user (created on first use), for integrations and scripts."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive")
        self.stdout.write(api_token_for(user=user))
