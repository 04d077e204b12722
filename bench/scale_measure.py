"""What ``bench/run`` measures, each a function that returns plain figures (milliseconds unless named).

Runs inside the bench process, with Django set up on the benchmark database
and ``config.settings.bench`` (the same settings and SECRET_KEY as the server,
so sessions made here are valid there). Pages are measured through gunicorn
(``scale_load``); the breach sweep and the deadline engine in-process or in a
subprocess, since they are not requests.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.scale_load import drive, fetch, nearest_rank, summary

ROOT = Path(__file__).resolve().parent.parent
BACKLOG = 50_000
WARMUP_PER_CLIENT = 2


@dataclass
class User:
    council: str
    username: str
    cookie: str
    references: list[str] = field(default_factory=list)


def sign_in(role: str, seed: int, sample: int = 500) -> list[User]:
    """One signed-in user with ``role`` per council (created if missing), with a sample of open case references."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from complaints.models import OPEN, Complaint, StaffMember
    from policies.models import Council

    rng = random.Random(seed)
    users = []
    for council in Council.objects.order_by("slug"):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-{role}-{council.slug}", defaults={"first_name": "Bench", "last_name": council.short_name})
        StaffMember.objects.update_or_create(user=user, defaults={"council": council, "role": role})
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        references = list(Complaint.objects.filter(council=council, state__in=OPEN)
                          .values_list("reference", flat=True).order_by("?")[:sample])
        rng.shuffle(references)
        users.append(User(council.slug, user.username, cookie, references))
    return users


def pages(port: int, kind: str, paths, users: list[User], clients: int, requests: int, rounds: int,
          seed: int) -> dict:
    """``rounds`` runs of ``requests`` requests (after a warm-up), ``clients`` at once; per-round and overall."""
    rng = random.Random(seed)
    per_round, server, client, cpu, failures, rates = [], [], [], [], 0, []
    for round_number in range(rounds + 1):
        count = WARMUP_PER_CLIENT * clients if round_number == 0 else requests
        jobs = []
        for i in range(count):
            user = users[i % len(users)]
            jobs.append((kind, paths(user, rng), user.cookie))
        samples, elapsed = drive(port, jobs, clients)
        if round_number == 0:
            continue
        bad = [s for s in samples if s.status != 200]
        failures += len(bad) + (count - len(samples))
        times = [s.server_ms for s in samples if s.server_ms is not None]
        server += times
        client += [s.client_ms for s in samples]
        cpu += [s.cpu_ms for s in samples if s.cpu_ms is not None]
        rates.append(len(samples) / elapsed)
        per_round.append({"server_p95": nearest_rank(times, 0.95) if times else None,
                          "server_median": statistics.median(times) if times else None})
        if bad:
            per_round[-1]["statuses"] = sorted({s.status for s in bad})
    return {"server": summary(server), "client": summary(client), "cpu": summary(cpu), "failures": failures,
            "rounds": per_round,
            "requests_per_second": statistics.median(rates), "clients": clients}


