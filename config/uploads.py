"""Uploaded files are capped while they arrive, so a huge file never fills the memory or the disk.

Django keeps a small upload in memory and streams a larger one (over
``FILE_UPLOAD_MAX_MEMORY_SIZE``) to a temporary file, but at any size: a 5 GB
"evidence" file would be written to the temporary folder in full before the form
refused it. ``CappedUploadHandler``, first in ``FILE_UPLOAD_HANDLERS``, counts each
file's bytes; past the largest attachment the service accepts it passes no more of
it on, and the file arrives as an ``OversizedUpload``: its name and real size, no
content. The forms and ``correspondence_attach`` refuse it by its size with their
usual message, and the rest of the form (what the person typed) is kept.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def upload_limit() -> int:
    """The largest file any form or the API accepts (read per request, so it is the service's own rule)."""
    from complaints.services.people import MAX_ATTACHMENT_BYTES

    return MAX_ATTACHMENT_BYTES


class OversizedUpload(UploadedFile):
    """A file that was too big to keep: its name, type and size as sent, and no content."""

    def __init__(self, name: str, content_type: str, size: int, charset=None):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size, charset=charset)


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = upload_limit()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        # None stops the handlers after this one (memory or temporary file) getting the chunk.
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size):
        if self.received <= self.limit:
            return None  # the next handler completes the file as usual
        self._discard_partial_copies()
        return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)

    def _discard_partial_copies(self) -> None:
        """The next handlers got the file's first bytes; closing their copy deletes a temporary file now."""
        for handler in getattr(self.request, "upload_handlers", ()):
            partial = getattr(handler, "file", None) if handler is not self else None
            if partial is not None:
                partial.close()
