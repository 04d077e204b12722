"""``seed_demo_logins``: create (or reset) one demo login per role per council and print them."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from complaints.services.demo import demo_logins_reset


class Command(BaseCommand):
    help = "Create one demo login per role per council (random passwords, printed). Not for production."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo logins are for local development only (DEBUG is off)")
        logins = demo_logins_reset()
        if not logins:
            raise CommandError("no councils loaded: run `python manage.py load_policies` first")
        self.stdout.write("Demo logins (passwords change at every start):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.password}  {login.role}, {login.council}")
