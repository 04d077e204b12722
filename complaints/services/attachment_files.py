"""Attachment files that no attachment row refers to are deleted once they are a day old.

``correspondence_attach`` writes the file to storage inside the transaction that
records its ``Attachment`` row (the storage is not transactional). When that
transaction rolls back (the database connection lost before the commit, a later
step of the same change refused) the row is gone and the file stays, holding
personal data that nothing refers to, so retention would never delete it. This
sweep does, once the file is older than any transaction can still be open.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.storage import default_storage

from complaints.models import Attachment

logger = logging.getLogger(__name__)

ATTACHMENTS_FOLDER = "attachments"
ORPHAN_AGE = dt.timedelta(hours=24)


def _folders(root: str):
    """``root`` and every folder under it (attachments/2026/06/...)."""
    try:
        folders, _files = default_storage.listdir(root)
    except FileNotFoundError:
        return
    yield root
    for folder in folders:
        yield from _folders(f"{root}/{folder}")


def attachment_files_discard_orphaned(*, now: dt.datetime, older_than: dt.timedelta = ORPHAN_AGE) -> int:
    """Delete attachment files older than ``older_than`` that no attachment row refers to; how many."""
    cutoff = now - older_than
    deleted = 0
    for folder in _folders(ATTACHMENTS_FOLDER):
        _subfolders, names = default_storage.listdir(folder)
        referenced = set(Attachment.objects.filter(file__startswith=f"{folder}/").values_list("file", flat=True))
        for name in names:
            path = f"{folder}/{name}"
            if path in referenced:
                continue
            try:
                if default_storage.get_modified_time(path) >= cutoff:
                    continue  # its row may still be on its way (a transaction not yet committed)
                default_storage.delete(path)
            except FileNotFoundError:
                continue
            deleted += 1
    if deleted:
        logger.info("orphaned attachment files deleted", extra={"deleted": deleted})
    return deleted
