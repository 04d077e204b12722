"""Who requests each URL in the isolation matrix, and what each must get (see ``routes`` for the kinds)."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from complaints.models import StaffRole
from tests.security.routes import FOUND, Kind, Req, Route
from tests.security.world import BARRED_ROLES, ROLES, World

ANONYMOUS, OTHER, OWN, NARROWED = "anonymous", "other council", "own council", "may not see the case"
API_KINDS = {Kind.API_CASE, Kind.API_OBJECT, Kind.API_LIST}


@dataclass(frozen=True)
class Requester:
    label: str
    side: str
    role: str | None = None
    token: bool = False


def requesters(side: str) -> list[Requester]:
    if side == ANONYMOUS:
        return [Requester("anonymous visitor", ANONYMOUS)]
    if side == NARROWED:
        return ([Requester(f"B {role} barred by a conflict of interest", NARROWED, role) for role in BARRED_ROLES]
                + [Requester("B investigating_officer not assigned", NARROWED, StaffRole.INVESTIGATING_OFFICER)])
    name = "A" if side == OTHER else "B"
    return ([Requester(f"{name} {role}", side, role) for role in ROLES]
            + [Requester(f"{name} integration token", side, StaffRole.COMPLAINTS_OFFICER, token=True)])


def client_for(world: World, who: Requester) -> Client:
    client = Client()
    slug = world.a.slug if who.side == OTHER else world.b.slug
    if who.token:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.token_keys[slug]}"
    elif who.side == NARROWED:
        user = (world.unassigned_investigator if who.role == StaffRole.INVESTIGATING_OFFICER
                else world.barred[who.role])
        client.force_login(user)
    elif who.side != ANONYMOUS:
        client.force_login(world.user(slug, who.role))
    return client


@dataclass(frozen=True)
class Expect:
    statuses: tuple | str  # allowed status codes, or FOUND
    login: str = ""  # a redirect to this sign-in page
    hidden: bool = False  # none of B's case's text may appear
    shown: bool = False  # B's case's text must appear

    def problem(self, response, markers: list[str]) -> str | None:
        status = response.status_code
        if self.login:
            where = response.get("Location", "")
            return None if status == 302 and where.startswith(self.login) else (
                f"expected a redirect to {self.login}, got {status} {where}".strip())
        if self.statuses == FOUND:
            if status == 404 or status >= 500:
                return f"expected the object to be found (not 404/5xx), got {status}"
        elif status not in self.statuses:
            return f"expected {' or '.join(map(str, self.statuses))}, got {status}"
        body = _text(response)
        if self.hidden and any(marker in body for marker in markers):
            return f"answered {status} showing B's case ({', '.join(m for m in markers if m in body)})"
        if self.shown and status == 200 and not any(marker in body for marker in markers):
            return f"answered {status} without B's case in it (the control must see it)"
        return None


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def expected(route: Route, req: Req, who: Requester) -> Expect | None:
    """What ``who`` must get for ``req`` of ``route``; None where the pair means nothing (a token on a page)."""
    kind, side = route.kind, who.side
    shows_case = route.shows_case if req.shows_case is None else req.shows_case
    if who.token and kind not in API_KINDS:
        return None
    if side == NARROWED and not (kind in (Kind.CASE_PAGE, Kind.API_CASE) or shows_case):
        return None
    allowed = who.role in route.roles
    ok = FOUND if route.ok == FOUND or req.method != "get" else route.ok
    if kind in (Kind.PUBLIC, Kind.NOT_FOUND):
        return Expect((404,) if kind == Kind.NOT_FOUND else ok, hidden=True)
    if kind == Kind.TRACKING:
        return None  # requested by test_tracking_links_open_only_under_their_own_council
    if side == ANONYMOUS:
        return Expect((401, 403)) if kind in API_KINDS else Expect((), login="/sign-in/")
    if kind in (Kind.CASE_PAGE, Kind.COUNCIL_PAGE, Kind.API_CASE, Kind.API_OBJECT):
        if side == OWN:
            return Expect(ok if allowed or kind in API_KINDS else (403,))
        return Expect((404,) if allowed or kind in API_KINDS else (403, 404), hidden=True)
    # STAFF_PAGE, API_LIST: about no one object
    if not allowed and kind == Kind.STAFF_PAGE:
        return Expect((403,), hidden=True)
    return Expect(ok, hidden=side != OWN, shown=side == OWN and shows_case)
