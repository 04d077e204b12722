"""Cases at the Ombudsman: referrals, enquiries, provisional views and decisions, remedies."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from complaints.models import Complaint, Deadline
from policies.models import Council


class Ombudsman(models.TextChoices):
    LGSCO = "lgsco", "Local Government and Social Care Ombudsman"
    HOUSING = "housing", "Housing Ombudsman Service"


class OmbudsmanCase(models.Model):
    """The Ombudsman's case about a complaint, or standing alone when the Ombudsman came first."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="ombudsman_cases")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="ombudsman_cases")
    ombudsman = models.CharField(max_length=10, choices=Ombudsman.choices)
    their_reference = models.CharField(max_length=60)
    received_on = models.DateField()
    council_contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="ombudsman_cases")
    premature = models.BooleanField(default=False, help_text="Came before the council's procedure had finished.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ombudsman", "their_reference"],
                                               name="ombudsman_reference_unique")]
        indexes = [models.Index(fields=["council", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_ombudsman_display()} {self.their_reference}"


class Enquiry(models.Model):
    """An information request from the Ombudsman, with its own response deadline (a Deadline row)."""

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="enquiries")
    received_on = models.DateField()
    description = models.TextField()
    respond_within = models.PositiveSmallIntegerField()
    respond_unit = models.CharField(max_length=20, choices=[("working_days", "working days"),
                                                            ("calendar_days", "calendar days")])
    deadline = models.OneToOneField(Deadline, on_delete=models.PROTECT, related_name="ombudsman_enquiry")
    answered_at = models.DateTimeField(null=True, blank=True)


class DecisionKind(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional view"
    FINAL = "final", "Final decision"


class DecisionOutcome(models.TextChoices):
    NOT_INVESTIGATED = "not_investigated", "Not investigated"
    PREMATURE = "premature", "Premature"
    NOT_UPHELD = "not_upheld", "Not upheld"
    UPHELD = "upheld", "Upheld: maladministration and injustice"
    REMEDIED = "remedied", "Fault remedied by the council"


class Decision(models.Model):
    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=12, choices=DecisionKind.choices)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    decided_on = models.DateField()
    summary = models.TextField()
    service_manager_informed_at = models.DateTimeField(null=True, blank=True)
    director_informed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(kind="final"),
                                               name="one_final_decision_per_case")]


class RemedyKind(models.TextChoices):
    APOLOGY = "apology", "Apology"
    PAYMENT = "payment", "Payment"
    SERVICE_IMPROVEMENT = "service_improvement", "Service improvement"
    POLICY_CHANGE = "policy_change", "Policy change"


class Remedy(models.Model):
    """A recommended remedy, tracked to compliance with evidence."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=30, choices=RemedyKind.choices)
    description = models.TextField()
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    due_date = models.DateField()
    complied_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["due_date"], name="remedy_open_due", condition=models.Q(complied_at__isnull=True))]
