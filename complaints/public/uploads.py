"""Evidence and consent files from residents: checked, kept privately, attached on submission.

A file is checked by its name *and* its first bytes (the browser's content type is
not trusted), saved through the default storage under ``public-uploads/`` with a
random name (``MEDIA_ROOT``, which no URL serves), and remembered in the session
until the form is sent. On sending, it is attached to the case with
``correspondence_attach`` (the same checks officers' uploads get) and the pending
copy is deleted.

A form that is never sent leaves its files behind (its session simply expires):
``pending_uploads_discard_abandoned``, run hourly by Celery beat, deletes pending
files older than ``PUBLIC_UPLOAD_MAX_AGE_HOURS`` (48 by default, twice the
residents' 24-hour session window). A resident who kept a session alive longer
than that is asked to upload the file again when they send the form.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from complaints.services.people import ALLOWED_CONTENT_TYPES, MAX_ATTACHMENT_BYTES

logger = logging.getLogger(__name__)

MAX_FILES = 10
PENDING_FOLDER = "public-uploads"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# extension -> (content type, what the first bytes must be; None = text)
KINDS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".txt": ("text/plain", None),
    ".docx": (DOCX, (b"PK\x03\x04",)),
}
KINDS = {ext: kind for ext, kind in KINDS.items() if kind[0] in ALLOWED_CONTENT_TYPES}
TYPE_WORDS = "a PDF, JPG, PNG, TXT or Word (DOCX) document"
SIZE_WORDS = f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB"


def _looks_like(head: bytes, signatures) -> bool:
    if signatures is None:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start >= len(head) - 3  # a character cut at the end of the sample
        return True
    return any(head.startswith(signature) for signature in signatures)


def check_upload(upload) -> str:
    """The file's content type, or a ValidationError with the GOV.UK message."""
    if upload.size == 0:
        raise forms.ValidationError("The selected file is empty", code="empty")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(f"The selected file must be smaller than {SIZE_WORDS}", code="too_big")
    kind = KINDS.get(PurePath(upload.name or "").suffix.lower())
    if kind is None:
        raise forms.ValidationError(f"The selected file must be {TYPE_WORDS}", code="type")
    content_type, signatures = kind
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not _looks_like(head, signatures):
        raise forms.ValidationError(f"The selected file must be {TYPE_WORDS}", code="type")
    return content_type


def store_pending(upload, content_type: str) -> dict:
    """Save a checked file privately until the form is sent; what the session keeps about it."""
    stored = default_storage.save(f"{PENDING_FOLDER}/{uuid.uuid4().hex}", upload)
    name = PurePath(upload.name or "file").name[:200]
    return {"id": uuid.uuid4().hex, "stored": stored, "name": name, "content_type": content_type,
            "size": upload.size}


def pending_upload(info: dict) -> UploadedFile:
    """A pending file as an upload ``correspondence_attach`` accepts."""
    return UploadedFile(file=default_storage.open(info["stored"], "rb"), name=info["name"],
                        content_type=info["content_type"], size=info["size"])


def discard_pending(info: dict) -> None:
    if default_storage.exists(info["stored"]):
        default_storage.delete(info["stored"])


def pending_exists(info: dict) -> bool:
    return default_storage.exists(info["stored"])


def abandoned_after() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "PUBLIC_UPLOAD_MAX_AGE_HOURS", 48))


def pending_uploads_discard_abandoned(*, now: dt.datetime, older_than: dt.timedelta | None = None) -> int:
    """Delete pending files uploaded more than ``older_than`` before ``now`` (by default
    ``PUBLIC_UPLOAD_MAX_AGE_HOURS``); how many were deleted. Sent forms delete their own copies."""
    cutoff = now - (older_than if older_than is not None else abandoned_after())
    try:
        _folders, names = default_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) >= cutoff:
                continue
            default_storage.delete(path)
        except FileNotFoundError:  # sent (and deleted) while this ran
            continue
        deleted += 1
    if deleted:
        logger.info("abandoned uploads deleted", extra={"deleted": deleted, "cutoff": cutoff.isoformat()})
    return deleted


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}MB"
    return f"{max(1, round(size / 1024))}KB"
