"""The data the isolation matrix requests: two councils, every staff role in each, and council B's objects.

Council A (LBBD) is the one whose staff try to reach council B's (The Barnet
Group's) records. B also has officers who must not see B's case: one barred by a
conflict of interest per role, and an investigating officer it is not assigned to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.api.models import IntegrationToken
from complaints.models import Complaint, ServiceArea, StaffRole
from complaints.public.tokens import tracking_token_issue
from complaints.services.intake import ComplainantDetails, ComplaintDetails, complaint_create, complaint_triage
from complaints.services.lifecycle import complaint_assign
from complaints.services.records import complaint_add_note
from complaints.staff.audit import case_access_record
from complaints.staff.services import conflict_of_interest_record, correspondence_record
from ombudsman.services import ombudsman_case_open
from policies.models import Council
from tests.factories import council, service_area, staff

A, B = "lbbd", "barnet-group"
ROLES = tuple(StaffRole.values)
BARRED_ROLES = (StaffRole.COMPLAINTS_OFFICER, StaffRole.COMPLAINTS_MANAGER, StaffRole.COUNCIL_ADMIN)
COMPLAINANT = "Zebedee Quince-Marlowe"  # appears nowhere but in B's case


@dataclass
class World:
    a: Council
    b: Council
    staff: dict[tuple[str, str], object]  # (council slug, role) -> user
    barred: dict[str, object]  # role -> B user barred from the case by a conflict of interest
    unassigned_investigator: object
    case: Complaint
    attachment: object
    tracking_token: str
    ombudsman_case: object
    area: ServiceArea
    case_view: object
    conflict: object
    token_keys: dict[str, str]
    action: object  # a learning action promised in a response to B's case
    remedy: object  # an Ombudsman remedy about B's case
    tokens: dict[str, IntegrationToken] = field(default_factory=dict)

    def user(self, slug: str, role: str):
        return self.staff[(slug, role)]

    @property
    def case_content_type(self) -> int:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(Complaint).pk

    @property
    def case_history_id(self) -> int:
        return self.case.history.latest("history_date").history_id

    @property
    def markers(self) -> list[str]:
        """Text only B's case shows: never in anything a requester who may not see it gets."""
        return [self.case.reference, COMPLAINANT]


def _member(slug: str, role: str, name: str):
    return staff(slug, role, username=name, first_name=name.replace("-", " ").title(), last_name="Tester",
                 is_staff=role == StaffRole.COUNCIL_ADMIN)


def build_world() -> World:
    a, b = council(A), council(B)
    people = {(slug, role): _member(slug, role, f"{slug}-{role}".replace("_", "-"))
              for slug in (A, B) for role in ROLES}
    barred = {role: _member(B, role, f"barred-{role}".replace("_", "-")) for role in BARRED_ROLES}
    unassigned = _member(B, StaffRole.INVESTIGATING_OFFICER, "unassigned-investigator")
    officer, manager = people[(B, StaffRole.COMPLAINTS_OFFICER)], people[(B, StaffRole.COMPLAINTS_MANAGER)]
    area = service_area(B, "Repairs")
    received = timezone.now() - dt.timedelta(days=2)
    case = complaint_create(
        council=b, received_at=received, details=ComplaintDetails(summary="Damp in the bedroom",
                                                                  service_area_ids=[area.pk]),
        complainant=ComplainantDetails(name=COMPLAINANT, email="zebedee@example.org", complainant_type="resident"))
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=received + dt.timedelta(hours=1))
    case = complaint_assign(complaint=case, by=manager, officer=people[(B, StaffRole.INVESTIGATING_OFFICER)])
    complaint_add_note(complaint=case, by=officer, text="Phoned the tenant")
    letter = correspondence_record(
        complaint=case, by=officer, direction="in", kind="letter", subject="Photos of the damp",
        occurred_at=received, uploaded_file=SimpleUploadedFile("damp.txt", b"Mould on the north wall.\n",
                                                               content_type="text/plain"))
    for user in barred.values():
        conflict = conflict_of_interest_record(complaint=case, user=user, reason="Related to the tenant", by=manager)
    action, remedy = _promises(case, officer)
    keys, tokens = {}, {}
    for slug, body in ((A, a), (B, b)):
        tokens[slug], keys[slug] = IntegrationToken.issue(council=body, name=f"crm-{slug}")
    return World(
        a=a, b=b, staff=people, barred=barred, unassigned_investigator=unassigned,
        case=Complaint.objects.get(pk=case.pk), attachment=letter.attachments.get(),
        tracking_token=tracking_token_issue(complaint=case),
        ombudsman_case=ombudsman_case_open(council=b, by=officer, ombudsman="housing", their_reference="HOS-B-1",
                                           received_on=received.date()),
        area=area, case_view=case_access_record(complaint=case, user=officer), conflict=conflict,
        token_keys=keys, tokens=tokens, action=action, remedy=remedy)


def _promises(case: Complaint, officer):
    """A learning action and an Ombudsman remedy on B's case, made directly: only their URLs matter here."""
    from complaints.models import Action, StageOutcome
    from ombudsman.models import Decision, OmbudsmanCase, Remedy

    today = timezone.localdate()
    outcome = StageOutcome.objects.create(complaint=case, stage="stage1", outcome="upheld", findings="Damp found",
                                          responded_at=timezone.now(), responded_by=officer)
    action = Action.objects.create(outcome=outcome, description="Treat the damp", owner=officer,
                                   due_date=today + dt.timedelta(days=30))
    referral = OmbudsmanCase.objects.create(council=case.council, complaint=case, ombudsman="housing",
                                            their_reference="HOS-B-2", received_on=today, council_contact=officer)
    decision = Decision.objects.create(case=referral, kind="final", outcome="upheld", decided_on=today,
                                       summary="Fault found", recorded_by=officer)
    remedy = Remedy.objects.create(decision=decision, kind="apology", description="Apologise",
                                   due_date=today + dt.timedelta(days=28))
    return action, remedy
