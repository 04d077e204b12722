"""The isolation matrix in the admin: every admin URL (``admin_routes``) as every role of council A,
an anonymous visitor, council B's administrator (the control) and B's administrator barred from the case.

Another council's object must answer exactly as an object that does not exist (the admin's
"does not exist" redirect, or 403 where the model is closed to council administrators),
never 200, and lists never show it.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from complaints.models import StaffRole
from tests.security.admin_routes import ADMIN_MODELS, NO_SUCH_ID, VIEW, ADD, admin_routes
from tests.security.world import A, B, ROLES, build_world

pytestmark = pytest.mark.django_db
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def world():
    cache.clear()
    yield build_world()
    cache.clear()


def _object(world, route):
    spec = ADMIN_MODELS.get(route.model)
    return spec.obj(world) if spec and spec.obj else None


def _markers(world, route) -> list[str]:
    obj = _object(world, route)
    app, name = route.model.split(".") if route.model else ("", "")
    return world.markers + ([f"/admin/{app}/{name}/{obj.pk}/change/"] if obj is not None else [])


def _request(client, route, url):
    return client.post(url) if route.method == "post" else client.get(url)


def _summary(response, object_id=None) -> str:
    """Status and redirect, with the requested id written as <id> (a redirect to its own change page)."""
    location = response.get("Location", "")
    for value in (object_id, NO_SUCH_ID):
        if value is not None:
            location = location.replace(f"/{value}/", "/<id>/")
    return f"{response.status_code} {location}".strip()


def _check(client, world, route, side: str, role: str | None) -> str | None:
    """What is wrong with this requester's answer for this route, if anything."""
    obj = _object(world, route)
    if route.kind == "object" and obj is None:
        return None
    url = route.url(world, obj.pk if obj is not None else None)
    response = _request(client, route, url)
    status, body = response.status_code, response.content.decode("utf-8", "replace")
    if status >= 500:
        return f"{url}: server error {status}"
    if route.kind in ("login",) or route.method == "post":
        return None if status in (200, 302) else f"{url}: got {status}"
    staff_admin = side in ("own", "barred") or (side == "other" and role == StaffRole.COUNCIL_ADMIN)
    if not staff_admin:  # anonymous, or a signed-in officer with no admin access
        location = response.get("Location", "")
        if route.kind == "missing" and status == 404:
            return None
        return None if status == 302 and location.startswith(ADMIN_LOGIN) else (
            f"{url}: expected the admin sign-in page, got {_summary(response)}")
    may = ADMIN_MODELS[route.model].may if route.model else frozenset()
    case_bound = route.model and ADMIN_MODELS[route.model].case_bound
    refused_here = side == "other" or (side == "barred" and case_bound)
    leaked = [m for m in _markers(world, route) if m in body]
    if route.kind == "missing":
        return None if status == 404 else f"{url}: expected 404, got {status}"
    if route.kind == "letter":
        want = 404 if side == "other" else 200
        return None if status == want else f"{url}: expected {want}, got {status}"
    if route.kind in ("list", "add"):
        want = 200 if (VIEW if route.kind == "list" else ADD) in may else 403
        if status != want:
            return f"{url}: expected {want}, got {status}"
        if refused_here and leaked:
            return f"{url}: shows council B's record ({leaked})"
        if side == "own" and route.kind == "list" and obj is not None and status == 200 and not leaked:
            return f"{url}: the control does not see council B's record"
        return None
    if route.kind == "site":
        if status not in route.ok:
            return f"{url}: expected {route.ok}, got {status}"
        return f"{url}: shows council B's case ({leaked})" if side == "other" and leaked else None
    # "object": another council's (or a barred case's) record answers as a missing one
    missing = _request(client, route, route.url(world, NO_SUCH_ID))
    if refused_here:
        if status == 200 or _summary(response, obj.pk) != _summary(missing):
            return f"{url}: got {_summary(response, obj.pk)}, but a missing record gets {_summary(missing)}"
        return None
    if url.startswith("/admin/r/"):
        return None  # "view on site": cases have no public page, so it is 404 for every id
    if VIEW in may and (url.endswith("/change/") or url.endswith("/history/")):
        return None if status == 200 else f"{url}: the control expected 200, got {status}"
    return None if status in (302, 403) else f"{url}: the control got {status}"


def _requesters(world):
    yield "anonymous visitor", "anonymous", None, Client()
    for role in ROLES:
        client = Client()
        client.force_login(world.user(A, role))
        yield f"A {role}", "other", role, client
    own, barred = Client(), Client()
    own.force_login(world.user(B, StaffRole.COUNCIL_ADMIN))
    barred.force_login(world.barred[StaffRole.COUNCIL_ADMIN])
    yield "B council_admin", "own", StaffRole.COUNCIL_ADMIN, own
    yield "B council_admin barred from the case", "barred", StaffRole.COUNCIL_ADMIN, barred


def test_every_admin_url_keeps_council_bs_records_from_council_a(world):
    problems, checked = [], 0
    table = sorted(admin_routes().items(), key=lambda item: item[1].method == "post")  # sign out last
    for label, side, role, client in _requesters(world):
        for key, route in table:
            if side == "barred" and not (route.model and ADMIN_MODELS[route.model].case_bound):
                continue
            checked += 1
            problem = _check(client, world, route, side, role)
            if problem:
                problems.append(f"{label} [{key!r}]: {problem}")
    assert not problems, f"{len(problems)} of {checked} requests:\n" + "\n".join(problems)
    assert checked > 300
