"""Which actions this user may take on this case now.

A move is offered when django-fsm has a transition for it from the case's
current state (``get_available_state_transitions``) and the service's own
guards that need nothing but the case would let it through (the stage not yet
acknowledged, consent not outstanding, an extension rule, panel eligibility,
reopening after the final stage). Records that do not move the case (notes,
correspondence, links) are always offered. The role decides the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from complaints.models import OPEN, WORKING, CaseStage, Complaint, DeadlineKind, StaffMember
from complaints.services.errors import DomainError
from complaints.services.intake import needs_consent_hold
from complaints.services.lifecycle import NEXT_TRANSITION, _check_panel_eligibility
from complaints.staff.access import ALL_ROLES, CASEWORKERS, MANAGERS


@dataclass
class Situation:
    """The case as the action checks see it (read once per request)."""

    case: Complaint
    member: StaffMember
    transitions: set[str] = field(init=False)

    def __post_init__(self):
        self.transitions = {t.name for t in self.case.get_available_state_transitions()}

    @cached_property
    def policy(self):
        return self.case.policy

    @cached_property
    def stage_rule(self):
        return self.policy.stage(self.case.stage) if self.case.stage else None

    @cached_property
    def stage_row(self) -> CaseStage | None:
        if self.case.state not in WORKING:
            return None
        return CaseStage.objects.filter(complaint=self.case, stage=self.case.stage).first()

    @cached_property
    def next_stage(self):
        if self.case.stage not in self.policy.stage_keys:
            return None
        following = self.policy.next_stage(self.case.stage)
        return following if following is not None and following.key in NEXT_TRANSITION else None

    @property
    def waiting_for_consent(self) -> bool:
        return needs_consent_hold(self.case)


def _can_extend(s: Situation) -> bool:
    rule = s.stage_rule.extension if s.stage_rule else None
    return (s.stage_row is not None and rule is not None and rule.allowed
            and s.case.deadlines.filter(stage=s.case.stage, kind=DeadlineKind.RESPOND).exists())


def _can_escalate(s: Situation) -> bool:
    following = s.next_stage
    if following is None or NEXT_TRANSITION[following.key] not in s.transitions:
        return False
    if following.key == "panel":
        try:
            _check_panel_eligibility(s.case)
        except DomainError:
            return False
    return True


def _can_reopen(s: Situation) -> bool:
    """complaint_reopen's guards: not transferred, and not closed after the final stage where the policy says so."""
    case, policy = s.case, s.policy
    if "reopen" not in s.transitions or case.transferred_to_id is not None or not case.closed_after_stage:
        return False
    final = policy.stage_keys[-1]
    final_general = "stage2" if "stage2" in policy.stage_keys else final
    return case.closed_after_stage not in {final, final_general} or any(st.reopen_after_close for st in policy.stages)


def _stage_event_open(attribute: str, rule_name: str) -> Callable[[Situation], bool]:
    def check(s: Situation) -> bool:
        return (s.stage_row is not None and getattr(s.stage_row, attribute) is None
                and s.stage_rule is not None and getattr(s.stage_rule, rule_name) is not None)
    return check


@dataclass(frozen=True)
class Move:
    slug: str
    label: str
    roles: frozenset
    available: Callable[[Situation], bool]


def _has(*names: str) -> Callable[[Situation], bool]:
    return lambda s: any(name in s.transitions for name in names)


def _always(s: Situation) -> bool:
    return True


MOVES = [
    Move("triage", "Triage", CASEWORKERS, _has("start_stage1", "start_informal", "make_service_request")),
    Move("refuse", "Refuse", CASEWORKERS, _has("refuse")),
    Move("acknowledge", "Acknowledge", ALL_ROLES, _stage_event_open("acknowledged_at", "acknowledge")),
    Move("respond", "Record the stage response", ALL_ROLES, lambda s: "respond" in s.transitions
         and not s.waiting_for_consent),
    Move("resolve-informally", "Resolve informally", ALL_ROLES, _has("resolve_informally")),
    Move("make-formal", "Make formal (Stage 1)", CASEWORKERS, _has("make_formal")),
    Move("extend", "Extend the response deadline", ALL_ROLES, _can_extend),
    Move("meeting", "Record the panel meeting", ALL_ROLES, _stage_event_open("meeting_on", "meeting")),
    Move("notify-department", "Record the department was notified", ALL_ROLES,
         _stage_event_open("department_notified_at", "notify_department")),
    Move("hold", "Put on hold", ALL_ROLES, _has("hold")),
    Move("resume", "Resume", ALL_ROLES, lambda s: "resume" in s.transitions and not s.waiting_for_consent),
    Move("consent", "Record consent", ALL_ROLES,
         lambda s: bool(s.case.representative_name) and s.case.consent != "received"),
    Move("escalate", "Escalate", CASEWORKERS, _can_escalate),
    Move("close", "Close", CASEWORKERS, _has("close")),
    Move("reopen", "Reopen", CASEWORKERS, _can_reopen),
    Move("withdraw", "Withdraw", CASEWORKERS, _has("withdraw")),
    Move("ombudsman", "Refer to the Ombudsman", CASEWORKERS, _has("refer_to_ombudsman")),
    Move("transfer", "Transfer to another body", CASEWORKERS, _has("close_on_transfer")),
    Move("assign", "Assign", CASEWORKERS, lambda s: s.case.state in OPEN),
    Move("note", "Add a note", ALL_ROLES, _always),
    Move("correspondence", "Record correspondence", ALL_ROLES, _always),
    Move("adjustments", "Review reasonable adjustments", ALL_ROLES, _always),
    Move("link", "Link cases", CASEWORKERS, _always),
    Move("conflict", "Record a conflict of interest", MANAGERS, _always),
]
MOVES_BY_SLUG = {move.slug: move for move in MOVES}


def role_allows(move: Move, member: StaffMember) -> bool:
    return member.role in move.roles


def available_moves(case: Complaint, member: StaffMember) -> list[Move]:
    situation = Situation(case, member)
    return [move for move in MOVES if role_allows(move, member) and move.available(situation)]
