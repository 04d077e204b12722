"""Case screens under load: the case list and case pages served by gunicorn on a seeded PostgreSQL database.

Run from the repository root (PostgreSQL on 127.0.0.1, user postgres)::

    .venv/bin/python bench/case_screens_bench.py [--complaints 100000] [--seed 1] [--requests 400]
        [--clients 8] [--workers 2] [--port 8765] [--database casebench] [--keep] [--reuse]

What it does, all on this machine (loopback only, bounded request counts):

1. Creates a scratch database (``createdb -h 127.0.0.1 -U postgres casebench``), migrates,
   loads the policies, seeds ``seed_demo --complaints N --seed S`` and runs ``VACUUM ANALYZE``
   (as autovacuum would soon after a bulk load). Seeding runs in this process with local
   settings and DEBUG on, because seed_demo refuses to run without it.
2. Creates one complaints officer per council and signs each in (a database session, made
   in-process with the same SECRET_KEY the server uses); the load clients send its cookie.
3. Starts gunicorn (``--workers`` sync workers, 2 by default) on 127.0.0.1 with
   ``config.settings.production``: DEBUG off, persistent database connections, the
   manifest static files storage (collectstatic into a temporary VAR_DIR first), the
   production middleware. Only SECURE_SSL_REDIRECT is switched off (there is no TLS on
   loopback); the session cookie is still marked Secure, so the clients send it themselves.
4. For each page type, ``--clients`` threads (8 by default) share ``--requests`` requests
   (400 by default) after a short warm-up: the team queue (``/cases/``), a filtered list
   (Stage 1 cases, overdue only), page 2 of the team queue, and case pages of random open cases
   of the officer's council. Each client is one officer (clients round-robin over councils).
5. Reads the server-side response time of every request from gunicorn's access log
   (``%(D)s``, microseconds from reading the request to the end of the response, so the time
   a request waits in the listen queue for a free worker is not in it) and prints the median
   and the 95th percentile (nearest rank) per page type, with the client-side figures
   (which do include that wait) and the rate.
6. In-process (Django's test client, DEBUG off), times each page type one request at a time:
   figures that move less with whatever else the machine is doing, for comparing sizes.
7. In-process, under ``django.test.utils.CaptureQueriesContext``, counts the SQL queries of
   the list for a one-row and a full page, and of a case page for a small case and for the
   same case after it grew (20 notes, 10 pieces of correspondence, a linked case): the counts
   must not grow with the size.
8. Stops gunicorn and drops the database (unless ``--keep``); ``--reuse`` benchmarks an
   existing database without seeding it again.

Exits 1 when a page type's server-side p95 is over ``--target-ms`` (150 ms) or a query count
grows with the size of the page or the case.

The server, PostgreSQL and the load clients share the machine's cores, and so does anything
else running on it: the load average before and after the load is printed, and figures taken
while something else was busy are not comparable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import queue
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG = ["-h", "127.0.0.1", "-U", "postgres"]
TARGET_MS = 150.0
WARMUP_PER_CLIENT = 3
REQUEST_TIMEOUT_SECONDS = 30
STARTUP_SECONDS = 60
SEQUENTIAL_REQUESTS = 40
BENCH_PASSWORD_BYTES = 18
ACCESS_LOG_FORMAT = '%({x-bench-kind}i)s %(s)s %(D)s "%(r)s"'
PAGE_TYPES = ["list", "filtered list", "list page 2", "case page"]


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400, help="timed requests per page type")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load clients (threads)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="casebench")
    parser.add_argument("--target-ms", type=float, default=TARGET_MS, help="server-side p95 per page type")
    parser.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the existing database as it is")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 100_000 and 1 <= args.workers <= 16):
        parser.error("keep --clients 1-64, --requests 1-100000 and --workers 1-16")
    return args


def machine_lines() -> list[str]:
    import django

    memory = ""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f"; memory {pages * size / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    return [
        f"Platform: {platform.platform()} ({platform.machine()}){memory}",
        f"CPUs: {os.cpu_count()} (server, PostgreSQL and load clients all share them)",
        f"Python: {platform.python_implementation()} {platform.python_version()}; Django {django.get_version()}",
    ]


# --- the database ------------------------------------------------------------------------------
def setup_django(database: str, secret_key: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DEBUG"] = "true"  # seed_demo refuses to run without it; switched off before measuring
    os.environ["SECRET_KEY"] = secret_key  # the server's: the sessions made here must be valid there
    import django

    django.setup()


def seed(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_policies", verbosity=0)
    print(f"Migrated and loaded policies in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    call_command("seed_demo", complaints=args.complaints, seed=args.seed, verbosity=0)
    print(f"Seeded {args.complaints:,} complaints in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f}s")


@dataclass
class Officer:
    council: str
    username: str
    session_cookie: str
    references: list[str] = field(default_factory=list)  # open cases they may see, for case pages


def officers(seed_value: int) -> list[Officer]:
    """One complaints officer per council, signed in; with a sample of their council's open cases."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from complaints.models import OPEN, StaffMember, StaffRole
    from complaints.staff.access import visible_complaints
    from policies.models import Council

    rng = random.Random(seed_value)
    result = []
    for council in Council.objects.order_by("slug"):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-{council.slug}",
            defaults={"first_name": "Bench", "last_name": council.short_name})
        user.set_password(secrets.token_urlsafe(BENCH_PASSWORD_BYTES))
        user.save()
        member, _ = StaffMember.objects.update_or_create(
            user=user, defaults={"council": council, "role": StaffRole.COMPLAINTS_OFFICER})
        client = Client()
        client.force_login(user)
        open_refs = list(visible_complaints(member).filter(state__in=OPEN).values_list("reference", flat=True))
        sample = rng.sample(open_refs, min(len(open_refs), 500))
        result.append(Officer(council.slug, user.username, client.cookies[settings.SESSION_COOKIE_NAME].value,
                              sample))
    return result


