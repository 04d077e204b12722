"""``revoke_api_token --council SLUG --name NAME``: the token stops working at once."""

from django.core.management.base import BaseCommand, CommandError

from complaints.api.models import IntegrationToken


class Command(BaseCommand):
    help = "Revoke an integration's live API token."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="Council slug")
        parser.add_argument("--name", required=True, help="The integration's name")

    def handle(self, *args, council, name, **options):
        token = IntegrationToken.objects.filter(council__slug=council, name=name.strip(),
                                                revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"{council} has no live token named {name!r}")
        token.revoke()
        self.stdout.write(f"Revoked {token.name!r} of {council} (id {token.pk}); last used "
                          f"{token.last_used_at.isoformat() if token.last_used_at else 'never'}.")
