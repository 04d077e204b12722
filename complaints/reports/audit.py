"""Report downloads that name cases go into the access audit (LBBD policy section 9).

Most report tables are counts; the quarterly report's list of open learning actions
names each action's case, so a CSV, XLSX or PDF of it is an export of those cases'
data: one ``exported`` record per case, with the file's name.
"""

from __future__ import annotations

import re

from django.http import HttpResponse

from complaints.models import Complaint
from complaints.staff.audit import case_exports_record

FILENAME = re.compile(r'filename="?([^";]+)"?')


def download_name(response: HttpResponse) -> str | None:
    """The file name of a download response (``Content-Disposition: attachment``); None for a page."""
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or not disposition.startswith("attachment"):
        return None
    match = FILENAME.search(disposition)
    return match.group(1) if match else "download"


def report_export_record(request, report, response: HttpResponse) -> int:
    """Record the cases a downloaded report lists; how many (0 for a page or a report naming none)."""
    name = download_name(response)
    references = {row["outcome__complaint__reference"] for row in getattr(report, "open_actions", None) or []}
    if name is None or not references:
        return 0
    cases = Complaint.objects.filter(council=report.council, reference__in=references)
    return case_exports_record(complaints=cases, user=request.user, detail=name)
