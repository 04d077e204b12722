"""Attachments: files on a piece of correspondence, as listed, uploaded and downloaded through the API."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from complaints.models import Attachment
from complaints.services.people import ALLOWED_CONTENT_TYPES, MAX_ATTACHMENT_BYTES

# What the upload accepts, for the schema (the service checks each file's first bytes against it).
CONTENT_TYPES = sorted(ALLOWED_CONTENT_TYPES)
MAX_MB = MAX_ATTACHMENT_BYTES // (1024 * 1024)


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", help_text="The file's name as uploaded.")
    content_type = serializers.CharField(help_text="The media type it was uploaded (and is served) as.")
    size = serializers.IntegerField(help_text="Bytes.")
    download_url = serializers.SerializerMethodField(help_text="GET it (same credentials) for the file itself.")

    class Meta:
        model = Attachment
        fields = ["id", "correspondence", "name", "content_type", "size", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        reference = self.context.get("reference") or attachment.correspondence.complaint.reference
        return reverse("api:complaint-attachment-download", kwargs={"reference": reference, "pk": attachment.pk})


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=f"The file, as a multipart part with its own Content-Type (one of {', '.join(CONTENT_TYPES)}); "
                  f"up to {MAX_MB} MB. Its first bytes must match that type.")
