"""The isolation matrix: every URL pattern, requested by every role of another council, anonymous
visitors, the council's own staff (the control) and its staff who may not see the case.

The table of patterns is ``tests.security.routes`` (admin pages: ``admin_routes``); a
pattern the resolver knows and the table does not fails ``test_every_url_pattern_is_in_the_matrix``.
Each other test requests every row and reports every mismatch at once.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from complaints.models import Complaint
from tests.security.admin_routes import admin_routes
from tests.security.expectations import ANONYMOUS, NARROWED, OTHER, OWN, client_for, expected, requesters
from tests.security.patterns import all_patterns
from tests.security.routes import Kind, routes
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cache.clear()  # API throttle counts
    yield build_world()
    cache.clear()


def run_matrix(world, side: str) -> tuple[list[str], int]:
    """Every request of every row by every requester of ``side``: the mismatches, and how many were checked.

    GETs go first, then POSTs, so a control's POST (which may move B's case on) cannot change what a
    later GET should see; signing out goes last.
    """
    table = routes()
    plan = [(route_key, route, req) for route_key, route in table.items() for req in route.requests(world)]
    plan.sort(key=lambda item: (item[2].method != "get", item[2].url == "/sign-out/"))
    problems, checked = [], 0
    for who in requesters(side):
        client = client_for(world, who)
        for route_key, route, req in plan:
            expect = expected(route, req, who)
            if expect is None:
                continue
            response = getattr(client, req.method)(req.url, req.data) if req.data is not None else getattr(
                client, req.method)(req.url)
            checked += 1
            problem = expect.problem(response, world.markers)
            if problem:
                problems.append(f"{who.label}: {req} [{route_key!r}, {route.kind.value}]: {problem}")
    return problems, checked


def test_every_url_pattern_is_in_the_matrix():
    table = set(routes()) | set(admin_routes())
    known = {pattern.route for pattern in all_patterns()}
    missing = [str(p) for p in all_patterns() if p.route not in table]
    assert not missing, ("URL patterns with no row in the isolation matrix; add each to tests/security/routes.py "
                         "(or admin_routes.py) saying how to request it for council B:\n  " + "\n  ".join(missing))
    assert not table - known, f"Rows for URL patterns that no longer exist: {sorted(table - known)}"


def test_other_councils_staff_and_tokens_get_404_for_council_bs_records(world):
    before = Complaint.objects.filter(pk=world.case.pk).values("version", "state").get()
    problems, checked = run_matrix(world, OTHER)
    assert not problems, f"{len(problems)} of {checked} requests:\n" + "\n".join(problems)
    assert Complaint.objects.filter(pk=world.case.pk).values("version", "state").get() == before
    assert checked > 400


def test_anonymous_visitors_are_sent_to_sign_in_or_refused(world):
    problems, checked = run_matrix(world, ANONYMOUS)
    assert not problems, f"{len(problems)} of {checked} requests:\n" + "\n".join(problems)


def test_council_bs_own_staff_reach_the_same_urls(world):
    """The control: the same requests by B's own roles find the records (so the 404s above are not for all)."""
    problems, checked = run_matrix(world, OWN)
    assert not problems, f"{len(problems)} of {checked} requests:\n" + "\n".join(problems)


def test_barred_and_unassigned_staff_of_the_same_council_get_404_for_the_case(world):
    before = Complaint.objects.filter(pk=world.case.pk).values("version", "state").get()
    problems, checked = run_matrix(world, NARROWED)
    assert not problems, f"{len(problems)} of {checked} requests:\n" + "\n".join(problems)
    assert Complaint.objects.filter(pk=world.case.pk).values("version", "state").get() == before


def test_tracking_links_open_only_under_their_own_councils_address(world):
    problems = []
    for route_key, route in routes().items():
        if route.kind != Kind.TRACKING:
            continue
        for req in route.requests(world):
            elsewhere = req.url.replace(f"/{world.b.slug}/", f"/{world.a.slug}/", 1)
            for who in requesters(ANONYMOUS) + requesters(OTHER)[:1]:
                response = client_for(world, who).get(elsewhere)
                if response.status_code != 404 or any(m in response.content.decode() for m in world.markers):
                    problems.append(f"{who.label}: GET {elsewhere} [{route_key!r}]: got {response.status_code}")
            response = client_for(world, requesters(ANONYMOUS)[0]).get(req.url)
            if response.status_code not in route.ok:
                problems.append(f"resident: {req} [{route_key!r}]: expected {route.ok}, got {response.status_code}")
    assert not problems, "\n".join(problems)
