"""The data-protection audit: retention runs, what each anonymised, and rectifications.

A ``RetentionRecord`` is written in the same transaction as the anonymisation it
records, and its one-to-one link to the case is the idempotency guarantee: a case
is anonymised at most once, however many runs overlap.
"""

from django.conf import settings
from django.db import models

from complaints.models import Complainant, Complaint, Feedback
from policies.models import Council


class Trigger(models.TextChoices):
    BEAT = "beat", "Nightly task"
    COMMAND = "command", "Management command"


class RetentionRun(models.Model):
    """One real application of the retention rules to one council (dry runs write nothing)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="retention_runs")
    as_of = models.DateField(help_text="The London date the rules were applied for.")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", help_text="Blank for the nightly task.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True, help_text="Blank while running (or if it crashed).")
    anonymised = models.PositiveIntegerField(default=0, help_text="Cases and feedback anonymised by this run.")
    held = models.PositiveIntegerField(default=0, help_text="Past retention but held back (work outstanding).")
    skipped_locked = models.PositiveIntegerField(default=0, help_text="Busy in another transaction: next run.")
    failed = models.PositiveIntegerField(default=0, help_text="Could not be anonymised (logged by id): next run.")

    class Meta:
        indexes = [models.Index(fields=["council", "started_at"])]
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"retention run {self.council.slug} {self.as_of} ({self.anonymised} anonymised)"


class RetentionRecord(models.Model):
    """One case (or one piece of feedback) anonymised: which rule, counted from when, by which run."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="records")
    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="retention_record")
    feedback = models.OneToOneField(Feedback, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="retention_record")
    reference = models.CharField(max_length=40, help_text="The case reference, or 'feedback <id>'.")
    action = models.CharField(max_length=20, default="anonymised")
    rule = models.CharField(max_length=120, help_text="e.g. '10 years after the case is closed'.")
    source = models.CharField(max_length=200, help_text="Policy version and section the rule comes from.")
    counted_from = models.DateField()
    retain_until = models.DateField()
    files_deleted = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(complaint__isnull=False, feedback__isnull=True)
                           | models.Q(complaint__isnull=True, feedback__isnull=False)),
                name="retention_record_one_subject"),
        ]
        ordering = ["run", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.action} ({self.rule})"


class Rectification(models.Model):
    """A correction of a complainant's name or contact details: which fields, why, by whom.

    The old values are deliberately not kept: rectification exists to stop holding
    the inaccurate data. Each of the complainant's cases also gets a history entry.
    """

    complainant = models.ForeignKey(Complainant, on_delete=models.PROTECT, related_name="rectifications")
    fields = models.JSONField(help_text="Names of the fields changed.")
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"rectified {', '.join(self.fields)} of complainant {self.complainant_id}"
