"""A case's files (correspondence attachments), downloaded by staff who may see the case.

A file is only ever sent as a download (``Content-Disposition: attachment``) with the
type checked when it was uploaded, ``nosniff`` and a CSP that lets nothing in it run,
so a browser never renders or executes an uploaded file inside the service's origin.
Anyone who may not see the case gets the same 404 as for a file that does not exist.
"""

from django.http import FileResponse, Http404

from complaints.models import Attachment
from complaints.staff.access import case_for, staff_required
from complaints.staff.audit import case_access_record
from complaints.staff.models import CaseAccess

def case_files(case) -> list[Attachment]:
    """The case's files (correspondence attachments), oldest first, for the case page's download links."""
    return list(Attachment.objects.filter(correspondence__complaint=case).select_related("correspondence")
                .order_by("correspondence__occurred_at", "pk"))


# Nothing in a downloaded file may load or run anything, even if a browser were to render it.
DOWNLOAD_CSP = "default-src 'none'; sandbox"


@staff_required
def attachment_download(request, reference: str, pk: int):
    case = case_for(request.member, reference)
    attachment = (Attachment.objects.filter(pk=pk, correspondence__complaint=case)
                  .select_related("correspondence").first())
    if attachment is None:
        raise Http404("No such file on this case")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage") from None
    case_access_record(complaint=case, user=request.user, action=CaseAccess.DOWNLOADED,
                       detail=attachment.original_name)
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    return response
