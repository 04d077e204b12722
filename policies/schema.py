"""The shape of a council policy file, checked on load.

A policy file is a council's complaints procedure as data. Every rule carries
``source``: the section of the council's document it comes from, or ``code``
where the document is silent and the statutory Complaint Handling Code fills
the gap, or ``default`` where neither says anything and the deployment's
default applies (shown as such, to be reviewed with the council). Unknown
keys are refused (``extra="forbid"``) so that a typo in a file is an error,
not a silently ignored rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

StageKey = Literal["informal", "stage1", "stage2", "panel"]
STAGE_ORDER: tuple[str, ...] = ("informal", "stage1", "stage2", "panel")

TimeUnit = Literal["working_days", "calendar_days", "weeks", "months", "years", "hours"]

# What a time rule counts from. "receipt", "request" and "confirmation" are the
# event that starts the stage (a complaint received, an escalation requested, a
# panel request confirmed); the others are later events in the same stage.
Anchor = Literal["receipt", "request", "confirmation", "acknowledgement", "meeting", "response"]
START_ANCHORS: dict[str, str] = {
    "informal": "receipt",
    "stage1": "receipt",
    "stage2": "request",
    "panel": "confirmation",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Sourced(Strict):
    source: str = Field(min_length=1, description="Document section, 'code' or 'default'.")


class TimeRule(Sourced):
    """"Within N units of an event", e.g. 10 working days of acknowledgement."""

    amount: PositiveInt
    unit: TimeUnit
    from_: Anchor = Field(alias="from")
    text: str = Field(default="", description="The policy's own words, for explanations.")


class Extension(Sourced):
    """How far a response deadline may move, and on whose say-so."""

    allowed: bool = True
    cap: TimeRule | None = Field(
        default=None,
        description="The latest an extension may reach without the complainant's agreement; "
        "absent means the policy sets no cap.",
    )
    agreement_allows_more: bool = Field(
        default=False, description="With the complainant's agreement an extension may pass the cap."
    )
    notice: str = Field(default="", description="What the complainant must be told.")


class Eligibility(Sourced):
    """Who may use a stage (the Barnet Group's Panel)."""

    categories: list[str] = Field(min_length=1, description="Service categories that qualify.")
    excluded_complainant_types: list[str] = Field(default_factory=list)
    text: str = ""


class Handler(Sourced):
    """Who deals with the stage, and whether they must be independent of earlier stages."""

    role: str
    independent_of_previous_stage: bool = False


class Stage(Strict):
    key: StageKey
    name: str = Field(min_length=1)
    letter_label: str = Field(min_length=1, description="How letters name this stage.")
    description: str = ""
    acknowledge: TimeRule | None = None
    respond: TimeRule
    target: TimeRule | None = None
    extension: Extension | None = None
    meeting: TimeRule | None = None
    notify_department: TimeRule | None = None
    escalation_window: TimeRule | None = Field(
        default=None, description="Last day to ask for the next stage."
    )
    handler: Handler | None = None
    eligibility: Eligibility | None = None
    reopen_after_close: bool | None = None
    reopen_source: str = ""

    @model_validator(mode="after")
    def _anchors_fit_the_stage(self) -> Stage:
        start = START_ANCHORS[self.key]
        allowed = {
            "acknowledge": {start},
            "respond": {start, "acknowledgement", "meeting"},
            "target": {start, "acknowledgement", "meeting"},
            "meeting": {start},
            "notify_department": {start, "acknowledgement"},
            "escalation_window": {"response"},
        }
        for field, anchors in allowed.items():
            rule = getattr(self, field)
            if rule is not None and rule.from_ not in anchors:
                raise ValueError(
                    f"{field}.from is {rule.from_!r}, but a {self.key} {field} rule may only count "
                    f"from {', '.join(sorted(anchors))}"
                )
        for field in ("respond", "target"):
            rule = getattr(self, field)
            if rule is not None and rule.from_ == "acknowledgement" and self.acknowledge is None:
                raise ValueError(f"{field} counts from acknowledgement but the stage has no acknowledge rule")
            if rule is not None and rule.from_ == "meeting" and self.meeting is None:
                raise ValueError(f"{field} counts from the meeting but the stage has no meeting rule")
        if self.extension and self.extension.cap:
            cap = self.extension.cap
            if cap.from_ not in {start, "acknowledgement", "meeting"}:
                raise ValueError(f"extension.cap.from is {cap.from_!r}, which is not an event of this stage")
        if self.key == "panel" and self.eligibility is None:
            raise ValueError("a panel stage needs an eligibility rule (who may use it)")
        return self


class ClosureDay(Sourced):
    date: dt.date
    reason: str = Field(min_length=1)


class TimeLimit(Sourced):
    """How long after the matter someone may complain."""

    amount: PositiveInt
    unit: TimeUnit
    counted_from: Literal["incident", "awareness"]
    discretion: bool = True
    preferred_amount: PositiveInt | None = None
    preferred_unit: TimeUnit | None = None
    text: str = ""


class Representatives(Sourced):
    allowed: bool = True
    consent: Literal["none", "any", "written", "written_signed"]
    hold_until_consent: bool = Field(description="Work pauses until consent arrives.")
    excluded_roles: list[str] = Field(default_factory=list)
    excluded_roles_route: str = ""
    permitted_roles: list[str] = Field(default_factory=list)
    text: str = ""


class Anonymous(Sourced):
    handling: Literal["accepted", "exceptional_only", "service_request", "not_stated"]
    text: str = ""


class Exclusion(Sourced):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    signposting: str


class OmbudsmanRoute(Sourced):
    category: str = Field(pattern=r"^[a-z0-9_]+$")
    ombudsman: Literal["lgsco", "housing"]
    after_stage: StageKey
    text: str = ""


class OutdatedText(Sourced):
    """Policy wording that the law has overtaken: kept, shown, and flagged."""

    text: str
    current_position: str
    changed_on: dt.date


class Ombudsman(Sourced):
    default: Literal["lgsco", "housing"]
    may_go_early: bool = True
    routes: list[OmbudsmanRoute] = Field(default_factory=list)
    outdated: list[OutdatedText] = Field(default_factory=list)


class Retention(Sourced):
    years: PositiveInt
    counted_from: Literal["closure", "finalised"]


class Feedback(Sourced):
    compliments: bool = True
    comments: bool = True
    suggestions: bool = True


class Flags(Strict):
    """Case-handling rules that are yes/no, each with its source."""

    record_learning_at_stage1: Sourced | None = None
    discrimination_monitoring: Sourced | None = None
    named_officer_senior_response: Sourced | None = None
    collective_investigation: Sourced | None = None
    conflict_of_interest_bar: Sourced | None = None


class Version(Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    effective_from: dt.date
    document: str = Field(min_length=1)
    seed: str = ""


class Policy(Strict):
    schema_version: Literal[1]
    slug: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,5}$")
    version: Version
    closure_days: list[ClosureDay] = Field(default_factory=list)
    stages: list[Stage] = Field(min_length=1)
    overall_limit: TimeRule | None = None
    time_limit: TimeLimit
    representatives: Representatives
    anonymous: Anonymous
    exclusions: list[Exclusion] = Field(default_factory=list)
    ombudsman: Ombudsman
    retention: Retention
    feedback: Feedback
    flags: Flags = Field(default_factory=Flags)
    letter_labels: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _stages_are_ordered_and_unique(self) -> Policy:
        keys = [stage.key for stage in self.stages]
        if len(set(keys)) != len(keys):
            raise ValueError(f"stages repeat a key: {keys}")
        if keys != sorted(keys, key=STAGE_ORDER.index):
            raise ValueError(f"stages must be listed in order {list(STAGE_ORDER)}, got {keys}")
        if "stage1" not in keys:
            raise ValueError("every policy needs a stage1")
        if self.overall_limit is not None and self.overall_limit.from_ != "receipt":
            raise ValueError("overall_limit must count from receipt")
        for route in self.ombudsman.routes:
            if route.after_stage not in keys:
                raise ValueError(f"ombudsman route {route.category!r} follows {route.after_stage!r}, "
                                 f"which this policy does not have")
        return self

    def stage(self, key: str) -> Stage | None:
        for stage in self.stages:
            if stage.key == key:
                return stage
        return None

    @property
    def stage_keys(self) -> list[str]:
        return [stage.key for stage in self.stages]

    def next_stage(self, key: str) -> Stage | None:
        keys = self.stage_keys
        index = keys.index(key)
        return self.stages[index + 1] if index + 1 < len(keys) else None