def database_lines(the_officers: list[Officer]) -> list[str]:
    from django.db import connection

    from complaints.models import OPEN, Complaint, Deadline

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    open_by_council = {o.council: Complaint.objects.filter(council__slug=o.council, state__in=OPEN).count()
                       for o in the_officers}
    return [
        (f"Database: {Complaint.objects.count():,} complaints ({sum(open_by_council.values()):,} open), "
         f"{Deadline.objects.count():,} deadlines, {Complaint.history.count():,} case history rows; {size}"),
        "Open cases per council: " + ", ".join(f"{slug} {n:,}" for slug, n in open_by_council.items()),
    ]


# --- the server ----------------------------------------------------------------------------------
def server_environment(args, secret_key: str, var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "SECURE_SSL_REDIRECT": "false",  # no TLS on loopback; everything else as in production
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    })
    return env


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_server(args, env: dict[str, str], var_dir: Path) -> tuple[subprocess.Popen, Path]:
    if not port_free(args.port):
        raise RuntimeError(f"127.0.0.1:{args.port} is in use: choose another --port")
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"collectstatic (manifest storage, for production settings) in {time.perf_counter() - started:.1f}s")
    access_log = var_dir / "access.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "config.wsgi:application", "--workers", str(args.workers),
               "--bind", f"127.0.0.1:{args.port}", "--access-logfile", str(access_log),
               "--access-logformat", ACCESS_LOG_FORMAT, "--error-logfile", str(var_dir / "error.log"),
               "--timeout", "60"]
    with open(var_dir / "stdout.log", "wb") as stdout:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{args.port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            log = (var_dir / "error.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log}")
        try:
            urllib.request.urlopen(f"{base}/sign-in/", timeout=5).read()
            break
        except OSError:  # refused while starting, or slow on a busy machine
            if time.monotonic() > deadline:
                stop_server(process)
                raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s") from None
            time.sleep(0.5)
    print(f"gunicorn: {args.workers} sync workers on {base}, config.settings.production (DEBUG off)")
    return process, access_log


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- the load ------------------------------------------------------------------------------------
def url_for(kind: str, officer: Officer, rng: random.Random) -> str:
    if kind == "list":
        return "/cases/"
    if kind == "filtered list":
        return "/cases/?queue=team&stage=stage1&overdue=on"
    if kind == "list page 2":
        return "/cases/?page=2"
    return f"/cases/{rng.choice(officer.references)}/"


@dataclass
class Outcome:
    kind: str
    status: int
    seconds: float


def client_thread(base: str, officer: Officer, jobs: queue.Queue, results: list, seed_value: int) -> None:
    from django.conf import settings

    rng = random.Random(seed_value)
    opener = urllib.request.build_opener()
    cookie = f"{settings.SESSION_COOKIE_NAME}={officer.session_cookie}"
    while True:
        try:
            kind, tag = jobs.get_nowait()
        except queue.Empty:
            return
        request = urllib.request.Request(f"{base}{url_for(kind, officer, rng)}",
                                         headers={"Cookie": cookie, "X-Bench-Kind": tag.replace(" ", "_")})
        status, seconds = timed_get(opener, request)
        results.append(Outcome(tag, status, seconds))


def timed_get(opener, request) -> tuple[int, float]:
    """(status, seconds) for one request read to the end; 0 when it timed out or the connection dropped."""
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:  # timed out or the connection dropped: counted as a failure
        status = 0
    return status, time.perf_counter() - started


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"
    except OSError:
        return "load average n/a"


def run_load(args, the_officers: list[Officer]) -> dict[str, tuple[list[Outcome], float]]:
    """Per page type: a warm-up, then ``--requests`` requests shared by ``--clients`` threads."""
    base = f"http://127.0.0.1:{args.port}"
    measured = {}
    print(f"Before the load: {load_average()} (anything else running on the machine shows here)")
    for kind in PAGE_TYPES:
        for tag, count in ((f"warmup {kind}", WARMUP_PER_CLIENT * args.clients), (kind, args.requests)):
            jobs: queue.Queue = queue.Queue()
            for _ in range(count):
                jobs.put((kind, tag))
            results: list[Outcome] = []
            threads = [threading.Thread(target=client_thread,
                                        args=(base, the_officers[i % len(the_officers)], jobs, results,
                                              args.seed * 1000 + i), daemon=True)
                       for i in range(args.clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=count * REQUEST_TIMEOUT_SECONDS)
            elapsed = time.perf_counter() - started
            if tag == kind:
                measured[kind] = (results, elapsed)
    print(f"After the load:  {load_average()}")
    return measured


def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def access_log_times(access_log: Path) -> dict[str, list[float]]:
    """Server-side milliseconds per page type, from the %(D)s (microseconds) of gunicorn's access log."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 3 or parts[0].startswith("warmup") or parts[0] == "-":
            continue
        times.setdefault(parts[0].replace("_", " "), []).append(int(parts[2]) / 1000)
    return times


def report_load(args, measured, server_ms: dict[str, list[float]]) -> bool:
    print(f"\n{args.requests} requests per page type, {args.clients} concurrent clients, "
          f"{args.workers} gunicorn workers")
    print(f"{'':<16}{'server median':>14}{'server p95':>12}{'server max':>12}{'client median':>15}"
          f"{'client p95':>12}{'req/s':>8}{'non-200':>9}")
    ok = True
    for kind in PAGE_TYPES:
        results, elapsed = measured[kind]
        server = server_ms.get(kind, [])
        client = [r.seconds * 1000 for r in results]
        failures = sum(1 for r in results if r.status != 200)
        if not server or len(server) != len(results):
            print(f"{kind:<16} access log has {len(server)} lines for {len(results)} requests")
            ok = False
            continue
        p95 = nearest_rank(server, 0.95)
        ok = ok and p95 <= args.target_ms and failures == 0
        print(f"{kind:<16}{statistics.median(server):>12.1f}ms{p95:>10.1f}ms{max(server):>10.1f}ms"
              f"{statistics.median(client):>13.1f}ms{nearest_rank(client, 0.95):>10.1f}ms"
              f"{len(results) / elapsed:>8.1f}{failures:>9}")
    return ok


# --- query counts ---------------------------------------------------------------------------------
def in_process_client(officer: Officer):
    """A Django test client signed in as the officer, with DEBUG off as on the server."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collected files in-process
    user = get_user_model().objects.get(username=officer.username)
    client = Client(SERVER_NAME="127.0.0.1")  # an allowed host with DEBUG off
    client.force_login(user)
    return client, user


def one_at_a_time(the_officers: list[Officer], repeat: int = SEQUENTIAL_REQUESTS) -> None:
    """Each page type requested in-process, one request at a time: no queueing, little contention.

    For comparing database sizes: these figures move less with whatever else the machine is doing.
    """
    officer = the_officers[0]
    client, _ = in_process_client(officer)
    rng = random.Random(1)
    print(f"\nOne request at a time, in-process ({officer.username}, {repeat} requests per page type):")
    print(f"{'':<16}{'median':>10}{'p95':>10}")
    for kind in PAGE_TYPES:
        client.get(url_for(kind, officer, rng))
        seconds = []
        for _ in range(repeat):
            url = url_for(kind, officer, rng)
            started = time.perf_counter()
            response = client.get(url)
            seconds.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{kind:<16}{statistics.median(seconds):>8.1f}ms{nearest_rank(seconds, 0.95):>8.1f}ms")


def query_counts(the_officers: list[Officer]) -> bool:
    """The list and a case page, each at two sizes: the number of queries must be the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from complaints.models import Complaint
    from complaints.services.records import (
        complaint_add_note,
        complaint_record_correspondence,
        complaints_link,
    )

    officer = the_officers[0]
    client, user = in_process_client(officer)

    def count(url: str) -> tuple[int, int]:
        client.get(url)  # warm: sessions, caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        rows = response.content.count(b"<tr class=\"govuk-table__row\" data-reference=")
        return len(captured.captured_queries), rows

    one_ref = officer.references[0]
    small_list, small_rows = count(f"/cases/?q={one_ref}")
    full_list, full_rows = count("/cases/")
    page2, page2_rows = count("/cases/?page=2")
    case = Complaint.objects.get(reference=officer.references[1])
    small_case, _ = count(f"/cases/{case.reference}/")
    other = Complaint.objects.filter(council=case.council).exclude(pk=case.pk).first()
    now = timezone.now()
    for i in range(20):
        complaint_add_note(complaint=case, by=user, text=f"Bench note {i}")
    for i in range(10):
        complaint_record_correspondence(complaint=case, by=user, direction="out", kind="email",
                                        subject=f"Bench update {i}", occurred_at=now - dt.timedelta(minutes=i))
    complaints_link(first=case, second=other, kind="joint", by=user)
    big_case, _ = count(f"/cases/{case.reference}/")

    print("\nSQL queries per page (in-process, CaptureQueriesContext, signed in as "
          f"{officer.username}):")
    print(f"  case list: {small_list} for a {small_rows}-row page, {full_list} for a {full_rows}-row page, "
          f"{page2} for page 2 ({page2_rows} rows)")
    print(f"  case page: {small_case} for {case.reference} as seeded, {big_case} after 20 notes, "
          "10 pieces of correspondence and a link")
    constant = small_list == full_list == page2 and small_case == big_case
    print("  constant" if constant else "  NOT CONSTANT: a query count grows with the page or the case")
    return constant


def main(argv=None) -> int:
    args = parse(argv)
    secret_key = secrets.token_urlsafe(50)
    var_dir = Path(tempfile.mkdtemp(prefix="casebench-"))
    if not args.reuse:
        subprocess.run(["createdb", *PG, args.database], check=True)
    server = None
    ok = False
    try:
        setup_django(args.database, secret_key)
        for line in machine_lines():
            print(line)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            print(cursor.fetchone()[0].split(" on ")[0])
        if not args.reuse:
            seed(args)
        the_officers = officers(args.seed)
        for line in database_lines(the_officers):
            print(line)
        connection.close()
        server, access_log = start_server(args, server_environment(args, secret_key, var_dir), var_dir)
        measured = run_load(args, the_officers)
        stop_server(server)  # flushes the access log
        load_ok = report_load(args, measured, access_log_times(access_log))
        one_at_a_time(the_officers)
        queries_ok = query_counts(the_officers)
        ok = load_ok and queries_ok
        print(f"\nTarget: server-side p95 <= {args.target_ms:.0f} ms on every page type, no errors, "
              f"constant query counts: {'met' if ok else 'MISSED'}")
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(var_dir, ignore_errors=True)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", *PG, "--if-exists", args.database], check=True)
            print(f"Dropped database {args.database}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
