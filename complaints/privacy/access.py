"""Who may use the data-protection pages: their own council only, by role.

Subject access and rectification are for complaints managers and council
administrators; the retention report is for council administrators. Another
council's complainant is a 404, like another council's case.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from complaints.models import StaffRole
from complaints.staff.access import staff_required

DATA_PROTECTION_ROLES = frozenset({StaffRole.COMPLAINTS_MANAGER, StaffRole.COUNCIL_ADMIN})
RETENTION_ROLES = frozenset({StaffRole.COUNCIL_ADMIN})


def role_required(roles: frozenset, what: str):
    def decorator(view):
        @staff_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.member.role not in roles:
                allowed = " and ".join(sorted(f"{StaffRole(role).label.lower()}s" for role in roles))
                raise PermissionDenied(f"{what} is for {allowed}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
