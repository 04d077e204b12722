"""The access audit (LBBD policy section 9): who saw which case's data, how, and when.

Every way a case's data leaves the service for a person is recorded here: the case
page (viewed), the API's case reads (api_read), downloads that contain the case
(exported: report CSV/XLSX/PDF files that list it) and its files (downloaded). A
council administrator searches the records in the admin (complaints.staff.admin).
"""

from __future__ import annotations

from collections.abc import Iterable

from complaints.models import Complaint
from complaints.staff.models import CaseAccess, CaseView

DETAIL_LENGTH = CaseView._meta.get_field("detail").max_length


def case_access_record(*, complaint: Complaint, user, action: str = CaseAccess.VIEWED, detail: str = "") -> CaseView:
    """One person saw one case's data."""
    return CaseView.objects.create(complaint=complaint, user=user, action=CaseAccess(action),
                                   detail=detail[:DETAIL_LENGTH])


def case_exports_record(*, complaints: Iterable[Complaint], user, detail: str) -> int:
    """A download listed these cases (e.g. a report file): one ``exported`` record per case; how many."""
    rows = [CaseView(complaint=case, user=user, action=CaseAccess.EXPORTED, detail=detail[:DETAIL_LENGTH])
            for case in {case.pk: case for case in complaints}.values()]
    CaseView.objects.bulk_create(rows)
    return len(rows)

