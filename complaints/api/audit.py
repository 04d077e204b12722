"""The API's reads of a case go into the access audit (complaints.staff.audit), naming the client."""

from complaints.api.models import IntegrationToken
from complaints.models import Complaint
from complaints.staff.audit import case_access_record
from complaints.staff.models import CaseAccess


def api_read_record(request, case: Complaint, what: str = "case") -> None:
    token = request.auth if isinstance(request.auth, IntegrationToken) else None
    client = f"token {token.name!r}" if token is not None else "signed-in session"
    case_access_record(complaint=case, user=request.user, action=CaseAccess.API_READ,
                       detail=f"{what} via API ({client})")

