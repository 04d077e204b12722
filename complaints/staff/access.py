"""Who may see which cases, and who may do what.

Every case read in the case screens goes through ``visible_complaints`` (or
``visibility``, the same rule as a condition, for the case list's queries): the
user's own council only (the council-scoped selectors), an investigating
officer only the cases assigned to them, and never a case an officer is barred
from by a conflict of interest. Anything else is a 404, so a case of another
council is indistinguishable from one that does not exist.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from complaints.models import Complaint, StaffMember, StaffRole
from complaints.selectors import complaints_for_council

ALL_ROLES = frozenset(StaffRole.values)
CASEWORKERS = frozenset({StaffRole.COMPLAINTS_OFFICER, StaffRole.COMPLAINTS_MANAGER, StaffRole.COUNCIL_ADMIN})
MANAGERS = frozenset({StaffRole.COMPLAINTS_MANAGER, StaffRole.COUNCIL_ADMIN})


def staff_member(user) -> StaffMember | None:
    if not user.is_authenticated:
        return None
    try:
        return StaffMember.objects.select_related("council").get(user=user)
    except StaffMember.DoesNotExist:
        return None


def staff_required(view):
    """Signed in (else to the sign-in page) and working for a council (else 403); sets request.member."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = staff_member(request.user)
        if member is None:
            raise PermissionDenied("Your account is not set up for a council on this service")
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper


def visible_complaints(member: StaffMember) -> QuerySet[Complaint]:
    """The cases this member may see: their council's, less conflicts, assigned only for investigators."""
    return complaints_for_council(council=member.council).filter(visibility(member))


def visibility(member: StaffMember, via: str = "") -> Q:
    """``visible_complaints`` as a condition, for a query that reaches the case through ``via`` ("complaint__")."""
    seen = Q(**{f"{via}council": member.council_id}) & ~Q(**{f"{via}conflicts_of_interest__user": member.user_id})
    if member.role == StaffRole.INVESTIGATING_OFFICER:
        seen &= Q(**{f"{via}assigned_officer": member.user_id})
    return seen


def case_for(member: StaffMember, reference: str) -> Complaint:
    """The case with this reference if this member may see it; 404 otherwise."""
    try:
        return (visible_complaints(member)
                .select_related("policy_version", "complainant", "assigned_officer", "council")
                .get(reference=reference))
    except Complaint.DoesNotExist:
        raise Http404("No such case") from None


def council_staff(member: StaffMember, *, exclude_barred_from: Complaint | None = None):
    """Users working for the member's council (for assignment, reviewers, owners), by name."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(staff_member__council=member.council, is_active=True)
    if exclude_barred_from is not None:
        users = users.exclude(conflicts_of_interest__complaint=exclude_barred_from)
    return users.order_by("first_name", "last_name", "username")


def display_name(user) -> str:
    return user.get_full_name() or user.username
