"""The national yardstick: what the Complaint Handling Codes require.

The Housing Ombudsman Complaint Handling Code (statutory since April 2024) and
the LGSCO Complaint Handling Code (applied from April 2026) set the same
timescales for the points checked here. Each requirement names where it comes
from so ``policy_check`` can quote it beside the council's rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeRequirement:
    key: str
    requirement: str
    reference: str
    working_days: int | None = None


CODE_NAME = "Housing Ombudsman / LGSCO Complaint Handling Code"

STAGE1_ACKNOWLEDGE = CodeRequirement(
    "stage1_acknowledge",
    "acknowledge a complaint within 5 working days of receipt",
    "HOS Code 6.2; LGSCO Code Stage 1",
    working_days=5,
)
STAGE1_RESPOND = CodeRequirement(
    "stage1_respond",
    "respond at Stage 1 within 10 working days of acknowledgement (at most 15 working days of receipt)",
    "HOS Code 6.3; LGSCO Code Stage 1",
    working_days=10,
)
STAGE1_EXTENSION = CodeRequirement(
    "stage1_extension",
    "extend a Stage 1 response by at most 10 working days without good reason",
    "HOS Code 6.4; LGSCO Code Stage 1",
    working_days=10,
)
STAGE2_ACKNOWLEDGE = CodeRequirement(
    "stage2_acknowledge",
    "acknowledge a Stage 2 request within 5 working days of the request",
    "HOS Code 6.11; LGSCO Code Stage 2",
    working_days=5,
)
STAGE2_RESPOND = CodeRequirement(
    "stage2_respond",
    "respond at Stage 2 within 20 working days of acknowledgement (at most 25 working days of the request)",
    "HOS Code section 6 (Stage 2); LGSCO Code Stage 2",
    working_days=20,
)
STAGE2_EXTENSION = CodeRequirement(
    "stage2_extension",
    "extend a Stage 2 response by at most 20 working days without good reason",
    "HOS Code section 6 (Stage 2); LGSCO Code Stage 2",
    working_days=20,
)
STAGE2_INDEPENDENT = CodeRequirement(
    "stage2_independent",
    "Stage 2 is considered by someone who did not consider Stage 1",
    "HOS Code 6.13; LGSCO Code Stage 2",
)
TWO_STAGES = CodeRequirement(
    "two_stages",
    "a two-stage procedure with no informal 'stage 0' before Stage 1 and no third stage",
    "HOS Code section 5; LGSCO Code section 5",
)
TIME_LIMIT = CodeRequirement(
    "time_limit",
    "accept complaints made within 12 months of the matter (or of becoming aware), with discretion beyond",
    "HOS Code section 3; LGSCO Code section 3",
)
HOUSING_OMBUDSMAN_ACCESS = CodeRequirement(
    "ombudsman_access",
    "residents may go to the Housing Ombudsman directly once the landlord's procedure is exhausted "
    "(the designated-person filter and 8-week wait ended on 1 October 2022)",
    "Building Safety Act 2022 (in force 1 October 2022); HOS Code section 7",
)

STAGE_REQUIREMENTS = {
    "stage1": (STAGE1_ACKNOWLEDGE, STAGE1_RESPOND, STAGE1_EXTENSION),
    "stage2": (STAGE2_ACKNOWLEDGE, STAGE2_RESPOND, STAGE2_EXTENSION),
}
