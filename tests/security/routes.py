"""The isolation matrix's table: every URL pattern outside the admin, how to request it, and what kind it is.

Each key is a pattern's full route (as ``tests.security.patterns`` prints it); each
row says how to build requests for it *for council B's objects* and which kind of
protection it has. The kind decides what every requester must get
(``tests.security.expectations``):

* CASE_PAGE: a staff page about one case. Another council's staff, and B's staff
  barred by a conflict of interest or (investigating officers) not assigned: 404.
  Anonymous: the sign-in page. B's own staff: ``ok`` (200), or 403 where their role
  may not use the page (``roles``).
* COUNCIL_PAGE: a staff page about one council (reports by slug) or one of its records
  that is not a case (a complainant): 404 to other councils' staff (403 where their
  role may not use the page at all, whatever the object), sign-in for anonymous,
  200/403 by role for the council's own.
* STAFF_PAGE: a staff page about no one object (lists, dashboards, data-protection
  pages): 200/403 by role, sign-in for anonymous, and never any of B's case's text
  unless the requester may see the case (``shows_case``: B's own staff must see it).
* API_CASE / API_OBJECT: one case / one other record through the API: 404 to other
  councils' tokens and staff (and barred or unassigned staff for API_CASE), 401/403
  anonymous.
* API_LIST: 200 to any council's caller, never with B's case unless allowed; 401/403 anonymous.
* PUBLIC: open to all (``ok``); never shows B's case.
* TRACKING: a resident's private link to B's case: under another council's address
  it is a 404 to everyone; under B's it opens (``ok``).
* NOT_FOUND: answers 404 to everyone.

To add a URL: add a row here (or in ``admin_routes`` for an admin page) keyed by the
route the failing test names; requests are built from ``tests.security.world.World``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from complaints.models import StaffRole

ALL_ROLES = frozenset(StaffRole.values)
MANAGERS = frozenset({StaffRole.COMPLAINTS_MANAGER, StaffRole.COUNCIL_ADMIN})
CASEWORKERS = frozenset({StaffRole.COMPLAINTS_OFFICER, StaffRole.COMPLAINTS_MANAGER, StaffRole.COUNCIL_ADMIN})
FOUND = "found"  # any answer but 404 (or a server error): the object was found; the role or form may refuse


class Kind(Enum):
    CASE_PAGE = "staff page about one case"
    COUNCIL_PAGE = "staff page about one council, or one record of it that is not a case"
    STAFF_PAGE = "staff page"
    API_CASE = "API: one case"
    API_OBJECT = "API: one record"
    API_LIST = "API: the caller's council's records"
    PUBLIC = "public"
    TRACKING = "resident's private link"
    NOT_FOUND = "nothing here"


@dataclass(frozen=True)
class Req:
    method: str
    url: str
    data: dict | None = None
    shows_case: bool | None = None  # overrides the route's (e.g. a search form before the search)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url}"


@dataclass(frozen=True)
class Route:
    kind: Kind
    requests: Callable  # World -> list[Req], for council B's objects
    roles: frozenset = ALL_ROLES  # roles of the owning council that may use it; others get 403
    ok: tuple | str = (200,)  # what an allowed requester gets: statuses, or FOUND
    shows_case: bool = False  # STAFF_PAGE / API_LIST: B's allowed staff see B's case in it


def get(*paths: str | Callable) -> Callable:
    """Requests GETting each path (text, or a function of the world giving the text)."""
    return lambda w: [Req("get", p(w) if callable(p) else p) for p in paths]


def post(path: Callable | str, data: dict | None = None) -> Callable:
    return lambda w: [Req("post", path(w) if callable(path) else path, data or {})]


def both(*builders: Callable) -> Callable:
    return lambda w: [req for build in builders for req in build(w)]


def case(suffix: str = "") -> Callable:
    return lambda w: f"/cases/{w.case.reference}/{suffix}"


def api(suffix: str = "") -> Callable:
    return lambda w: f"/api/v1/complaints/{w.case.reference}/{suffix}"


def b_slug(suffix: str) -> Callable:
    return lambda w: f"/{w.b.slug}/{suffix}"


def track(suffix: str = "") -> Callable:
    return lambda w: f"/{w.b.slug}/track/{w.tracking_token}/{suffix}"


def report(suffix: str = "", formats: tuple = ("", "?format=csv", "?format=xlsx")) -> Callable:
    year = dt.date.today().year
    return lambda w: [Req("get", f"/reports/{w.b.slug}/{year}/{suffix}{f}") for f in formats]


def staff_actions(w) -> list[Req]:
    """Every action page of the case, shown (GET) and sent empty (POST)."""
    from complaints.staff.actions import ACTIONS

    return [Req(method, f"/cases/{w.case.reference}/{slug}/", {} if method == "post" else None)
            for slug in sorted(ACTIONS) for method in ("get", "post")]


def api_actions() -> dict[str, Route]:
    """One row per API action (the same list the API's URLconf is built from): POSTed empty."""
    from complaints.api.views_complaints import ACTION_VIEWS

    return {f"api/v1/complaints/<str:reference>/{name}/": Route(Kind.API_CASE, post(api(f"{name}/")), ok=FOUND)
            for name in ACTION_VIEWS}


def _reset_link(w) -> str:
    uid = urlsafe_base64_encode(force_bytes(w.user(w.b.slug, StaffRole.COMPLAINTS_OFFICER).pk))
    return f"/password-reset/{uid}/not-a-real-token/"


def routes() -> dict[str, Route]:
    table = {
        # Public pages and signing in
        "": Route(Kind.PUBLIC, get("/")),
        "healthz": Route(Kind.PUBLIC, get("/healthz"), ok=(200, 503)),
        "sign-in/": Route(Kind.PUBLIC, get("/sign-in/")),
        "sign-out/": Route(Kind.PUBLIC, post("/sign-out/"), ok=(302,)),
        "password-reset/": Route(Kind.PUBLIC, get("/password-reset/")),
        "password-reset/sent/": Route(Kind.PUBLIC, get("/password-reset/sent/")),
        "password-reset/<uidb64>/<token>/": Route(Kind.PUBLIC, get(_reset_link)),
        "password-reset/complete/": Route(Kind.PUBLIC, get("/password-reset/complete/")),
        # The residents' form (B's; no case in it) and private tracking links (B's case)
        "<slug:slug>/complain/": Route(Kind.PUBLIC, get(b_slug("complain/")), ok=(200, 302)),
        "<slug:slug>/complain/check/": Route(Kind.PUBLIC, get(b_slug("complain/check/")), ok=(200, 302)),
        "<slug:slug>/complain/done/": Route(Kind.PUBLIC, get(b_slug("complain/done/")), ok=(200, 302)),
        "<slug:slug>/complain/cannot-continue/": Route(Kind.PUBLIC, get(b_slug("complain/cannot-continue/")),
                                                       ok=(200, 302)),
        "<slug:slug>/complain/<slug:step_slug>/": Route(Kind.PUBLIC, get(b_slug("complain/what-happened/")),
                                                        ok=(200, 302, 404)),
        "<slug:slug>/track/": Route(Kind.PUBLIC, get(b_slug("track/"))),
        "<slug:slug>/track/<str:token>/": Route(Kind.TRACKING, get(track())),
        "<slug:slug>/track/<str:token>/add/": Route(Kind.TRACKING, get(track("add/")), ok=(200, 302)),
        "<slug:slug>/track/<str:token>/escalate/": Route(Kind.TRACKING, get(track("escalate/")), ok=(200, 302)),
        "<slug:slug>/track/<str:token>/withdraw/": Route(Kind.TRACKING, get(track("withdraw/")), ok=(200, 302)),
        # Case screens
        "cases/": Route(Kind.STAFF_PAGE, get("/cases/"), shows_case=True),
        "cases/<str:reference>/": Route(Kind.CASE_PAGE, get(case())),
        "cases/<str:reference>/<slug:slug>/": Route(Kind.CASE_PAGE, staff_actions, ok=FOUND),
        "cases/<str:reference>/files/<int:pk>/": Route(
            Kind.CASE_PAGE, get(lambda w: f"/cases/{w.case.reference}/files/{w.attachment.pk}/")),
        "cases/<str:reference>/actions/<int:pk>/complete/": Route(
            Kind.CASE_PAGE, get(lambda w: f"/cases/{w.case.reference}/actions/{w.action.pk}/complete/"), ok=FOUND),
        "cases/<str:reference>/ombudsman-remedies/<int:pk>/comply/": Route(
            Kind.CASE_PAGE, get(lambda w: f"/cases/{w.case.reference}/ombudsman-remedies/{w.remedy.pk}/comply/"),
            ok=FOUND),
        # Dashboard and reports, with their downloads
        "dashboard/": Route(Kind.STAFF_PAGE, get("/dashboard/", "/dashboard/?format=csv", "/dashboard/?format=xlsx"),
                            roles=MANAGERS),
        "dashboard/trends/": Route(Kind.STAFF_PAGE, get("/dashboard/trends/", "/dashboard/trends/?format=csv",
                                                        "/dashboard/trends/?format=xlsx"), roles=MANAGERS),
        "reports/<slug:slug>/<int:year>/": Route(Kind.COUNCIL_PAGE, report(), roles=MANAGERS),
        "reports/<slug:slug>/<int:year>/print/": Route(Kind.COUNCIL_PAGE, report("print/", ("",)), roles=MANAGERS),
        "reports/<slug:slug>/<int:year>/report.pdf": Route(Kind.COUNCIL_PAGE, report("report.pdf", ("",)),
                                                           roles=MANAGERS, ok=(200, 503)),
        "reports/<slug:slug>/<int:year>/q<int:quarter>/": Route(Kind.COUNCIL_PAGE, report("q1/"), roles=MANAGERS),
        "reports/<slug:slug>/<int:year>/q<int:quarter>/print/": Route(Kind.COUNCIL_PAGE, report("q1/print/", ("",)),
                                                                      roles=MANAGERS),
        "reports/<slug:slug>/<int:year>/q<int:quarter>/report.pdf": Route(
            Kind.COUNCIL_PAGE, report("q1/report.pdf", ("",)), roles=MANAGERS, ok=(200, 503)),
        # API
        "api/schema/": Route(Kind.PUBLIC, get("/api/schema/")),
        "api/docs/": Route(Kind.PUBLIC, get("/api/docs/")),
        "api/v1/complaints/": Route(Kind.API_LIST, get("/api/v1/complaints/"), shows_case=True),
        "api/v1/complaints/<str:reference>/": Route(Kind.API_CASE, get(api())),
        "api/v1/complaints/<str:reference>/notes/": Route(Kind.API_CASE, both(get(api("notes/")),
                                                                            post(api("notes/"))), ok=FOUND),
        "api/v1/complaints/<str:reference>/correspondence/": Route(
            Kind.API_CASE, both(get(api("correspondence/")), post(api("correspondence/"))), ok=FOUND),
        "api/v1/complaints/<str:reference>/deadlines/": Route(Kind.API_CASE, get(api("deadlines/"))),
        "api/v1/deadlines/": Route(Kind.API_LIST, get("/api/v1/deadlines/")),
        "api/v1/councils/": Route(Kind.API_LIST, get("/api/v1/councils/")),
        "api/v1/councils/<slug:slug>/": Route(Kind.API_OBJECT, get(lambda w: f"/api/v1/councils/{w.b.slug}/")),
        "api/v1/ombudsman-cases/": Route(Kind.API_LIST, get("/api/v1/ombudsman-cases/")),
        "api/v1/ombudsman-cases/<int:pk>/": Route(
            Kind.API_OBJECT, get(lambda w: f"/api/v1/ombudsman-cases/{w.ombudsman_case.pk}/")),
        "api/v1/feedback/": Route(Kind.API_LIST, get("/api/v1/feedback/")),
        "api/v1/dashboard/": Route(Kind.API_LIST, get("/api/v1/dashboard/")),
        "api/": Route(Kind.NOT_FOUND, get("/api/v1/no-such-thing/", "/api/nothing/")),
    }
    table.update(api_actions())
    table.update(contributed())
    return table


def contributed() -> dict[str, Route]:
    """Rows for the URLs added alongside this matrix (API attachments, data-protection pages)."""
    return {
        "api/v1/complaints/<str:reference>/attachments/": Route(Kind.API_CASE, get(api("attachments/"))),
        "api/v1/complaints/<str:reference>/attachments/<int:pk>/download/": Route(
            Kind.API_CASE, get(lambda w: f"/api/v1/complaints/{w.case.reference}/attachments/{w.attachment.pk}/"
                                         "download/")),
        "api/v1/complaints/<str:reference>/correspondence/<int:correspondence_id>/attachments/": Route(
            Kind.API_CASE, get(lambda w: f"/api/v1/complaints/{w.case.reference}/correspondence/"
                                         f"{w.attachment.correspondence_id}/attachments/")),
        "data-protection/retention/": Route(Kind.STAFF_PAGE, get("/data-protection/retention/"),
                                            roles=frozenset({StaffRole.COUNCIL_ADMIN})),
        "data-protection/subject-access/": Route(
            Kind.STAFF_PAGE, lambda w: [Req("get", "/data-protection/subject-access/", shows_case=False),
                                        Req("post", "/data-protection/subject-access/", {"q": "Zebedee"})],
            roles=MANAGERS, shows_case=True),
        "data-protection/subject-access/export/": Route(
            Kind.STAFF_PAGE, post("/data-protection/subject-access/export/", {"complainants": ["0"]}),
            roles=MANAGERS, ok=(302,)),
        "data-protection/complainants/<int:pk>/correct/": Route(
            Kind.COUNCIL_PAGE, get(lambda w: f"/data-protection/complainants/{w.case.complainant_id}/correct/"),
            roles=MANAGERS),
    }
