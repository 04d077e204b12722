"""``create_api_token --council SLUG --name NAME``: a token for one integration, shown once."""

from django.core.management.base import BaseCommand, CommandError

from complaints.api.authentication import integration_user
from complaints.api.models import IntegrationToken
from policies.models import Council


class Command(BaseCommand):
    help = "Create an API token for one integration of one council; the key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="Council slug, e.g. barnet")
        parser.add_argument("--name", required=True, help="Which integration uses it, e.g. housing-crm")

    def handle(self, *args, council, name, **options):
        found = Council.objects.filter(slug=council).first()
        if found is None:
            raise CommandError(f"unknown council {council!r}; run load_policies first, or check the slug")
        name = name.strip()
        if not name:
            raise CommandError("give the integration a name")
        if IntegrationToken.objects.filter(council=found, name=name, revoked_at__isnull=True).exists():
            raise CommandError(f"{found.slug} already has a live token named {name!r}: revoke it first "
                               f"(revoke_api_token --council {found.slug} --name {name})")
        integration_user(found)
        token, key = IntegrationToken.issue(council=found, name=name)
        self.stderr.write(f"Token {token.name!r} for {found.slug} (id {token.pk}). Keep the key now: "
                          "it is not stored and cannot be shown again. Send it as 'Authorization: Bearer <key>'.")
        self.stdout.write(key)
