"""The isolation matrix's admin rows: every admin URL pattern, generated from a table of registered models.

Council administrators use the admin within their own council (complaints.staff.admin_scope).
Each registered model needs a row in ``ADMIN_MODELS``: how to find council B's object
(None where the model has none), what a council administrator may do with their own
council's rows, and whether its rows belong to one case (hidden from an administrator
barred from it). A model registered without a row leaves its URL patterns uncovered,
which fails ``test_every_url_pattern_is_in_the_matrix``. Site-wide pages and the few
model pages outside the standard five are listed in ``SITE_PAGES`` / ``EXTRA_PAGES``.

Kinds: "list" (changelist), "add", "object" (change/history/delete/redirect: another
council's object must answer exactly as a missing one does, never 200), "site" (no object;
``ok`` for an administrator), "login" (the admin's sign-in page), "missing" (404 to all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern

from complaints.models import StaffRole
from tests.security.world import B

NO_SUCH_ID = 987654321
VIEW, ADD, CHANGE = "view", "add", "change"


@dataclass(frozen=True)
class AdminModel:
    obj: Callable | None  # World -> council B's object, or None
    may: frozenset = frozenset()  # what a council administrator may do in their own council
    case_bound: bool = False


ADMIN_MODELS = {
    "auth.group": AdminModel(None),
    "auth.user": AdminModel(lambda w: w.user(B, StaffRole.COMPLAINTS_OFFICER)),
    "policies.council": AdminModel(lambda w: w.b, frozenset({VIEW})),
    "policies.policyversion": AdminModel(lambda w: w.case.policy_version, frozenset({VIEW})),
    "complaints.staffmember": AdminModel(lambda w: w.user(B, StaffRole.COMPLAINTS_OFFICER).staff_member,
                                         frozenset({VIEW, ADD, CHANGE})),
    "complaints.servicearea": AdminModel(lambda w: w.area, frozenset({VIEW, ADD, CHANGE})),
    "complaints.complaint": AdminModel(lambda w: w.case),
    "staff.caseview": AdminModel(lambda w: w.case_view, frozenset({VIEW}), case_bound=True),
    "staff.conflictofinterest": AdminModel(lambda w: w.conflict, frozenset({VIEW}), case_bound=True),
    "staff.lettertemplate": AdminModel(None, frozenset({VIEW})),
    "api.integrationtoken": AdminModel(lambda w: w.tokens[B]),
    "axes.accessattempt": AdminModel(None),
    "axes.accesslog": AdminModel(None),
    "axes.accessfailurelog": AdminModel(None),
}


@dataclass(frozen=True)
class AdminRoute:
    kind: str
    url: Callable  # (World, object id or None) -> URL
    model: str = ""  # "app.model" for list/add/object rows
    ok: tuple = (200,)  # "site": what a council administrator gets
    method: str = "get"


def _model_pages(label: str, spec: AdminModel) -> dict[str, AdminRoute]:
    app, name = label.split(".")
    base = f"admin/{app}/{name}/"
    pages = {
        base: AdminRoute("list", lambda w, pk: f"/{base}", label),
        f"{base}add/": AdminRoute("add", lambda w, pk: f"/{base}add/", label),
    }
    for suffix in ("<path:object_id>/history/", "<path:object_id>/delete/", "<path:object_id>/change/",
                   "<path:object_id>/"):
        tail = suffix.replace("<path:object_id>/", "")
        pages[base + suffix] = AdminRoute("object", lambda w, pk, tail=tail: f"/{base}{pk}/{tail}", label)
    return pages


SITE_PAGES = {
    "admin/": AdminRoute("site", lambda w, pk: "/admin/"),
    "admin/login/": AdminRoute("login", lambda w, pk: "/admin/login/"),
    "admin/logout/": AdminRoute("site", lambda w, pk: "/admin/logout/", ok=(302, 200), method="post"),
    "admin/password_change/": AdminRoute("site", lambda w, pk: "/admin/password_change/"),
    "admin/password_change/done/": AdminRoute("site", lambda w, pk: "/admin/password_change/done/"),
    "admin/autocomplete/": AdminRoute("site", lambda w, pk: "/admin/autocomplete/", ok=(403,)),
    "admin/jsi18n/": AdminRoute("site", lambda w, pk: "/admin/jsi18n/"),
    "admin/r/<path:content_type_id>/<path:object_id>/": AdminRoute(
        "object", lambda w, pk: f"/admin/r/{w.case_content_type}/{pk}/", "complaints.complaint"),
    "admin/(?P<url>.*)$": AdminRoute("missing", lambda w, pk: "/admin/no/such/page/"),
}

EXTRA_PAGES = {
    "admin/auth/user/<id>/password/": AdminRoute("object", lambda w, pk: f"/admin/auth/user/{pk}/password/",
                                                 "auth.user"),
    "admin/complaints/complaint/^([^/]+)/history/([^/]+)/$": AdminRoute(
        "object", lambda w, pk: f"/admin/complaints/complaint/{pk}/history/{w.case_history_id}/",
        "complaints.complaint"),
    "admin/staff/lettertemplate/<slug:folder>/<slug:kind>/": AdminRoute(
        "letter", lambda w, pk: f"/admin/staff/lettertemplate/{w.b.slug}/stage_response/"),
}


def app_list_route() -> str:
    """The admin's per-app page, whose pattern lists the registered apps."""
    pattern = next(p for p in admin.site.get_urls() if isinstance(p, URLPattern) and p.name == "app_list")
    return "admin/" + str(pattern.pattern)


def admin_routes() -> dict[str, AdminRoute]:
    table = {**SITE_PAGES, **EXTRA_PAGES,
             app_list_route(): AdminRoute("site", lambda w, pk: "/admin/staff/", ok=(200,))}
    for model in admin.site._registry:
        spec = ADMIN_MODELS.get(model._meta.label_lower)
        if spec is None:
            continue  # its patterns stay uncovered: test_every_url_pattern_is_in_the_matrix names them
        pages = _model_pages(model._meta.label_lower, spec)
        if model._meta.label_lower == "staff.lettertemplate":  # no table: a list only, plus EXTRA_PAGES
            pages = {k: v for k, v in pages.items() if v.kind == "list"}
        table.update(pages)
    return table