def sequential(port: int, path: str, cookie: str, runs: int) -> dict:
    """One request at a time (a warm-up, then ``runs``): for a long page like the annual report."""
    fetch(port, path, {"Cookie": cookie})
    server, client, cpu, statuses = [], [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        status, server_ms, cpu_ms = fetch(port, path, {"Cookie": cookie})
        client.append((time.perf_counter() - started) * 1000)
        statuses.append(status)
        if server_ms is not None:
            server.append(server_ms)
        if cpu_ms is not None:
            cpu.append(cpu_ms)
    return {"server": summary(server), "client": summary(client), "cpu": summary(cpu),
            "failures": sum(1 for s in statuses if s != 200), "statuses": sorted(set(statuses)), "path": path}


def dashboard_misses(port: int, managers: list[User], runs: int) -> dict:
    """The dashboard one request at a time, each after every council's cached board was made stale.

    The dashboard is cached per council until a case or deadline of that council changes
    (``complaints.reports.dashboard_cache``): with officers at work, many requests miss.
    """
    from complaints.reports.dashboard_cache import bump_all

    server, cpu = [], []
    for i in range(runs + 1):
        bump_all()
        status, server_ms, cpu_ms = fetch(port, "/dashboard/", {"Cookie": managers[i % len(managers)].cookie})
        if i and status == 200 and server_ms is not None:
            server.append(server_ms)
            cpu.append(cpu_ms)
    return {"server": summary(server), "cpu": summary([c for c in cpu if c is not None]),
            "failures": runs - len(server)}


def submissions(base: str, clients: int, total: int, rounds: int) -> dict:
    """Residents' full submissions per second, with the public journey's own walker (bench/public_submissions_bench)."""
    from bench import public_submissions_bench as public

    rates, durations, errors, made = [], [], {}, 0
    warm = public.Run(0)
    public.drive(base, clients, clients, 0, warm)  # every worker imports, connects, caches
    for _ in range(rounds):
        run = public.Run(0)
        public.drive(base, clients, total, 10, run)
        rates.append(len(run.durations) / run.elapsed)
        durations += [seconds * 1000 for seconds in run.durations]
        made += len(run.durations)
        for message, count in run.errors.items():
            errors[message] = errors.get(message, 0) + count
    return {"rate": {"median": statistics.median(rates), "max": max(rates), "rounds": rates},
            "submission": summary(durations), "submitted": made, "errors": errors, "clients": clients}


def _sweep(setup=None) -> tuple[float, int]:
    """One breach sweep in a transaction that is rolled back (the database is left as it was)."""
    from django.db import transaction
    from django.utils import timezone

    from complaints.services.sweeps import deadlines_flag_breaches

    with transaction.atomic():
        if setup:
            setup()
        started = time.perf_counter()
        result = deadlines_flag_breaches(now=timezone.now())
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed, result.flagged


def _backlog() -> None:
    """50,000 deadlines due and unflagged, on open cases: as if the sweep had not run for weeks.

    Taken from the newest deadlines that fell due without ever being flagged (most were met or cancelled in
    time): they are made open again, and their cases open (Stage 1) where they had finished.
    """
    from django.db import connection

    from complaints.models import OPEN
    from complaints.selectors import COUNCIL_DEADLINES

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_backlog ON COMMIT DROP AS SELECT id, complaint_id FROM complaints_deadline "
            "WHERE breached_at IS NULL AND complaint_id IS NOT NULL AND due_date < current_date "
            "AND kind = ANY(%s) ORDER BY id DESC LIMIT %s", [list(COUNCIL_DEADLINES), BACKLOG])
        cursor.execute("UPDATE complaints_deadline d SET met_at = NULL, cancelled_at = NULL, paused = false "
                       "FROM bench_backlog b WHERE d.id = b.id")
        cursor.execute("UPDATE complaints_complaint c SET state = 'stage1', stage = 'stage1' "
                       "WHERE c.id IN (SELECT complaint_id FROM bench_backlog) AND NOT c.state = ANY(%s)",
                       [[str(state) for state in OPEN]])
        cursor.execute("ANALYZE complaints_deadline")


def _one_day() -> None:
    """The breaches of the latest due date unflagged again: the first sweep after midnight."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_deadline SET breached_at = NULL WHERE breached_at IS NOT NULL AND due_date = "
                       "(SELECT max(due_date) FROM complaints_deadline WHERE breached_at IS NOT NULL)")


def sweeps(steady_runs: int, day_runs: int, backlog_runs: int) -> dict:
    runs = {"steady": [_sweep() for _ in range(steady_runs)],
            "one day": [_sweep(_one_day) for _ in range(day_runs)],
            "backlog": [_sweep(_backlog) for _ in range(backlog_runs)]}
    return {name: {**summary([ms for ms, _ in found]), "flagged": sorted({n for _, n in found})}
            for name, found in runs.items()}


def engine(cases: int, repeat: int) -> dict:
    """bench/deadlines_bench.py in its own process (it pins itself to one core): dates-only cases per second."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "deadlines_bench.py"), f"--cases={cases}",
                           f"--repeat={repeat}", "--target=0"], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800)
    found = re.search(r"Dates only:\s+best\s+([\d,]+) cases/s\s+median\s+([\d,]+)", done.stdout)
    explained = re.search(r"With explanation:\s+best\s+([\d,]+) cases/s\s+median\s+([\d,]+)", done.stdout)
    if not found:
        return {"error": (done.stdout + done.stderr)[-1500:]}
    number = lambda text: int(text.replace(",", ""))  # noqa: E731
    return {"best": number(found.group(1)), "median": number(found.group(2)),
            "with_explanation_median": number(explained.group(2)) if explained else None, "cases": cases}


def database_figures(name: str) -> dict:
    from django.db import connection

    from complaints.models import OPEN, Complaint, Deadline

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), version()")
        size, version = cursor.fetchone()
    return {"complaints": Complaint.objects.count(), "open": Complaint.objects.filter(state__in=OPEN).count(),
            "deadlines": Deadline.objects.count(), "bytes": size, "postgres": version.split(" on ")[0],
            "councils": Complaint.objects.values("council").distinct().count(),
            "first_received": str(Complaint.objects.order_by("received_at").values_list(
                "received_at", flat=True).first().date()),
            "open_overdue_deadlines": Deadline.objects.filter(
                met_at__isnull=True, cancelled_at__isnull=True, paused=False, due_date__lt=dt.date.today(),
                complaint__state__in=OPEN).count()}
