"""Who may see the dashboard and the reports, and of which council.

* A complaints manager or council administrator sees their own council.
* A system administrator (``is_superuser``) sees the whole deployment, or any one council.
* Anyone else signed in gets 403 on the dashboard (it is not an object, so 403 says
  nothing that is secret); another council's report is 404 to everyone but a system
  administrator, so its existence is not confirmed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from complaints.models import StaffRole
from policies.models import Council

MANAGER_ROLES = {StaffRole.COMPLAINTS_MANAGER, StaffRole.COUNCIL_ADMIN}


def _member(user):
    return getattr(user, "staff_member", None)


def dashboard_council(request) -> Council | None:
    """The council whose dashboard this user asked for; ``None`` is the deployment-wide view."""
    slug = request.GET.get("council", "")
    if request.user.is_superuser:
        if not slug:
            return None
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            raise Http404("No such council")
        return council
    member = _member(request.user)
    if member is None or member.role not in MANAGER_ROLES:
        raise PermissionDenied("The dashboard is for complaints managers")
    if slug and slug != member.council.slug:
        raise Http404("No such council")
    return member.council


def report_council(request, slug: str) -> Council:
    """The council of a report URL, if this user may read its reports."""
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        raise Http404("No such council")
    if request.user.is_superuser:
        return council
    member = _member(request.user)
    if member is None or member.council_id != council.pk:
        raise Http404("No such council")
    if member.role not in MANAGER_ROLES:
        raise PermissionDenied("Reports are for complaints managers")
    return council


def case_list_scope(request, council: Council | None) -> dict:
    """Extra case-list filters: a system administrator's list spans councils, so name the council."""
    return {"council": council.slug} if request.user.is_superuser and council is not None else {}
