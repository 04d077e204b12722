"""How long a resident's answers are kept: a window of its own, apart from the officers' timeout.

Officers' sessions end after ``SESSION_COOKIE_AGE`` (30 minutes) without a request. A resident
writing a long complaint may stop for longer (to find a date, a letter, a photo), and the form
works without JavaScript, so it cannot warn before a timeout and offer more time. Their session
therefore lasts ``PUBLIC_SESSION_IDLE_SECONDS`` (24 hours by default, over WCAG 2.2's 20-hour
limit) after their last page, renewed on every page; the pages say so, and a resident who comes
back later is told plainly that their answers were deleted.

A session that belongs to a signed-in officer never gets the residents' window: the public pages
leave it alone, and signing in (in a browser that filled in the public form first) puts it back
on the staff timeout.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in


def resident_idle_seconds() -> int:
    return int(getattr(settings, "PUBLIC_SESSION_IDLE_SECONDS", 24 * 60 * 60))


def resident_session(request) -> None:
    """Keep this session for the residents' window, unless an officer is signed in with it."""
    if SESSION_KEY not in request.session:
        request.session.set_expiry(resident_idle_seconds())  # renewed on every page (SESSION_SAVE_EVERY_REQUEST)


def _staff_timeout(sender, request=None, user=None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.set_expiry(None)  # back to SESSION_COOKIE_AGE


def staff_timeout_on_login() -> None:
    """Connected once, from the app's ``ready()``."""
    user_logged_in.connect(_staff_timeout, dispatch_uid="public-sessions-staff-timeout")


def duration_words(seconds: int) -> str:
    """``24 hours``, ``1 hour``, ``90 minutes``, ``30 minutes``, ``20 seconds``."""
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def expired_message(seconds: int) -> str:
    return (f"Your session ended, so your answers have been deleted. This happens when the form is not used for "
            f"{duration_words(seconds)}, to protect your information. You need to start again.")
