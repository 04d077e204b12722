"""Complaints as the API shows and takes them, with their deadlines."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.api.fields import (
    InstantField,
    QueryIntegerField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictEmailField,
    StrictIntegerField,
)
from complaints.api.scoping import deadline_is_overdue
from complaints.api.serializers_actions import LINK_KINDS
from complaints.models import Channel, Complaint, Consent, Deadline, DeadlineKind, LinkKind, State
from deadlines.calendar import london_date

STAGES = ["informal", "stage1", "stage2", "panel"]
CONTACT = ["email", "phone", "letter"]

# django-fsm transition -> the API actions that make it (moves the state machine allows now;
# the council's policy may still refuse them with a 409).
TRANSITION_ACTIONS = {
    "start_stage1": ["triage"], "start_informal": ["triage"], "make_service_request": ["triage"],
    "refuse": ["refuse"], "respond": ["respond"], "resolve_informally": ["resolve-informally", "close"],
    "close": ["close"], "make_formal": ["make-formal", "escalate"], "escalate_to_stage2": ["escalate"],
    "escalate_to_panel": ["escalate"], "hold": ["hold"], "resume": ["resume"], "withdraw": ["withdraw"],
    "refer_to_ombudsman": ["refer-to-ombudsman"], "reopen": ["reopen"], "close_on_transfer": ["transfer"],
}
# Records beside the case, possible whatever its state (as on the case screens).
ALWAYS = {"link", "record-adjustments"}
WORKING = {State.INFORMAL, State.STAGE1, State.STAGE2, State.PANEL}


def today():
    return london_date(timezone.now())


# --- output --------------------------------------------------------------------
class DeadlineSerializer(serializers.ModelSerializer):
    complaint = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = ["id", "complaint", "stage", "kind", "kind_label", "due_date", "original_due_date", "cap_date",
                  "provisional", "paused", "extensions", "met_at", "late_working_days", "breached_at",
                  "cancelled_at", "overdue", "explanation", "rule_source"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True, "description": "The complaint's reference."})
    def get_complaint(self, row) -> str | None:
        return row.complaint.reference if row.complaint_id else None

    def get_overdue(self, row) -> bool:
        return deadline_is_overdue(row, today())


class ServiceAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()


class ComplainantOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    contact_preference = serializers.CharField()
    complainant_type = serializers.CharField()
    reasonable_adjustments = serializers.CharField()


class RepresentativeOutSerializer(serializers.Serializer):
    name = serializers.CharField(source="representative_name")
    relationship = serializers.CharField(source="representative_relationship")
    role = serializers.CharField(source="representative_role")
    consent = serializers.CharField()
    consent_received_on = serializers.DateField(allow_null=True)
    consent_evidence = serializers.CharField()


class CaseLinkSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The other case, of the same council.")
    kind = serializers.ChoiceField(choices=LINK_KINDS)
    created_at = serializers.DateTimeField()


class TransferredToSerializer(serializers.Serializer):
    council = serializers.SlugField(help_text="The body that took the complaint.")
    reference = serializers.CharField(help_text="The complaint's reference there.")


class ComplaintSummarySerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField(source="get_state_display")
    assigned_officer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                                    help_text="Username.")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["reference", "state", "state_label", "stage", "version", "channel", "received_at", "summary",
                  "assigned_officer", "overdue"]
        read_only_fields = fields

    def get_overdue(self, case) -> bool:
        value = getattr(case, "is_overdue", None)
        if value is None:
            value = any(deadline_is_overdue(d, today()) for d in case.deadlines.all())
        return bool(value)


class ComplaintSerializer(ComplaintSummarySerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    policy_version = serializers.SlugRelatedField(slug_field="version_id", read_only=True)
    service_areas = ServiceAreaSerializer(many=True, read_only=True)
    complainant = ComplainantOutSerializer(read_only=True)
    representative = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()
    transferred_to = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ComplaintSummarySerializer.Meta):
        fields = ComplaintSummarySerializer.Meta.fields + [
            "council", "policy_version", "incident_date", "aware_date", "category", "complainant_words",
            "desired_outcome", "service_areas", "complainant", "representative", "is_anonymous", "out_of_time",
            "held_since", "closed_after_stage", "refusal_reason", "signposting", "deadlines", "links",
            "transferred_to", "available_actions",
            "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(RepresentativeOutSerializer(allow_null=True))
    def get_representative(self, case):
        return RepresentativeOutSerializer(case).data if case.representative_name else None

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case):
        rows = sorted(case.deadlines.all(), key=lambda d: (d.due_date, d.pk))
        return DeadlineSerializer(rows, many=True).data

    @extend_schema_field(CaseLinkSerializer(many=True))
    def get_links(self, case):
        """Links to and from other cases of the same council (a transfer is ``transferred_to``)."""
        rows = [(link.to_complaint, link) for link in case.links_out.all()]
        rows += [(link.from_complaint, link) for link in case.links_in.all()]
        return [{"reference": other.reference, "kind": link.kind, "created_at": link.created_at}
                for other, link in sorted(rows, key=lambda r: (r[1].created_at, r[1].pk))
                if other.council_id == case.council_id and link.kind != LinkKind.TRANSFERRED]

    @extend_schema_field(TransferredToSerializer(allow_null=True))
    def get_transferred_to(self, case):
        if case.transferred_to_id is None:
            return None
        return {"council": case.transferred_to.council.slug, "reference": case.transferred_to.reference}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, case):
        actions = {name for t in case.get_available_state_transitions()
                   for name in TRANSITION_ACTIONS.get(t.name, [])}
        actions |= ALWAYS
        if case.transferred_to_id is not None:
            actions.discard("reopen")  # the complaint continues at the body it went to
        if case.state in WORKING:
            actions |= {"acknowledge", "extend", "notify-department"}
            rule = case.policy.stage(case.stage)
            if rule is not None and rule.meeting is not None:
                actions.add("record-meeting")
        if case.state not in {State.CLOSED, State.REFUSED, State.WITHDRAWN, State.SERVICE_REQUEST}:
            actions.add("assign")
        if case.representative_name and case.consent != Consent.RECEIVED:
            actions.add("record-consent")
        return sorted(actions)


# --- input ----------------------------------------------------------------------
class ComplainantInSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    email = StrictEmailField(required=False, allow_blank=True, default="", max_length=254)
    phone = StrictCharField(max_length=40, required=False, allow_blank=True, default="")
    address = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    contact_preference = StrictChoiceField(choices=CONTACT, required=False, default="email")
    complainant_type = StrictCharField(max_length=30, required=False, allow_blank=True, default="",
                                       help_text="e.g. tenant, leaseholder, resident (panel eligibility).")
    reasonable_adjustments = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


class RepresentativeInSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    relationship = StrictCharField(max_length=60)
    role = StrictCharField(max_length=30, required=False, allow_blank=True, default="",
                           help_text="e.g. relative, mp, councillor (some councils exclude some roles).")
    consent = StrictChoiceField(choices=Consent.choices, required=False, default=Consent.NONE)
    consent_received_on = StrictDateField(past=True, required=False, allow_null=True, default=None)
    consent_evidence = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class ComplaintCreateSerializer(serializers.Serializer):
    summary = StrictCharField(max_length=300, help_text="What the complaint is about, in a line.")
    channel = StrictChoiceField(choices=Channel.choices, required=False, default=Channel.ONLINE)
    received_at = InstantField(required=False, help_text="When it was received (default: now).")
    complainant_words = StrictCharField(max_length=20000, required=False, allow_blank=True, default="")
    desired_outcome = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    incident_date = StrictDateField(past=True, required=False, allow_null=True, default=None)
    aware_date = StrictDateField(past=True, required=False, allow_null=True, default=None)
    category = StrictCharField(max_length=60, required=False, allow_blank=True, default="")
    service_areas = serializers.ListField(child=StrictIntegerField(min_value=1), required=False, default=list,
                                         max_length=20, help_text="Service area ids of the caller's council.")
    complainant = ComplainantInSerializer()
    representative = RepresentativeInSerializer(required=False, allow_null=True, default=None)
    anonymous = StrictBooleanField(required=False, default=False)


# --- list filters -------------------------------------------------------------------
class ComplaintFilterSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=STAGES, required=False)
    state = serializers.ChoiceField(choices=State.choices, required=False)
    overdue = serializers.ChoiceField(choices=["true", "false"], required=False,
                                      help_text="true: only cases with a council deadline past due.")
    due_before = StrictDateField(required=False, help_text="Cases with an open deadline due before this date.")
    service_area = QueryIntegerField(min_value=1, required=False)
    received_from = StrictDateField(required=False, help_text="Received on or after this date (London).")
    received_to = StrictDateField(required=False, help_text="Received on or before this date (London).")
