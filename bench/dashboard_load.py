"""The dashboard under concurrent load: complaints managers at once against gunicorn, server-side p95.

Used by ``bench/dashboard_bench.py`` (``--clients``, ``--requests``, ``--workers``, ``--port``);
the server and the log reading are ``bench/case_screens_bench.py``'s, so the two benchmarks
measure the same way:

* gunicorn (``--workers`` sync workers) with ``config.settings.production`` (DEBUG off, the
  production middleware, persistent connections; only SECURE_SSL_REDIRECT off on loopback);
* one complaints manager per council, signed in in-process with the server's SECRET_KEY;
  ``clients`` threads (8 by default) share the requests of each page type, client ``i``
  signed in as the manager of council ``i mod 5``, after a short warm-up;
* server time is gunicorn's ``%(D)s`` (reading the request to the end of the response, so
  time waiting in the listen queue for a free worker is not in it), read from the access log;
  the client-side figures include that wait.

The dashboard's date is the server's today in London (the view's), so the database should be
seeded for today (``seed_demo`` without ``--today``), as ``dashboard_bench.py`` does by default.
"""

from __future__ import annotations

import queue
import secrets
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from bench.case_screens_bench import (
    REQUEST_TIMEOUT_SECONDS,
    access_log_times,
    load_average,
    nearest_rank,
    server_environment,
    start_server,
    stop_server,
    timed_get,
)

PAGES = {  # page type -> path; the dashboard is the one with a target
    "dashboard": "/dashboard/",
    "dashboard due within 10": "/dashboard/?due_within=10",
    "trends": "/dashboard/trends/",
}
TARGET_PAGES = ("dashboard", "dashboard due within 10")
WARMUP_PER_CLIENT = 2


@dataclass
class Manager:
    council: str
    username: str
    cookie: str


def managers() -> list[Manager]:
    """One signed-in complaints manager per council (made in-process: the session store is shared)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from complaints.models import StaffMember, StaffRole
    from policies.models import Council

    found = []
    for council in Council.objects.order_by("slug"):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-manager-{council.slug}", defaults={"first_name": "Bench", "last_name": "Manager"})
        user.set_password(secrets.token_urlsafe(18))
        user.save()
        StaffMember.objects.update_or_create(user=user, defaults={"council": council,
                                                                  "role": StaffRole.COMPLAINTS_MANAGER})
        client = Client()
        client.force_login(user)
        found.append(Manager(council.slug, user.username,
                             f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"))
    return found


def _client(base: str, manager: Manager, jobs: queue.Queue, results: list) -> None:
    opener = urllib.request.build_opener()
    while True:
        try:
            kind, tag = jobs.get_nowait()
        except queue.Empty:
            return
        request = urllib.request.Request(f"{base}{PAGES[kind]}",
                                         headers={"Cookie": manager.cookie, "X-Bench-Kind": tag.replace(" ", "_")})
        status, seconds = timed_get(opener, request)
        results.append((tag, status, seconds * 1000))


def _drive(base: str, the_managers: list[Manager], kind: str, tag: str, count: int, clients: int) -> tuple:
    jobs: queue.Queue = queue.Queue()
    for _ in range(count):
        jobs.put((kind, tag))
    results: list = []
    threads = [threading.Thread(target=_client, args=(base, the_managers[i % len(the_managers)], jobs, results),
                                daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=count * REQUEST_TIMEOUT_SECONDS)
    return results, time.perf_counter() - started


def run_load(*, database: str, secret_key: str, clients: int = 8, requests: int = 400, workers: int = 2,
             port: int = 8766, pages: tuple[str, ...] = tuple(PAGES)) -> dict:
    """Each page type under ``clients`` concurrent managers; figures in milliseconds.

    The caller has set Django up with ``SECRET_KEY=secret_key`` and the same database, so the
    sessions it makes here are valid on the server.
    """
    from django.db import connections

    the_managers = managers()
    connections.close_all()
    var_dir = Path(tempfile.mkdtemp(prefix="dashload-"))
    env = server_environment(SimpleNamespace(database=database), secret_key, var_dir)
    server, access_log = start_server(SimpleNamespace(port=port, workers=workers), env, var_dir)
    measured = {}
    before = load_average()
    try:
        base = f"http://127.0.0.1:{port}"
        for kind in pages:
            _drive(base, the_managers, kind, f"warmup {kind}", WARMUP_PER_CLIENT * clients, clients)
            measured[kind] = _drive(base, the_managers, kind, kind, requests, clients)
    finally:
        stop_server(server)  # flushes the access log
    after = load_average()
    server_ms = access_log_times(access_log)
    shutil.rmtree(var_dir, ignore_errors=True)
    figures = {}
    for kind, (results, elapsed) in measured.items():
        server = server_ms.get(kind, [])
        client = [ms for _, _, ms in results]
        figures[kind] = {
            "requests": len(results), "failures": sum(1 for _, status, _ in results if status != 200),
            "logged": len(server),
            "server_median_ms": round(statistics.median(server), 1) if server else None,
            "server_p95_ms": round(nearest_rank(server, 0.95), 1) if server else None,
            "server_max_ms": round(max(server), 1) if server else None,
            "client_median_ms": round(statistics.median(client), 1) if client else None,
            "client_p95_ms": round(nearest_rank(client, 0.95), 1) if client else None,
            "per_second": round(len(results) / elapsed, 1) if elapsed else None,
        }
    return {"clients": clients, "workers": workers, "requests_per_page": requests, "before": before,
            "after": after, "pages": figures}


def print_load(load: dict, target_ms: float) -> bool:
    """A table of the figures; True when every target page's server p95 is within ``target_ms``, no errors."""
    print(f"\n{load['requests_per_page']} requests per page type, {load['clients']} concurrent managers, "
          f"{load['workers']} gunicorn workers")
    print(f"Before the load: {load['before']}; after: {load['after']} (anything else running on the machine shows)")
    print(f"{'':<26}{'server median':>14}{'server p95':>12}{'server max':>12}{'client median':>15}"
          f"{'client p95':>12}{'req/s':>8}{'non-200':>9}")
    ok = True
    for kind, f in load["pages"].items():
        if f["logged"] != f["requests"]:
            print(f"{kind:<26} access log has {f['logged']} lines for {f['requests']} requests")
            ok = False
            continue
        if kind in TARGET_PAGES:
            ok = ok and f["failures"] == 0 and f["server_p95_ms"] <= target_ms
        print(f"{kind:<26}{f['server_median_ms']:>12.1f}ms{f['server_p95_ms']:>10.1f}ms{f['server_max_ms']:>10.1f}ms"
              f"{f['client_median_ms']:>13.1f}ms{f['client_p95_ms']:>10.1f}ms{f['per_second']:>8.1f}"
              f"{f['failures']:>9}")
    return ok
