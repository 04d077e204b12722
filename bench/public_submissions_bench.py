"""Residents' complaint form throughput: full submissions per second through gunicorn, over loopback.

Run from the repository root (PostgreSQL on 127.0.0.1, user postgres)::

    .venv/bin/python bench/public_submissions_bench.py [--submissions 300] [--clients 8] [--workers 2 4]
        [--threads 1] [--redis-url redis://127.0.0.1:6379/0] [--database pubbench] [--port 0]
        [--evidence-every 10] [--profile-submissions 20] [--profile] [--target 50] [--keep]

Creates a scratch database (``createdb -h 127.0.0.1 -U postgres pubbench``, dropping one a previous
run left), migrates, loads the
policies, creates two service areas per council and collects the static files into a scratch
``VAR_DIR``, all under the production settings (``config.settings.production``: ``DEBUG`` off, the
manifest static storage, secure cookies) with loopback-only hosts and a dummy email backend, and
Redis at ``--redis-url`` (``REDIS_URL`` if set, else database 0 on 127.0.0.1) as a deployment has
it: the Celery broker and the session store (``--redis-url none``: no Redis, sessions in the
database and the filesystem broker, as ``bin/run`` runs). The bench only adds keys there (sessions,
which expire by themselves, and queued delivery tasks), never deletes any. Then, for each worker
count, starts ``gunicorn config.wsgi:application`` on 127.0.0.1 (sync workers, or ``--threads``
threads each with the gthread worker) and drives the residents' form with ``--clients`` threads
until ``--submissions`` have been sent (one warm-up submission per client first, not counted).

Each submission is a new resident: its own ``requests`` session (cookie jar), which opens the
council's start page, follows "Start now", and answers every page the journey asks in turn (GET the
page, read its CSRF token, POST the answers with the ``Origin`` and ``Referer`` a browser sends,
follow the redirect to the next page, as a browser does) until the check-your-answers page, then
sends and reads the reference on the confirmation page. Councils are taken in turn; every
``--evidence-every``-th submission uploads a small PNG on the evidence page. The client speaks plain
HTTP to gunicorn as a TLS-terminating proxy would, with ``X-Forwarded-Proto: https`` (the production
settings' ``SECURE_PROXY_SSL_HEADER``), so the Secure cookies are kept and sent back.

Reports submissions per second, requests per second, the median and 95th percentile (nearest rank)
of the time per full submission, the CPU seconds the gunicorn workers, PostgreSQL and the client
used (and the server side's CPU milliseconds per submission, the figure to compare between runs on
a shared machine), and checks that the complaints created equal the successful submissions (and
their references). Exits 1 below ``--target`` submissions per second (50 by default), after
printing, for ``--profile-submissions`` submissions made in-process with ``django.test.Client``,
the CPU milliseconds and SQL statements of each page, and a cProfile (also printed with
``--profile``). Drops the database at the end unless ``--keep``.

Everything stays on 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import http.cookiejar
import io
import math
import os
import platform
import pstats
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.case_screens_bench import stop_server  # noqa: E402

PG = ["-h", "127.0.0.1", "-U", "postgres"]
HOST = "127.0.0.1"
TARGET_RATE = 50.0
COUNCILS = ["barnet", "lbbd", "barnet-group", "bucks", "brighton-hove"]
AREAS = ["Parking", "Waste and recycling"]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8  # 2 KB that pass the upload check

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEP = re.compile(r"/complain/([a-z-]+)/$")
START = re.compile(r'href="([^"]+)" role="button"[^>]*govuk-button--start')
KEY = re.compile(r'name="key" value="([^"]+)"')
REFERENCE = re.compile(r'id="reference">([^<]+)<')
SERVICE = re.compile(r'type="radio" name="service" value="([^"]+)"')


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=300, help="timed submissions per worker count")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4], help="gunicorn worker counts to run")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (over 1: the gthread worker)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
                        help="broker and session store; 'none' for the embedded defaults")
    parser.add_argument("--database", default="pubbench")
    parser.add_argument("--port", type=int, default=0, help="0: a free port the system picks")
    parser.add_argument("--evidence-every", type=int, default=10, help="upload a file every N submissions (0: never)")
    parser.add_argument("--target", type=float, default=TARGET_RATE, help="submissions per second")
    parser.add_argument("--profile", action="store_true", help="print the in-process profile even on target")
    parser.add_argument("--profile-submissions", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 1 <= args.submissions <= 10_000 or not args.workers \
            or any(not 1 <= w <= 16 for w in args.workers) or not 1 <= args.threads <= 32:
        parser.error("bounded runs only: 1-64 clients, 1-10,000 submissions, 1-16 workers, 1-32 threads")
    if args.redis_url == "none":
        args.redis_url = ""
    elif not args.redis_url.startswith("redis://127.0.0.1:"):
        parser.error("--redis-url: a Redis on 127.0.0.1 (redis://127.0.0.1:6379/<db>) or none")
    return args


def environment(database: str, var_dir: Path, redis_url: str = "") -> dict:
    """The production settings, on loopback, writing nothing outside the scratch directory (and Redis)."""
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    if redis_url:
        env["REDIS_URL"] = redis_url
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{database}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "VAR_DIR": str(var_dir),
        "ASSETS_DIR": str(scratch_assets(var_dir)),
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


SOURCE_MAP = re.compile(rb"/\*# sourceMappingURL=[^*]*\*/")


def scratch_assets(var_dir: Path) -> Path:
    """The built front-end assets, without the stylesheets' references to source maps the build does not ship.

    ``collectstatic`` with the production storage (WhiteNoise's manifest storage) refuses
    ``css/moj.css``, which ends ``/*# sourceMappingURL=moj-frontend.min.css.map */`` while
    ``bin/build-assets.mjs`` does not copy that map. The copy is the bench's own; the build is unchanged.
    """
    copy = var_dir / "assets"
    shutil.copytree(os.environ.get("ASSETS_DIR") or ROOT / "var" / "assets", copy)
    for path in copy.rglob("*.css"):
        if path.is_file():
            content = path.read_bytes()
            if b"sourceMappingURL" in content:
                path.write_bytes(SOURCE_MAP.sub(b"", content))
    return copy


def prepare(database: str, env: dict) -> None:
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", database], check=True)
    subprocess.run(["createdb", *PG, database], check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    assert not settings.DEBUG
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_policies", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the production storage reads
    from complaints.models import ServiceArea
    from policies.models import Council

    for council in Council.objects.filter(slug__in=COUNCILS):
        for name in AREAS:
            ServiceArea.objects.get_or_create(council=council, name=name, defaults={"category": "council_services"})
    print(f"Database {database}: migrated, policies loaded, static files collected, service areas created "
          f"in {time.perf_counter() - started:.1f}s")


# --- one resident -----------------------------------------------------------------------------------
def _send_secure_cookies_over_loopback() -> None:
    """The session and CSRF cookies are ``Secure``: a browser sends them because it speaks HTTPS to the
    TLS proxy; this client speaks HTTP to gunicorn, where the proxy would. ``requests`` builds a fresh
    cookie jar (with the default policy) for every request and redirect, so the policy is changed
    for the whole bench process (which makes no other HTTP requests)."""
    http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


class BrowserLike:
    """A ``requests`` session that sends what a browser sends on this site behind a TLS proxy."""

    def __init__(self, base: str):
        import requests

        self.base = base
        self.session = requests.Session()
        self.session.headers.update({"X-Forwarded-Proto": "https", "User-Agent": "public-submissions-bench"})
        self.requests = 0

    def _done(self, response):
        self.requests += 1 + len(response.history)
        if response.status_code != 200:
            raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code}")
        return response.url.removeprefix(self.base), response.text

    def get(self, path: str):
        return self._done(self.session.get(self.base + path, timeout=30))

    def post(self, path: str, data: dict, files: dict | None = None):
        origin = self.base.replace("http://", "https://")
        headers = {"Origin": origin, "Referer": origin + path}
        return self._done(self.session.post(self.base + path, data=data, files=files, headers=headers, timeout=30))

    def close(self):
        self.session.close()


class TestClientLike:
    """The same walk through ``django.test.Client``, in-process (for the profile), over "HTTPS".

    With ``pages`` (a dict), each request's CPU time (this process: Django and the test client) and
    SQL statements (``CaptureQueriesContext``: with BEGIN, COMMIT and savepoints) are added up there
    by page, as ``"GET <page>"`` -> [requests, CPU seconds, statements]."""

    def __init__(self, client, pages: dict | None = None):
        from http.cookies import SimpleCookie

        self.client = client  # one client (its handler loads the middleware once), a new resident's cookies
        self.client.cookies = SimpleCookie()
        self.requests = 0
        self.pages = pages

    def _measured(self, method: str, path: str, *args, **kwargs):
        send = getattr(self.client, method.lower())
        if self.pages is None:
            return send(path, *args, **kwargs)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            started = time.process_time()
            response = send(path, *args, **kwargs)
            cpu = time.process_time() - started
        parts = path.split("?")[0].strip("/").split("/")
        page = self.pages.setdefault(f"{method} {'/'.join(parts[1:3])}", [0, 0.0, 0])
        page[0] += 1
        page[1] += cpu
        page[2] += len(queries.captured_queries)
        return response

    def _follow(self, response):
        for _ in range(5):  # as a browser follows the redirect after a POST
            self.requests += 1
            if response.status_code not in (301, 302, 303):
                break
            response = self._measured("GET", response["Location"], secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{response.request['PATH_INFO']}: {response.status_code}")
        return response.request["PATH_INFO"], response.content.decode()

    def get(self, path: str):
        return self._follow(self._measured("GET", path, secure=True))

    def post(self, path: str, data: dict, files: dict | None = None):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = dict(data)
        for name, (filename, content, content_type) in (files or {}).items():
            if filename:
                data[name] = SimpleUploadedFile(filename, content, content_type)
        return self._follow(self._measured("POST", path, data, secure=True, headers={
            "Origin": "https://testserver", "Referer": f"https://testserver{path}"}))

    def close(self):
        pass


def answers(step: str, html: str, today: dt.date, upload: bool):
    """(data, files) a resident sends on ``step``: a named complaint for themselves."""
    incident = today - dt.timedelta(days=10)
    files = None
    if step == "kind":
        data = {"kind": "complaint"}
    elif step == "before":
        data = {"before": "asked"}
    elif step == "what":
        data = {"what_happened": "Our bins have not been collected for three weeks.\r\nI reported it twice."}
    elif step == "when":
        data = {"incident_day": str(incident.day), "incident_month": str(incident.month),
                "incident_year": str(incident.year), "aware_day": "", "aware_month": "", "aware_year": ""}
    elif step == "late":
        data = {"reason": "I was in hospital."}
    elif step == "service":
        data = {"service": SERVICE.search(html).group(1)}
    elif step == "outcome":
        data = {"outcome": "Collect the bins and explain why they were missed."}
    elif step == "who":
        data = {"who": "myself"}
    elif step == "support":
        data = {"needs": "no", "details": ""}
    elif step == "anonymous":
        data = {"give_details": "yes", "reason": ""}
    elif step == "contact":
        data = {"name": "Alex Resident", "email": "alex@example.org", "phone": "", "address": "",
                "preference": "email"}
    elif step == "evidence":
        data = {"action": "continue"}
        # A browser sends the file input even when empty: a part with no file name.
        files = {"evidence": ("", b"", "application/octet-stream")}
        if upload:
            data = {"action": "upload"}
            files = {"evidence": ("photo.png", PNG, "image/png")}
    elif step == "before-info":
        data = {}
    else:
        raise RuntimeError(f"the journey asked {step!r}, which the bench does not answer")
    return data, files


def submit(agent, council: str, today: dt.date, upload: bool = False) -> str:
    """Walk one council's form from its start page and send it; the reference on the confirmation page."""
    path, html = agent.get(f"/{council}/complain/")
    path, html = agent.get(START.search(html).group(1).replace("&amp;", "&"))
    uploaded = False
    for _ in range(30):  # bounded: the longest journey has 16 pages
        match = STEP.search(path)
        if match is None:
            raise RuntimeError(f"unexpected page {path}")
        step = match.group(1)
        token = CSRF.search(html).group(1)
        if step == "check":
            path, html = agent.post(path, {"csrfmiddlewaretoken": token, "key": KEY.search(html).group(1)})
            if not path.endswith("/complain/done/"):
                raise RuntimeError(f"sending ended on {path}")
            return REFERENCE.search(html).group(1)
        data, files = answers(step, html, today, upload and not uploaded)
        uploaded = uploaded or (step == "evidence" and upload)
        path, html = agent.post(path, {"csrfmiddlewaretoken": token, **data}, files)
    raise RuntimeError("the journey did not end")


# --- load -----------------------------------------------------------------------------------------
@dataclass
class Run:
    workers: int
    elapsed: float = 0.0
    durations: list[float] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    requests: int = 0
    cpu: dict = field(default_factory=dict)
    rate: float = 0.0
    consistent: bool = False


def london_today() -> dt.date:
    from deadlines.calendar import london_date

    return london_date(dt.datetime.now(dt.UTC))


def drive(base: str, clients: int, total: int, evidence_every: int, run: Run) -> None:
    _send_secure_cookies_over_loopback()
    today = london_today()
    lock = threading.Lock()
    tickets = iter(range(total))

    def client():
        while True:
            with lock:
                number = next(tickets, None)
            if number is None:
                return
            agent = BrowserLike(base)
            started = time.perf_counter()
            try:
                reference = submit(agent, COUNCILS[number % len(COUNCILS)], today,
                                   upload=bool(evidence_every) and number % evidence_every == evidence_every - 1)
            except Exception as exc:  # noqa: BLE001 -- any failure is counted and reported, never retried
                with lock:
                    run.errors[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1
                    run.requests += agent.requests
            else:
                elapsed = time.perf_counter() - started
                with lock:
                    run.durations.append(elapsed)
                    run.references.append(reference)
                    run.requests += agent.requests
            finally:
                agent.close()

    threads = [threading.Thread(target=client, name=f"client-{i}") for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - started


# --- CPU accounting from /proc --------------------------------------------------------------------
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, float] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS  # ppid, utime + stime


def cpu_seconds(gunicorn_pid: int, database: str) -> dict:
    """CPU seconds so far of the gunicorn master and workers, the database's backends, and this process."""
    server = postgres = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = _stat(pid)
        if stat is None:
            continue
        ppid, seconds = stat
        if pid == gunicorn_pid or ppid == gunicorn_pid:
            server += seconds
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"postgres: ") and f" {database} ".encode() in cmdline:
            postgres += seconds
    own = os.times()
    return {"gunicorn": server, "postgres": postgres, "client": own.user + own.system}


# --- gunicorn -------------------------------------------------------------------------------------
LISTENING = re.compile(rf"Listening at: http://{re.escape(HOST)}:(\d+) \((\d+)\)")


def start_gunicorn(workers: int, port: int, env: dict, log: Path, threads: int = 1) -> tuple[subprocess.Popen, str]:
    """Our own gunicorn and its address. With port 0 the system picks a free port, read from the log, so
    the bench can never talk to another program that happens to listen on a chosen port."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
               "--bind", f"{HOST}:{port}", "--workers", str(workers), "--access-logfile", str(log / "access.log"),
               "--error-logfile", str(log / "error.log"), "--timeout", "60"]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    log.mkdir()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import requests

    try:
        deadline = time.monotonic() + 60  # for the workers to boot and answer a first page
        base = ""
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
            if not base:
                error_log = log / "error.log"
                found = LISTENING.search(error_log.read_text()) if error_log.exists() else None
                if found is None or int(found.group(2)) != process.pid:
                    continue
                base = f"http://{HOST}:{found.group(1)}"
            try:
                if requests.get(f"{base}/barnet/complain/", timeout=10,
                                headers={"X-Forwarded-Proto": "https"}).status_code == 200:
                    return process, base
            except requests.RequestException:
                continue
        raise RuntimeError(f"gunicorn did not answer; see {log}")
    except BaseException:
        stop_server(process)
        raise


def nearest_rank(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def complaint_count() -> int:
    from django.db import connection

    from complaints.models import Complaint

    count = Complaint.objects.count()
    connection.close()  # no idle connection held open across the run
    return count


def references_in_database(references: list[str]) -> int:
    from django.db import connection

    from complaints.models import Complaint

    found = Complaint.objects.filter(reference__in=references).count()
    connection.close()
    return found


def bench(args, workers: int, env: dict, var_dir: Path) -> Run:
    run = Run(workers)
    process, base = start_gunicorn(workers, args.port, env, var_dir / f"gunicorn-{workers}", args.threads)
    print(f"\ngunicorn pid {process.pid} on {base}", flush=True)
    try:
        warm = Run(workers)
        drive(base, args.clients, args.clients, 0, warm)  # warm-up: every worker imports, connects, caches
        if warm.errors:
            raise RuntimeError(f"warm-up failed: {dict(warm.errors)}")
        before_count = complaint_count()
        cpu_before = cpu_seconds(process.pid, args.database)
        drive(base, args.clients, args.submissions, args.evidence_every, run)
        cpu_after = cpu_seconds(process.pid, args.database)
        run.cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_before}
    finally:
        stop_server(process)
    created = complaint_count() - before_count
    ok = len(run.durations)
    rate = ok / run.elapsed
    kind = f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers"
    print(f"gunicorn, {workers} {kind}, {args.clients} clients: {ok} of {args.submissions} submissions in "
          f"{run.elapsed:.1f}s")
    print(f"  {rate:8.1f} submissions/s   {run.requests / run.elapsed:8.0f} requests/s   "
          f"({run.requests / max(1, ok + sum(run.errors.values())):.1f} requests per submission)")
    if ok:
        print(f"  per submission: median {statistics.median(run.durations) * 1000:.0f} ms   "
              f"p95 {nearest_rank(run.durations, 95) * 1000:.0f} ms   max {max(run.durations) * 1000:.0f} ms")
    print("  CPU seconds: " + "   ".join(f"{name} {seconds:.1f}" for name, seconds in run.cpu.items())
          + f"   (of {run.elapsed * (os.cpu_count() or 1):.1f} available; "
          + (f"server side {(run.cpu['gunicorn'] + run.cpu['postgres']) / ok * 1000:.0f} ms per submission)"
             if ok else ")"))
    if ok:
        print("  CPU ms per submission: " + "   ".join(f"{name} {seconds / ok * 1000:.1f}"
                                                     for name, seconds in run.cpu.items()))
    if ok and run.cpu["gunicorn"] + run.cpu["postgres"] > 0:
        server_rate = (os.cpu_count() or 1) / ((run.cpu["gunicorn"] + run.cpu["postgres"]) / ok)
        print(f"  ceiling if the client ran elsewhere: about {server_rate:.0f} submissions/s on this machine")
    for message, count in run.errors.most_common(5):
        print(f"  error x{count}: {message}")
    found = references_in_database(run.references)
    consistent = created == ok and found == ok and len(set(run.references)) == ok
    print(f"  complaints created: {created}; successful submissions: {ok}; their references found: {found} "
          f"-> {'consistent' if consistent else 'MISMATCH'}")
    run.consistent = consistent
    run.rate = rate
    return run


# --- profile --------------------------------------------------------------------------------------
class QueryLog:
    """Every SQL statement run (``connection.execute_wrapper``), with its time: a request does not clear it."""

    def __init__(self):
        self.statements: list[tuple[str, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, time.perf_counter() - started))


def profile(count: int, evidence_every: int) -> None:
    """cProfile of ``count`` submissions through ``django.test.Client`` (same settings, same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's response.request
    client = Client(enforce_csrf_checks=True)
    today = london_today()
    for i in range(3):  # warm-up
        submit(TestClientLike(client), COUNCILS[i % len(COUNCILS)], today)
    requests = 0
    started = time.perf_counter()
    for i in range(count):  # without the profiler: the time a submission takes in one process
        agent = TestClientLike(client)
        submit(agent, COUNCILS[i % len(COUNCILS)], today)
        requests += agent.requests
    plain = (time.perf_counter() - started) / count
    pages: dict[str, list] = {}
    started = time.process_time()
    for i in range(count):
        submit(TestClientLike(client, pages), COUNCILS[i % len(COUNCILS)], today)
    cpu = (time.process_time() - started) / count
    print(f"\nPer page, {count} submissions in-process without the profiler: {cpu * 1000:.0f} CPU ms and "
          f"{sum(page[2] for page in pages.values()) / count:.0f} SQL statements (with BEGIN, COMMIT, savepoints) "
          "per submission, test client included")
    for name, (n, seconds, statements) in sorted(pages.items(), key=lambda item: -item[1][1]):
        print(f"  {name:28s} {n / count:4.1f} per submission  {seconds / n * 1000:6.2f} CPU ms  "
              f"{statements / n:5.1f} SQL per request")
    log = QueryLog()
    profiler = cProfile.Profile()
    with connection.execute_wrapper(log):
        profiler.enable()
        for i in range(count):
            submit(TestClientLike(client), COUNCILS[i % len(COUNCILS)], today,
                   upload=bool(evidence_every) and i % evidence_every == evidence_every - 1)
        profiler.disable()
    sql_seconds = sum(seconds for _, seconds in log.statements)
    print(f"\nProfile: {count} submissions in-process (django.test.Client): {plain * 1000:.0f} ms each "
          f"without the profiler ({requests / count:.1f} requests); {len(log.statements) / count:.0f} SQL "
          f"statements each, {sql_seconds / count * 1000:.0f} ms waiting on them (with the profiler on)")
    kinds = Counter(sql.split(" ", 1)[0] for sql, _ in log.statements)
    print("  SQL by statement: " + ", ".join(f"{kind} {n / count:.1f}" for kind, n in kinds.most_common()))
    tables = Counter()
    for sql, _ in log.statements:
        match = re.search(r'(?:FROM|INTO|UPDATE) "([a-z_]+)"', sql)
        tables[match.group(1) if match else sql.split(" ", 1)[0]] += 1
    print("  SQL by table: " + ", ".join(f"{table} {n / count:.1f}" for table, n in tables.most_common(14)))
    stats = pstats.Stats(profiler)
    groups: Counter = Counter()
    for (filename, _, name), (_, _, own, _, _) in stats.stats.items():
        groups[_area(filename, name)] += own
    total = sum(groups.values())
    print("\n-- where the time goes (own time, grouped; the profiler inflates Python-heavy parts) --")
    for area, seconds in groups.most_common(14):
        print(f"  {seconds / count * 1000:7.1f} ms per submission  {seconds / total * 100:5.1f}%  {area}")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(25)
        text = out.getvalue()
        print(f"\n-- top 25 by {order} --")
        print(text[text.find("   ncalls"):].rstrip())


AREAS_OF_CODE = [  # (part of the file name, what it is), first match wins
    ("site-packages/django/template", "Django templates"), ("django/templatetags", "Django templates"),
    ("site-packages/django/db", "Django ORM (building queries, models)"),
    ("psycopg", "psycopg (sending queries, waiting for PostgreSQL)"),
    ("site-packages/django/forms", "Django forms"), ("site-packages/django/contrib/sessions", "sessions"),
    ("site-packages/django/core/signing", "sessions"), ("site-packages/django/urls", "URL resolving and reversing"),
    ("site-packages/django/test", "test client and bench (not in gunicorn)"),
    ("public_submissions_bench", "test client and bench (not in gunicorn)"),
    ("site-packages/django/middleware", "middleware"), ("whitenoise", "middleware"), ("simple_history", "history"),
    ("site-packages/django", "Django, other (request handling, utils)"), ("pydantic", "pydantic"),
    ("complaints/public", "complaints/public"), ("complaints/services", "complaints/services"),
    ("complaints/models", "complaints/models"), ("deadlines/", "deadlines engine"),
]


def _area(filename: str, name: str) -> str:
    for part, area in AREAS_OF_CODE:
        if part in filename:
            return area
    return "builtins and standard library"


def machine_lines() -> list[str]:
    return [
        f"Platform: {platform.platform()} ({platform.machine()}; {platform.processor() or 'cpu n/a'})",
        f"CPUs: {os.cpu_count()}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"Python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    for line in machine_lines():
        print(line)
    var_dir = Path(tempfile.mkdtemp(prefix="pubbench-"))
    env = environment(args.database, var_dir, args.redis_url)
    runs: list[Run] = []
    try:
        prepare(args.database, env)
        import django

        from django.conf import settings

        print(f"Django {django.get_version()}; settings {os.environ['DJANGO_SETTINGS_MODULE']} (DEBUG off); "
              f"sessions {settings.SESSION_ENGINE.rsplit('.', 1)[-1]}; broker {settings.CELERY_BROKER_URL}")
        for workers in args.workers:
            runs.append(bench(args, workers, env, var_dir))
        best = max(run.rate for run in runs)
        missed = best < args.target
        print(f"\nBest: {best:.1f} submissions/s (target {args.target:.0f})"
              f"{' -- MISSED' if missed else ''}")
        if missed or args.profile:
            profile(args.profile_submissions, args.evidence_every)
        ok = not missed and all(run.consistent for run in runs)
    finally:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            dropped = subprocess.run(["dropdb", *PG, "--if-exists", "--force", args.database], check=False)
            print(f"Dropped database {args.database}" if dropped.returncode == 0
                  else f"Could not drop database {args.database}: drop it with dropdb {' '.join(PG)} {args.database}")
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
