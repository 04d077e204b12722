"""``flag_breaches``: run the breach sweep now and say how many deadlines it flagged."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from complaints.services.sweeps import deadlines_flag_breaches


class Command(BaseCommand):
    help = "Flag every open deadline whose due date has passed (the beat sweep, by hand)."

    def handle(self, *args, **options):
        result = deadlines_flag_breaches(now=timezone.now())
        self.stdout.write(f"Flagged {result.flagged} deadline{'s' if result.flagged != 1 else ''} as breached; "
                          f"{result.notifications} notification{'s' if result.notifications != 1 else ''} created.")
