"""The order of the questions, which apply, and the answers kept in the session.

Answers live in the resident's session under ``public:<slug>`` until the form
is sent: ``answers`` (one dict per step), ``key`` (the idempotency key of this
sending), ``done`` (keys already sent from this session) and ``last`` (the
sending the confirmation page shows). A step applies or not from the policy and
the answers so far; an answer to a step that no longer applies is kept (in case
the resident changes back) but neither shown nor sent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from complaints.models import ServiceArea
from complaints.public import clock, rules
from complaints.public import forms_journey as f
from policies.models import Council
from policies.schema import Policy


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    title: str
    applies: Callable[[Journey], bool]
    template: str = "public/step.html"
    multipart: bool = False


def _complaint(j: Journey) -> bool:
    return j.is_complaint


STEPS: list[Step] = [
    Step("kind", f.KindForm, "What would you like to do?", lambda j: len(j.kinds) > 1),
    Step("before", f.BeforeForm, "Have you already contacted us about this?", _complaint),
    Step("before-info", f.ContinueForm, "Before you continue",
         lambda j: j.is_complaint and j.value("before", "before") in {"first_time", "complained"},
         template="public/before_info.html"),
    Step("what", f.WhatForm, "What happened?", _complaint),
    Step("feedback", f.FeedbackForm, "Your feedback", lambda j: not j.is_complaint),
    Step("when", f.WhenForm, "When did it happen?", _complaint),
    Step("late", f.LateForm, "Your complaint may be too late", lambda j: j.is_complaint and j.time.out_of_time,
         template="public/late.html"),
    Step("service", f.ServiceForm, "Which service is it about?", lambda j: bool(j.service_areas)),
    Step("outcome", f.OutcomeForm, "What would you like us to do?", _complaint),
    Step("who", f.WhoForm, "Who is the complaint for?",
         lambda j: j.is_complaint and j.policy.representatives.allowed),
    Step("role", f.RoleForm, "How are you connected to them?", lambda j: j.is_complaint and j.for_someone_else),
    Step("representative", f.RepresentativeForm, "About you and the person you're complaining for",
         lambda j: j.is_complaint and j.for_someone_else and not j.role_excluded),
    Step("consent", f.ConsentForm, "Their permission",
         lambda j: (j.is_complaint and j.for_someone_else and not j.role_excluded
                    and j.policy.representatives.consent != "none"),
         template="public/consent.html", multipart=True),
    Step("support", f.SupportForm, "Support or changes you need", _complaint),
    Step("anonymous", f.AnonymousForm, "Your name and contact details",
         lambda j: j.is_complaint and not j.for_someone_else),
    Step("contact", f.ContactForm, "How should we contact you?",
         lambda j: j.is_complaint and not j.anonymous, template="public/contact.html"),
    Step("feedback-contact", f.FeedbackContactForm, "Your details", lambda j: not j.is_complaint),
    Step("evidence", f.EvidenceForm, "Evidence (optional)", _complaint, template="public/evidence.html",
         multipart=True),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}

# Pages whose questions depend on an earlier answer: when that answer changes they are asked
# again (pre-filled), so an answer given for the old question is never sent for the new one.
DEPENDENTS = {
    "who": ("role", "representative", "consent", "anonymous", "contact"),
    "role": ("representative", "consent"),
    "representative": ("consent",),
}


class Journey:
    """One resident's answers for one council, read from and written to the session."""

    def __init__(self, session, council: Council, policy: Policy, service_areas=None):
        self.session = session
        self.council = council
        self.policy = policy
        self.session_key = f"public:{council.slug}"
        state = session.get(self.session_key)
        # False when this session had no journey here: a new visitor, or one whose session ended.
        self.resumed = isinstance(state, dict) and "key" in state
        if not self.resumed:
            state = {"key": uuid.uuid4().hex, "answers": {}, "done": [], "last": ""}
            session[self.session_key] = state
        self.state = state
        self.kinds = rules.feedback_kinds(policy)
        self._derived: dict = {}  # what the answers imply; emptied whenever an answer is saved
        if service_areas is not None:
            self.__dict__["service_areas"] = list(service_areas)

    @cached_property
    def service_areas(self) -> list[ServiceArea]:
        """The council's service areas (the pages pass the per-process copy, ``bodies.public_body``)."""
        return list(ServiceArea.objects.filter(council=self.council).order_by("name"))

    # -- answers --------------------------------------------------------------
    @property
    def answers(self) -> dict:
        return self.state["answers"]

    def value(self, step: str, field: str, default=None):
        return self.answers.get(step, {}).get(field, default)

    def save(self, step: str, data: dict) -> None:
        previous = {key: value for key, value in self.answers.get(step, {}).items() if key != "_saved"}
        if previous and previous != {key: value for key, value in data.items() if key != "_saved"}:
            for dependent in DEPENDENTS.get(step, ()):
                if dependent in self.answers:
                    self.answers[dependent]["_saved"] = False
        self.answers[step] = data
        self.session.modified = True
        self._derived = {}

    @property
    def kind(self) -> str:
        chosen = self.value("kind", "kind")
        return chosen if chosen in self.kinds else self.kinds[0]

    @property
    def is_complaint(self) -> bool:
        return self.kind == "complaint"

    @property
    def for_someone_else(self) -> bool:
        return self.policy.representatives.allowed and self.value("who", "who") == "someone_else"

    @property
    def role(self) -> str:
        return self.value("role", "role", "") if self.for_someone_else else ""

    @property
    def role_excluded(self) -> bool:
        return bool(self.role) and rules.role_is_excluded(self.policy, self.role)

    @property
    def anonymous(self) -> bool:
        return not self.for_someone_else and self.value("anonymous", "give_details") == "no"

    @property
    def person_name(self) -> str:
        return self.value("representative", "person_name", "")

    def date(self, field: str) -> dt.date | None:
        text = self.value("when", field)
        return dt.date.fromisoformat(text) if text else None

    @property
    def time(self) -> rules.TimeCheck:
        if "time" not in self._derived:
            incident = self.date("incident")
            self._derived["time"] = rules.time_check(self.policy, incident, self.date("aware") or incident,
                                                     clock.today())
        return self._derived["time"]

    @property
    def files(self) -> list[dict]:
        return self.answers.setdefault("evidence", {}).setdefault("files", [])

    # -- order ----------------------------------------------------------------
    def applicable(self) -> list[Step]:
        """The pages that apply, in order (worked out once per set of answers: a page asks several times)."""
        if "applicable" not in self._derived:
            steps = [step for step in STEPS if step.applies(self)]
            if self.role_excluded:  # the policy sends this role elsewhere: nothing after the question applies
                steps = steps[: [step.slug for step in steps].index("role") + 1]
            self._derived["applicable"] = steps
        return list(self._derived["applicable"])

    def applies(self, slug: str) -> bool:
        step = STEP_BY_SLUG.get(slug)
        return step is not None and step.applies(self)

    def is_done(self, step: Step) -> bool:
        return step.slug in self.answers and self.answers[step.slug].get("_saved", False)

    def first_incomplete(self) -> Step | None:
        """The first page still to answer; a role that must use another route stops the journey."""
        for step in self.applicable():
            if not self.is_done(step):
                return step
        return None

    def next_after(self, slug: str) -> Step | None:
        steps = self.applicable()
        slugs = [step.slug for step in steps]
        if slug not in slugs:
            return self.first_incomplete()
        following = steps[slugs.index(slug) + 1:]
        return following[0] if following else None

    def previous(self, slug: str) -> Step | None:
        steps = self.applicable()
        slugs = [step.slug for step in steps]
        if slug not in slugs:
            return steps[-1] if steps else None
        index = slugs.index(slug)
        return steps[index - 1] if index > 0 else None

    def reachable(self, slug: str) -> bool:
        """A page may be shown once every page before it is answered."""
        for step in self.applicable():
            if step.slug == slug:
                return True
            if not self.is_done(step):
                return False
        return False

    # -- sending --------------------------------------------------------------
    @property
    def key(self) -> str:
        return self.state["key"]

    def finished(self, key: str) -> None:
        """The answers were sent: start afresh, remembering what this session sent."""
        self.state["done"] = [*self.state.get("done", [])[-19:], key]
        self.state["last"] = key
        self.state["key"] = uuid.uuid4().hex
        self.state["answers"] = {}
        self.session.modified = True
        self._derived = {}

    def sent_from_here(self, key: str) -> bool:
        return key in self.state.get("done", [])
