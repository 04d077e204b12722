"""Notes, correspondence, feedback, Ombudsman cases, councils, deadlines and the dashboard."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.api.fields import (
    InstantField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictEmailField,
    StrictIntegerField,
    UsernameField,
)
from complaints.api.serializers_attachments import AttachmentSerializer
from complaints.models import Correspondence, DeadlineKind, Feedback, FeedbackKind, Note
from ombudsman.models import Decision, Enquiry, Ombudsman, OmbudsmanCase

REFERENCE = {"type": "string", "nullable": True, "description": "The complaint's reference."}


# --- notes and correspondence ------------------------------------------------------
class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, help_text="Username.")

    class Meta:
        model = Note
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    text = StrictCharField(max_length=20000)


class CorrespondenceSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                               help_text="Username.")
    letter_kind = serializers.CharField(help_text="acknowledgement, holding or stage_response for a letter the "
                                                  "system wrote; blank for other correspondence.")
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Correspondence
        fields = ["id", "direction", "kind", "subject", "body", "occurred_at", "recorded_by", "letter_kind",
                  "delivery_status", "created_at", "attachments"]
        read_only_fields = fields


class CorrespondenceCreateSerializer(serializers.Serializer):
    direction = StrictChoiceField(choices=Correspondence.DIRECTIONS,
                                  help_text="in: from the complainant; out: from us.")
    kind = StrictChoiceField(choices=Correspondence.KINDS)
    subject = StrictCharField(max_length=300)
    body = StrictCharField(max_length=50000, required=False, allow_blank=True, default="")
    occurred_at = InstantField(required=False, help_text="When it was sent or received (default: now).")


# --- feedback ----------------------------------------------------------------------------
class FeedbackSerializer(serializers.ModelSerializer):
    email = serializers.CharField(help_text="Blank when not given.")

    class Meta:
        model = Feedback
        fields = ["id", "kind", "text", "received_at", "service_area", "name", "email"]
        read_only_fields = fields


class FeedbackCreateSerializer(serializers.Serializer):
    kind = StrictChoiceField(choices=FeedbackKind.choices)
    text = StrictCharField(max_length=20000)
    received_at = InstantField(required=False, help_text="Default: now.")
    service_area = StrictIntegerField(min_value=1, required=False, allow_null=True, default=None,
                                      help_text="A service area id of the caller's council.")
    name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    email = StrictEmailField(max_length=254, required=False, allow_blank=True, default="")


class FeedbackFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices, required=False)


# --- the Ombudsman ----------------------------------------------------------------------
class EnquirySerializer(serializers.ModelSerializer):
    due_date = serializers.DateField(source="deadline.due_date")

    class Meta:
        model = Enquiry
        fields = ["id", "received_on", "description", "respond_within", "respond_unit", "due_date", "answered_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "kind", "outcome", "decided_on", "summary"]
        read_only_fields = fields


class OmbudsmanCaseSerializer(serializers.ModelSerializer):
    complaint = serializers.SerializerMethodField()
    council_contact = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                                   help_text="Username.")
    enquiries = EnquirySerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = OmbudsmanCase
        fields = ["id", "ombudsman", "their_reference", "received_on", "complaint", "premature", "council_contact",
                  "created_at", "enquiries", "decisions"]
        read_only_fields = fields

    @extend_schema_field(REFERENCE)
    def get_complaint(self, case) -> str | None:
        return case.complaint.reference if case.complaint_id else None


class OmbudsmanCaseCreateSerializer(serializers.Serializer):
    ombudsman = StrictChoiceField(choices=Ombudsman.choices)
    their_reference = StrictCharField(max_length=60, help_text="The Ombudsman's own reference.")
    received_on = StrictDateField(past=True)
    complaint = StrictCharField(max_length=30, required=False, allow_null=True, default=None,
                                help_text="Reference of the caller's complaint it is about (moves it to the "
                                          "Ombudsman stage); none when the Ombudsman came first.")
    council_contact = UsernameField(required=False, allow_null=True, default=None)


# --- councils ----------------------------------------------------------------------------
class DepartureSerializer(serializers.Serializer):
    stage = serializers.CharField(allow_null=True)
    rule = serializers.CharField()
    policy_says = serializers.CharField()
    policy_source = serializers.CharField()
    code_requires = serializers.CharField()
    code_reference = serializers.CharField()


class PolicyStageSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    letter_label = serializers.CharField()


class CurrentPolicySerializer(serializers.Serializer):
    version_id = serializers.CharField()
    effective_from = serializers.DateField()
    document = serializers.CharField()
    default_ombudsman = serializers.CharField()
    stages = PolicyStageSerializer(many=True)
    departures = DepartureSerializer(many=True, help_text="Where the policy departs from the Complaint "
                                                          "Handling Codes (as policy_check reports).")


class CouncilSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    reference_prefix = serializers.CharField()
    policy = CurrentPolicySerializer(allow_null=True, help_text="The policy version in force today.")


# --- deadlines and the dashboard ---------------------------------------------------------------
class DeadlineFilterSerializer(serializers.Serializer):
    overdue = serializers.ChoiceField(choices=["true", "false"], required=False,
                                      help_text="true: council deadlines of open cases (and Ombudsman "
                                                "enquiries) past due and not paused; false: all others.")
    stage = serializers.ChoiceField(choices=["informal", "stage1", "stage2", "panel", "ombudsman"], required=False)
    kind = serializers.ChoiceField(choices=DeadlineKind.choices, required=False)
    open = serializers.ChoiceField(choices=["true", "false"], required=False,
                                   help_text="true: not yet met or cancelled.")


class StageFiguresSerializer(serializers.Serializer):
    stage = serializers.CharField()
    open = serializers.IntegerField(help_text="Open council deadlines of cases at this stage.")
    overdue = serializers.IntegerField(help_text="Of those, past due and not paused.")


class DashboardSerializer(serializers.Serializer):
    council = serializers.SlugField()
    today = serializers.DateField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    stages = StageFiguresSerializer(many=True)


