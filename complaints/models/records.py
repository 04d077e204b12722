"""What is recorded on a case: deadlines, notes, correspondence, outcomes, actions, links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from complaints.models.case import Complaint
from policies.models import Council


class CaseStage(models.Model):
    """The events of one stage of one case: what the deadline engine counts from."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20)
    started_at = models.DateTimeField(help_text="Receipt, escalation request or panel confirmation.")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    department_notified_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="handled_stages", blank=True)
    escalation_discretion_reason = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[handled_by])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "stage"], name="case_stage_unique")]
        # The reports count stages started and answered in a period (complaints.reports.selectors.timeliness).
        indexes = [models.Index(fields=["started_at"], name="case_stage_started"),
                   models.Index(fields=["responded_at"], name="case_stage_responded")]


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Acknowledge"
    RESPOND = "respond", "Respond"
    TARGET = "target", "Target response"
    MEETING = "meeting", "Panel meeting"
    NOTIFY_DEPARTMENT = "notify_department", "Notify the department"
    ESCALATE = "escalate", "Ask for the next stage"
    OVERALL = "overall", "Overall resolution"
    OMBUDSMAN_ENQUIRY = "ombudsman_enquiry", "Answer the Ombudsman's enquiry"


class Deadline(models.Model):
    """One promised date of one stage of one case, stored so overdue queries are index scans.

    ``due_date`` is the current deadline (after extensions); ``cap_date`` is
    the latest an extension may reach without the complainant's agreement.
    Rows are written only by the lifecycle services, and by the ombudsman app
    for the Ombudsman's enquiry deadlines (which may have no complaint: the
    Ombudsman sometimes contacts the council first); ``responsible`` is then
    who answers for it.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="deadlines", null=True, blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20)
    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    due_date = models.DateField()
    original_due_date = models.DateField()
    cap_date = models.DateField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True, help_text="When the due-soon warning went out.")
    late_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Met this many working days after the due date (reports use it).")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    extensions = models.PositiveSmallIntegerField(default=0)
    explanation = models.TextField()
    rule_source = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage", "kind"], name="deadline_unique_per_stage_kind"),
        ]
        indexes = [
            models.Index(
                fields=["council", "due_date"], name="deadline_open_due",
                condition=models.Q(met_at__isnull=True, cancelled_at__isnull=True, paused=False),
            ),
        ]
        ordering = ["due_date"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.stage} {self.kind} by {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None


class Extension(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extension_records")
    from_date = models.DateField()
    to_date = models.DateField()
    reason = models.TextField()
    agreed_by_complainant = models.BooleanField(default=False)
    complainant_told_at = models.DateTimeField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)


class Note(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)


class DeliveryStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not sent by the system (printed, or recorded after the fact)"
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: not sent after every retry"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    HOLDING = "holding", "Holding letter"
    STAGE_RESPONSE = "stage_response", "Stage response"


class Correspondence(models.Model):
    DIRECTIONS = [("in", "Incoming"), ("out", "Outgoing")]
    KINDS = [("letter", "Letter"), ("email", "Email"), ("call", "Phone call"), ("meeting", "Meeting")]

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="correspondence")
    direction = models.CharField(max_length=3, choices=DIRECTIONS)
    kind = models.CharField(max_length=10, choices=KINDS)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Letters and emails the system writes to the complainant, and their delivery.
    letter_kind = models.CharField(max_length=20, choices=LetterKind.choices, blank=True,
                                   help_text="Which template letter this is; blank for other correspondence.")
    recipient = models.TextField(blank=True, help_text="Email address, or postal address for a printed letter.")
    delivery_status = models.CharField(max_length=20, choices=DeliveryStatus.choices,
                                       default=DeliveryStatus.NOT_APPLICABLE)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_error = models.TextField(blank=True, help_text="The last delivery failure, kept after a later success.")

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"], name="correspondence_pending",
                                condition=models.Q(delivery_status="pending"))]


class Attachment(models.Model):
    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class StageOutcome(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="outcomes")
    stage = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    findings = models.TextField()
    responded_at = models.DateTimeField()
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    remedy_apology = models.BooleanField(default=False)
    remedy_explanation = models.BooleanField(default=False)
    remedy_action = models.TextField(blank=True)
    compensation_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    compensation_offset_against_arrears = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    learning_points = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "stage"], name="one_outcome_per_stage")]
        # The reports count outcomes, remedies and learning by response date.
        indexes = [models.Index(fields=["responded_at"], name="stage_outcome_responded")]


class Action(models.Model):
    """Something the council promised to do, tracked to completion after the case closes."""

    outcome = models.ForeignKey(StageOutcome, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaint_actions")
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["due_date"], name="action_open_due", condition=models.Q(completed_at__isnull=True))]


class LinkKind(models.TextChoices):
    JOINT = "joint", "Same issue, joint investigation"
    MULTI_SERVICE = "multi_service", "Several services, one co-ordinated response"
    TRANSFERRED = "transferred", "Transferred to another body"


class ComplaintLink(models.Model):
    from_complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="links_out")
    to_complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_complaint", "to_complaint", "kind"], name="link_unique"),
            models.CheckConstraint(condition=~models.Q(from_complaint=models.F("to_complaint")), name="link_not_self"),
        ]


class FeedbackKind(models.TextChoices):
    COMPLIMENT = "compliment", "Compliment"
    COMMENT = "comment", "Comment"
    SUGGESTION = "suggestion", "Suggestion"


class Feedback(models.Model):
    """Compliments, comments and suggestions: recorded and reported, no stages."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    service_area = models.ForeignKey("complaints.ServiceArea", on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField()
    received_at = models.DateTimeField()
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["council", "kind", "received_at"])]
