"""Attachments of a complaint's correspondence: list, upload (multipart) and download.

Attachments hang off correspondence, so an upload names the letter, email, call or meeting it
belongs to (``/correspondence/{id}/attachments/``); the case's attachments are also listed together.
Uploads go through ``correspondence_attach``, which checks the size, the declared type and that
the file's first bytes match it; a refused file is a 400 on ``file`` (the input is wrong, the case
is not), and nothing is stored. Downloads are for whoever may see the case (its council's token,
or staff who see it on the case screens), go into the access audit like the case screens' own
downloads, and are always served as a download, never rendered: ``Content-Disposition:
attachment``, the type it was checked as, ``nosniff``, a CSP that lets nothing in it run, not cached.
"""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiRequest, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api import serializers_attachments as sa
from complaints.api.audit import api_read_record
from complaints.api.scoping import get_case
from complaints.models import Attachment, Complaint, Correspondence
from complaints.services.errors import PolicyGuardFailed
from complaints.services.people import MAX_ATTACHMENT_BYTES, correspondence_attach
from complaints.staff.audit import case_access_record
from complaints.staff.models import CaseAccess

logger = logging.getLogger(__name__)

TAG = ["attachments"]
# Room for the multipart boundaries and part headers around the largest file the service accepts.
MULTIPART_OVERHEAD = 64 * 1024
# Nothing in a downloaded file may load or run anything, even if a browser were to render it
# (as the case screens' downloads, complaints.staff.views_files).
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def case_attachments(case: Complaint):
    return (Attachment.objects.filter(correspondence__complaint=case)
            .order_by("correspondence__occurred_at", "correspondence_id", "id"))


def correspondence_of(case: Complaint, correspondence_id: int) -> Correspondence:
    item = case.correspondence.filter(pk=correspondence_id).first()
    if item is None:
        raise Http404("No such correspondence on this complaint")
    return item


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def listed(case: Complaint, rows) -> list:
    return sa.AttachmentSerializer(rows, many=True, context={"reference": case.reference}).data


class ComplaintAttachmentsView(APIView):

    @extend_schema(tags=TAG, summary="Every attachment of the complaint's correspondence",
                   responses=sa.AttachmentSerializer(many=True))
    def get(self, request, reference):
        case = get_case(request, reference)
        api_read_record(request, case, "attachments")
        return Response(listed(case, case_attachments(case)))


class CorrespondenceAttachmentsView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(tags=TAG, summary="The attachments of one piece of correspondence",
                   responses=sa.AttachmentSerializer(many=True))
    def get(self, request, reference, correspondence_id):
        case = get_case(request, reference)
        item = correspondence_of(case, correspondence_id)
        api_read_record(request, case, "attachments")
        return Response(listed(case, case_attachments(case).filter(correspondence=item)))

    @extend_schema(
        tags=TAG, summary=f"Attach a file to the correspondence (PDF, JPEG, PNG, text or Word; up to {sa.MAX_MB} MB)",
        request=OpenApiRequest(sa.AttachmentUploadSerializer,
                               encoding={"file": {"contentType": ", ".join(sa.CONTENT_TYPES)}}),
        responses={201: sa.AttachmentSerializer})
    def post(self, request, reference, correspondence_id):
        case = get_case(request, reference)  # first: another council's case is a 404 whatever the body
        item = correspondence_of(case, correspondence_id)
        if declared_length(request) > MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD:  # refused before it is read
            raise serializers.ValidationError({"file": [f"The file is larger than {sa.MAX_MB} MB."]})
        body = sa.AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        try:
            attachment = correspondence_attach(correspondence=item, by=request.user, uploaded_file=upload)
        except PolicyGuardFailed as refused:
            raise serializers.ValidationError({"file": [refused.message]}) from None
        return Response(listed(case, [attachment])[0], status=status.HTTP_201_CREATED)


class ErrorsAsJson(BaseContentNegotiation):
    """The download answers with the file whatever Accept says; its errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class AttachmentDownloadView(APIView):
    content_negotiation_class = ErrorsAsJson

    @extend_schema(tags=TAG, summary="Download an attachment (served as a download, never shown inline)",
                   responses={(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
                              for media_type in sa.CONTENT_TYPES})
    def get(self, request, reference, pk):
        case = get_case(request, reference)
        attachment = case_attachments(case).filter(pk=pk).first()
        if attachment is None:
            raise Http404("No such attachment on this complaint")
        try:
            handle = attachment.file.open("rb")
        except OSError:
            logger.error("attachment file missing from storage",
                         extra={"complaint": case.reference, "attachment": attachment.pk})
            raise Http404("The file of this attachment is missing from storage") from None
        case_access_record(complaint=case, user=request.user, action=CaseAccess.DOWNLOADED,
                           detail=f"{attachment.original_name} via API")
        response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = DOWNLOAD_CSP
        response["Cache-Control"] = "private, no-store"
        return response
