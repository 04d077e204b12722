"""Notifications to staff: exactly one per (deadline, kind), whatever retries or overlapping sweeps do."""

from django.db import models

from complaints.models.case import Complaint
from complaints.models.records import Deadline


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", "Deadline due soon"
    BREACHED = "breached", "Deadline breached"
    RESPONDED_LATE = "responded_late", "Responded late"
    EXTENDED = "extended", "Extension granted"
    OMBUDSMAN_ENQUIRY_DUE = "ombudsman_due", "Ombudsman enquiry due"


class Notification(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notifications", null=True,
                                  blank=True)
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    recipient_ids = models.JSONField(default=list, help_text="Users told: the assigned officer, managers for breaches.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="After a failure: when to try again.")
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind"], name="one_notification_per_deadline_kind"),
        ]
        indexes = [models.Index(fields=["created_at"], name="notification_unsent",
                                condition=models.Q(sent_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.complaint_id} {self.deadline_id}"
