"""The body of each complaint action. Every one carries ``version``: the case version the caller
last read, passed to the service as ``expected_version`` (a 409 "stale" if the case has moved on)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from complaints.api.fields import (
    InstantField,
    MoneyField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictIntegerField,
    UsernameField,
)
from complaints.models import LinkKind, Outcome

REASON = 5000
# The links an officer makes (a transfer links itself); LinkKindEnum in the schema.
LINK_KINDS = [(LinkKind.JOINT, LinkKind.JOINT.label), (LinkKind.MULTI_SERVICE, LinkKind.MULTI_SERVICE.label)]


class VersionedSerializer(serializers.Serializer):
    version = StrictIntegerField(min_value=1, max_value=2**31 - 1,
                                 help_text="The case's version when you read it (optimistic lock).")


class AtSerializer(VersionedSerializer):
    at = InstantField(required=False, help_text="When it happened (default: now).")


class AcknowledgeSerializer(AtSerializer):
    pass


class ExtendSerializer(VersionedSerializer):
    new_date = StrictDateField(help_text="The new response date (later than the current one).")
    reason = StrictCharField(max_length=REASON, help_text="Why; the complainant is told.")
    complainant_told_at = InstantField(required=False, help_text="When the complainant was told (default: now).")
    complainant_agreed = StrictBooleanField(required=False, default=False,
                                            help_text="The complainant agreed to go past the policy's limit.")


class RemedyActionSerializer(serializers.Serializer):
    description = StrictCharField(max_length=REASON)
    owner = UsernameField(help_text="Username of the officer who owns it (caller's council).")
    due_date = StrictDateField()


class RespondSerializer(AtSerializer):
    outcome = StrictChoiceField(choices=Outcome.choices)
    findings = StrictCharField(max_length=50000)
    remedy_apology = StrictBooleanField(required=False, default=False)
    remedy_explanation = StrictBooleanField(required=False, default=False)
    remedy_action = StrictCharField(max_length=REASON, required=False, allow_blank=True, default="")
    compensation_amount = MoneyField(required=False, default=Decimal(0))
    compensation_offset_against_arrears = MoneyField(required=False, default=Decimal(0))
    learning_points = StrictCharField(max_length=REASON, required=False, allow_blank=True, default="")
    actions = RemedyActionSerializer(many=True, required=False, default=list)


class EscalateSerializer(VersionedSerializer):
    requested_at = InstantField(required=False,
                                help_text="When the complainant asked for the next stage (default: now).")
    reviewer = UsernameField(required=False, allow_null=True, default=None,
                             help_text="Who reviews it at the next stage (not anyone who handled this one).")
    discretion_reason = StrictCharField(max_length=REASON, required=False, allow_blank=True, default="",
                                        help_text="Why a late request is accepted; on an informal complaint, "
                                                  "why it is made formal.")


class ReasonSerializer(AtSerializer):
    reason = StrictCharField(max_length=REASON)


class OptionalReasonSerializer(AtSerializer):
    reason = StrictCharField(max_length=REASON, required=False, allow_blank=True, default="")


class HoldSerializer(ReasonSerializer):
    pass


class ResumeSerializer(OptionalReasonSerializer):
    pass


class WithdrawSerializer(OptionalReasonSerializer):
    pass


class CloseSerializer(OptionalReasonSerializer):
    pass


class ReopenSerializer(ReasonSerializer):
    pass


class ReferSerializer(OptionalReasonSerializer):
    pass


class RefuseSerializer(AtSerializer):
    reason = StrictCharField(max_length=REASON)
    signposting = StrictCharField(max_length=REASON, help_text="Where the complainant can go instead.")


class TriageSerializer(AtSerializer):
    route = StrictChoiceField(choices=["stage1", "informal", "service_request"])
    reason = StrictCharField(max_length=REASON, required=False, allow_blank=True, default="")


class AssignSerializer(VersionedSerializer):
    officer = UsernameField(help_text="Username of an officer of the caller's council.")


class ConsentSerializer(AtSerializer):
    received_on = StrictDateField(past=True)
    evidence = StrictCharField(max_length=300, help_text="e.g. signed form received by post.")


class MeetingSerializer(VersionedSerializer):
    meeting_on = StrictDateField(past=True, help_text="When the meeting (e.g. the panel's) took place.")


class NotifyDepartmentSerializer(AtSerializer):
    pass


class MakeFormalSerializer(OptionalReasonSerializer):
    pass


class ResolveInformallySerializer(ReasonSerializer):
    pass


class TransferSerializer(AtSerializer):
    to_council = StrictCharField(max_length=50,
                                 help_text="Slug of the body that takes the complaint (another council on this "
                                           "service); it is received there now, under that body's policy.")
    reason = StrictCharField(max_length=REASON)


class LinkSerializer(VersionedSerializer):
    reference = StrictCharField(max_length=30, help_text="Reference of the other case (the caller's council).")
    kind = StrictChoiceField(choices=LINK_KINDS,
                             help_text="joint: several complainants, one issue; multi_service: several services, "
                                       "one co-ordinated response.")


class AdjustmentsSerializer(VersionedSerializer):
    adjustments = StrictCharField(max_length=REASON, allow_blank=True,
                                  help_text="What the complainant needs from us; blank if none.")
    contact_preference = StrictChoiceField(choices=["email", "phone", "letter"])
