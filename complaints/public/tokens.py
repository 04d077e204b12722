"""Private links to follow a complaint.

A link carries a random token (256 bits); the database keeps only its SHA-256,
so a copy of the table opens no case. Links expire; a resident who has lost or
outlived theirs asks for a new one, which is only ever sent to the email
address on the case.

Emails are delivered from the queue (``complaints.services.delivery``), and a
stored email never holds a link: it keeps ``.../<body>/track/[private link]/``,
and the link is issued as the email is sent (``tracking_link_fill``), so the
copy on the case, in the database and in the API opens nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings

from complaints.models import Complaint, Correspondence
from complaints.public import clock
from complaints.public.models import TrackingToken
from policies.models import Council


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "PUBLIC_TRACKING_LINK_DAYS", 90))


PRIVATE_LINK = "[private link]"


def tracking_link_placeholder(track_root: str) -> str:
    """What an email keeps where its link goes: ``https://host/<body>/track/[private link]/``
    (``track_root`` is the absolute address of ``/<body>/track/``)."""
    return f"{track_root}{PRIVATE_LINK}/"


def tracking_link_fill(item: Correspondence, body: str, now: dt.datetime) -> str:
    """The text of an email to the complainant with a new private link where it keeps the placeholder."""
    if item.direction != "out" or PRIVATE_LINK not in body:
        return body
    marker = f"/{item.complaint.council.slug}/track/{PRIVATE_LINK}/"
    if marker not in body:
        return body
    raw = tracking_token_issue(complaint=item.complaint, now=now)
    return body.replace(marker, marker.replace(PRIVATE_LINK, raw))


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tracking_token_issue(*, complaint: Complaint, now: dt.datetime | None = None) -> str:
    """A new private link's token for the case; only its hash is stored."""
    now = now or clock.now()
    raw = secrets.token_urlsafe(32)
    TrackingToken.objects.create(complaint=complaint, token_hash=token_hash(raw), expires_at=now + lifetime())
    return raw


@dataclass(frozen=True)
class TokenCheck:
    status: str  # "valid", "expired" or "unknown"
    complaint: Complaint | None = None
    expires_at: dt.datetime | None = None


def tracking_token_check(*, council: Council, raw: str, now: dt.datetime | None = None) -> TokenCheck:
    """Which case a link opens, if any. A token of another council's case is unknown here."""
    now = now or clock.now()
    if not raw or len(raw) > 100:
        return TokenCheck("unknown")
    row = (TrackingToken.objects.select_related("complaint", "complaint__council", "complaint__policy_version",
                                                "complaint__complainant")
           .filter(token_hash=token_hash(raw), complaint__council=council).first())
    if row is None:
        return TokenCheck("unknown")
    if row.expires_at <= now:
        return TokenCheck("expired", expires_at=row.expires_at)
    return TokenCheck("valid", complaint=row.complaint, expires_at=row.expires_at)


def complaint_for_resend(*, council: Council, reference: str, email: str) -> Complaint | None:
    """The case a resident asks a new link for: the reference and the email on the case must both match."""
    reference, email = reference.strip().upper(), email.strip()
    if not reference or not email:
        return None
    return (Complaint.objects.select_related("complainant", "policy_version", "council")
            .filter(council=council, reference__iexact=reference, complainant__email__iexact=email,
                    is_anonymous=False).first())
