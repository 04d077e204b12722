"""Protection without barriers: per-address and per-email limits, and a honeypot field.

No CAPTCHA: a puzzle shuts out the residents who most need to complain (screen-reader users,
people with cognitive impairments). Instead, what the public pages send is counted per
address and per email address in fixed windows, and a field no person can see catches the
simplest robots. The limits are generous, so that a library's public computers or an advice
worker sending several complaints for clients are not refused; only abusive volumes are.

Counts live in the ``limits`` cache (Redis when ``REDIS_URL`` is set, so every web process
shares them; a file cache otherwise). Email addresses are counted and logged only as hashes:
personal data never reaches the logs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from config.security import client_ip

logger = logging.getLogger("complaints.public.limits")

# The name of the field no person sees (hidden from sight and from assistive technology).
HONEYPOT_FIELD = "leave_blank"
HONEYPOT_MESSAGE = ("We could not send this form. Send it again, or contact us another way if it "
                    "still does not go through.")


@dataclass(frozen=True)
class Limit:
    """At most ``most`` of ``what`` per ``per`` (``"address"`` or ``"email"``) in ``window`` seconds."""

    what: str
    per: str
    most: int
    window: int


@dataclass(frozen=True)
class Refusal:
    limit: Limit
    retry_at: dt.datetime

    @property
    def message(self) -> str:
        who = "this internet connection" if self.limit.per == "address" else "this email address"
        when = timezone.localtime(self.retry_at)
        return (f"We have had a lot of forms from {who} in a short time, so to protect the service we cannot "
                f"accept another just now. Your answers have been kept. Try again after "
                f"{when:%H:%M} on {when.day} {when:%B %Y}.")


def limits_for(what: str) -> list[Limit]:
    """The configured limits for one kind of public action ("submission" or "link")."""
    table = {
        "submission": [
            Limit("submission", "address", settings.PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR, 3600),
            Limit("submission", "email", settings.PUBLIC_SUBMISSIONS_PER_EMAIL_PER_DAY, 86400),
        ],
        "link": [
            Limit("link", "address", settings.PUBLIC_LINK_REQUESTS_PER_ADDRESS_PER_HOUR, 3600),
            Limit("link", "email", settings.PUBLIC_LINK_REQUESTS_PER_EMAIL_PER_DAY, 86400),
        ],
    }
    return table[what]


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:24]


def _key(limit: Limit, value: str, now: float) -> tuple[str, float]:
    window_start = now - now % limit.window
    return f"limit:{limit.what}:{limit.per}:{_digest(value)}:{int(window_start)}", window_start + limit.window


def _keys(what: str, *, request, email: str) -> list[tuple[Limit, str]]:
    values = {"address": client_ip(request) or "", "email": email or ""}
    return [(limit, values[limit.per]) for limit in limits_for(what) if values[limit.per]]


def limit_reached(what: str, *, request, email: str = "") -> Refusal | None:
    """The first limit this request would go over, or None. Counts nothing (see ``limit_count``)."""
    cache, now = caches["limits"], time.time()
    for limit, value in _keys(what, request=request, email=email):
        key, window_end = _key(limit, value, now)
        if (cache.get(key) or 0) >= limit.most:
            logger.warning("public limit reached", extra={"limit": f"{limit.what} per {limit.per}",
                                                          "who": _digest(value), "most": limit.most})
            return Refusal(limit, dt.datetime.fromtimestamp(window_end, tz=dt.timezone.utc))
    return None


def limit_count(what: str, *, request, email: str = "") -> None:
    """Count one more (after it was accepted: a refused form does not use up the allowance)."""
    cache, now = caches["limits"], time.time()
    for limit, value in _keys(what, request=request, email=email):
        key, _ = _key(limit, value, now)
        cache.add(key, 0, timeout=limit.window + 60)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=limit.window + 60)


def honeypot_filled(request) -> bool:
    """A person never sees the field, so anything in it was typed by a program."""
    if request.POST.get(HONEYPOT_FIELD, ""):
        logger.warning("public honeypot filled", extra={"path": request.path})
        return True
    return False
