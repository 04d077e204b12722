"""The complaint itself, its people and its state machine.

The ``state`` field is protected: it changes only through the transition
methods below, and those are called only from ``complaints.services``, which
lock the row, check the council's policy, record who/when/why and recompute
deadlines. The transitions here hold only the rules that need nothing but the
case itself; policy guards live in the services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from policies.models import Council, PolicyVersion


class State(models.TextChoices):
    NEW = "new", "New, awaiting triage"
    INFORMAL = "informal", "Informal resolution"
    STAGE1 = "stage1", "Stage 1"
    STAGE1_RESPONDED = "stage1_responded", "Stage 1 answered"
    STAGE2 = "stage2", "Stage 2"
    STAGE2_RESPONDED = "stage2_responded", "Stage 2 answered"
    PANEL = "panel", "Panel"
    PANEL_RESPONDED = "panel_responded", "Panel answered"
    ON_HOLD = "on_hold", "On hold"
    OMBUDSMAN = "ombudsman", "With the Ombudsman"
    CLOSED = "closed", "Closed"
    SERVICE_REQUEST = "service_request", "Service request"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


WORKING = [State.INFORMAL, State.STAGE1, State.STAGE2, State.PANEL]
RESPONDED = [State.STAGE1_RESPONDED, State.STAGE2_RESPONDED, State.PANEL_RESPONDED]
OPEN = [State.NEW, *WORKING, *RESPONDED, State.ON_HOLD]
TERMINAL = [State.CLOSED, State.REFUSED, State.WITHDRAWN, State.SERVICE_REQUEST]
RESPONDED_STATE = {State.STAGE1: State.STAGE1_RESPONDED, State.STAGE2: State.STAGE2_RESPONDED,
                   State.PANEL: State.PANEL_RESPONDED}
STAGE_OF_STATE = {
    State.INFORMAL: "informal", State.STAGE1: "stage1", State.STAGE1_RESPONDED: "stage1",
    State.STAGE2: "stage2", State.STAGE2_RESPONDED: "stage2", State.PANEL: "panel", State.PANEL_RESPONDED: "panel",
}


class Channel(models.TextChoices):
    ONLINE = "online", "Online form"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    REPRESENTATIVE = "representative", "Via a representative"


class ServiceArea(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="service_areas")
    name = models.CharField(max_length=120)
    category = models.SlugField(
        max_length=60, help_text="Routing category used by the policy (e.g. social_housing, homelessness)."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="service_area_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Complainant(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="complainants")
    name = models.CharField(max_length=200, blank=True, help_text="Blank for an anonymous complaint.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    contact_preference = models.CharField(
        max_length=20, choices=[("email", "Email"), ("phone", "Phone"), ("letter", "Letter")], default="email"
    )
    complainant_type = models.CharField(
        max_length=30, blank=True, help_text="e.g. tenant, leaseholder, resident (panel eligibility)."
    )
    reasonable_adjustments = models.TextField(blank=True)
    adjustments_reviewed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name or "Anonymous"


class Consent(models.TextChoices):
    NONE = "none", "Not asked"
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"


class Complaint(ConcurrentTransitionMixin, models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="complaints")
    reference = models.CharField(max_length=30)
    sequence = models.PositiveIntegerField()
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="complaints")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField()
    incident_date = models.DateField(null=True, blank=True)
    aware_date = models.DateField(null=True, blank=True)
    service_areas = models.ManyToManyField(ServiceArea, related_name="complaints", blank=True)
    category = models.CharField(max_length=60, blank=True)
    summary = models.CharField(max_length=300)
    complainant_words = models.TextField(blank=True)
    desired_outcome = models.TextField(blank=True)
    complainant = models.ForeignKey(Complainant, on_delete=models.PROTECT, related_name="complaints")
    is_anonymous = models.BooleanField(default=False)
    out_of_time = models.BooleanField(default=False, help_text="Made after the policy's time limit.")
    discretion_reason = models.TextField(blank=True)

    representative_name = models.CharField(max_length=200, blank=True)
    representative_relationship = models.CharField(max_length=60, blank=True)
    representative_role = models.CharField(max_length=30, blank=True, help_text="e.g. relative, mp, councillor")
    consent = models.CharField(max_length=20, choices=Consent.choices, default=Consent.NONE)
    consent_received_on = models.DateField(null=True, blank=True)
    consent_evidence = models.CharField(max_length=300, blank=True)

    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_complaints"
    )
    stage = models.CharField(max_length=20, blank=True)
    state = FSMField(default=State.NEW, choices=State.choices, protected=True)
    held_from = models.CharField(max_length=20, blank=True, help_text="State to resume after a hold.")
    held_since = models.DateField(null=True, blank=True)
    held_for_consent = models.BooleanField(default=False)
    closed_after_stage = models.CharField(max_length=20, blank=True)
    refusal_reason = models.TextField(blank=True)
    signposting = models.TextField(blank=True)
    transferred_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="transferred_from")
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped by every change.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The change reason is "<event>: <officer's reason>" (refusal reasons, discretion reasons,
    # extension reasons): free text, so not the library's default varchar(100).
    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="complaint_reference_unique"),
            models.UniqueConstraint(fields=["council", "sequence"], name="complaint_sequence_unique"),
        ]
        indexes = [
            models.Index(fields=["council", "state"]),
            models.Index(fields=["council", "received_at"]),
            models.Index(fields=["assigned_officer", "state"]),
            # The case list's open cases in received order (complaints.staff.queries): walking
            # (council, received_at) would skip every closed case. Created by staff migration 0003,
            # declared here since complaints 0007 so a change to OPEN makes a new migration.
            models.Index(fields=["council", "received_at", "id"], name="staff_open_case_received",
                         condition=models.Q(state__in=OPEN)),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def policy(self):
        return self.policy_version.policy

    # -- transitions (called only by complaints.services) ----------------------
    @transition(field=state, source=[State.NEW, State.SERVICE_REQUEST], target=State.STAGE1)
    def start_stage1(self):
        self.stage = "stage1"

    @transition(field=state, source=State.NEW, target=State.INFORMAL)
    def start_informal(self):
        self.stage = "informal"

    @transition(field=state, source=State.INFORMAL, target=State.STAGE1)
    def make_formal(self):
        self.stage = "stage1"

    @transition(field=state, source=State.NEW, target=State.SERVICE_REQUEST)
    def make_service_request(self):
        self.stage = ""

    @transition(field=state, source=[State.NEW, State.INFORMAL, State.STAGE1, State.STAGE2, State.SERVICE_REQUEST],
                target=State.REFUSED)
    def refuse(self):
        pass

    @transition(field=state, source=[State.STAGE1, State.STAGE2, State.PANEL], target=RETURN_VALUE(*RESPONDED))
    def respond(self):
        return RESPONDED_STATE[State(self.state)]

    @transition(field=state, source=State.INFORMAL, target=State.CLOSED)
    def resolve_informally(self):
        self.closed_after_stage = "informal"

    @transition(field=state, source=State.STAGE1_RESPONDED, target=State.STAGE2)
    def escalate_to_stage2(self):
        self.stage = "stage2"

    @transition(field=state, source=State.STAGE2_RESPONDED, target=State.PANEL)
    def escalate_to_panel(self):
        self.stage = "panel"

    @transition(field=state, source=RESPONDED, target=State.CLOSED)
    def close(self):
        self.closed_after_stage = self.stage

    @transition(field=state, source=[State.INFORMAL, State.STAGE1, State.STAGE2, State.PANEL], target=State.ON_HOLD)
    def hold(self):
        self.held_from = self.state

    @transition(field=state, source=State.ON_HOLD, target=RETURN_VALUE(*WORKING))
    def resume(self):
        return self.held_from

    @transition(field=state, source=OPEN, target=State.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=[*OPEN, State.CLOSED], target=State.OMBUDSMAN)
    def refer_to_ombudsman(self):
        pass

    @transition(field=state, source=OPEN, target=State.CLOSED)
    def close_on_transfer(self):
        self.closed_after_stage = self.stage

    @transition(field=state, source=State.CLOSED, target=RETURN_VALUE(*RESPONDED, State.INFORMAL))
    def reopen(self):
        return {"informal": State.INFORMAL, "stage1": State.STAGE1_RESPONDED,
                "stage2": State.STAGE2_RESPONDED, "panel": State.PANEL_RESPONDED}[self.closed_after_stage]
