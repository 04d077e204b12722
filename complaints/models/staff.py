"""Staff: every user works for one council, in one role."""

from django.conf import settings
from django.db import models

from policies.models import Council


class StaffRole(models.TextChoices):
    COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer"
    COMPLAINTS_MANAGER = "complaints_manager", "Complaints manager"
    COUNCIL_ADMIN = "council_admin", "Council administrator"


class StaffMember(models.Model):
    """A user's place in one council: what they may see is scoped by it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=32, choices=StaffRole.choices)

    class Meta:
        indexes = [models.Index(fields=["council", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.council.slug})"
