"""``bench/run``: the whole system measured at one size, and docs/performance.md written from it.

    bench/run --size 100000 [--seed 1] [--clients 8] [--workers 2] [--requests 200] [--rounds 3]
              [--rebuild] [--build-only] [--skip submissions,engine,...]
    bench/run --report-only          # the document again from the results it holds

1. The database ``bench_<size>`` (``bench_100k``, ``bench_1m``): reused when it was built with the same
   size, seed and shape, otherwise created and seeded (``bench/scale_db.py``).
2. The deadline engine's cases per second (``bench/deadlines_bench.py``, its own process).
3. gunicorn on loopback with ``config.settings.bench`` (production settings, WhiteNoise with the manifest
   storage, a ``Server-Timing`` header): the case list, a filtered case list and case pages as complaints
   officers, the overdue dashboard as complaints managers (``--clients`` at once, ``--rounds`` rounds of
   ``--requests``), and the dashboard one at a time right after a change (its cache missed); the annual report for the largest council one request at a time; residents' full
   submissions (the public journey's own walker, ``bench/public_submissions_bench.py``).
4. The breach sweep in-process, in transactions that are rolled back: steady state (everything already
   flagged), one day's breaches (those that fell due on the latest due date), and a backlog of 50,000
   due, unflagged deadlines; then ``VACUUM ANALYZE`` of what the rolled-back runs touched.
5. The figures (server time = time inside Django; client time includes the wait for a free gunicorn
   worker), machine and database go into docs/performance.md, next to any other size measured before
   (kept in the file itself), with the targets and how each figure grew from 100,000 to 1,000,000.

Exits 1 if a target is missed. Runs only against 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scale_db, scale_report  # noqa: E402
from bench.scale_load import Gunicorn, load_average  # noqa: E402

STEPS = ["engine", "sweeps", "pages", "dashboard", "report", "submissions"]
# Tables a run changes (sessions are in Redis): vacuumed before measuring and after the rolled-back sweeps.
TOUCHED = ["complaints_deadline", "complaints_complaint", "complaints_notification", "complaints_historicalcomplaint"]


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="complaints in the database (e.g. 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=8, help="concurrent load clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--requests", type=int, default=200, help="requests per page type per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per measurement")
    parser.add_argument("--submissions", type=int, default=100, help="residents' submissions per round")
    parser.add_argument("--engine-cases", type=int, default=100_000)
    parser.add_argument("--report-council", default="barnet",
                        help="the council whose annual report is timed (the largest seeded body by default)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5",
                        help="the broker the server queues side effects on (a database of its own)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it matches")
    parser.add_argument("--build-only", action="store_true",
                        help="build (or check) the database and stop: measure later with the same --size")
    parser.add_argument("--skip", default="", help=f"comma-separated steps to leave out: {', '.join(STEPS)}")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write the document again from the results it already holds")
    args = parser.parse_args(argv)
    if args.report_only:
        return args
    if args.size is None:
        parser.error("--size is required (or --report-only)")
    args.skip = {step for step in args.skip.split(",") if step}
    if args.skip - set(STEPS):
        parser.error(f"unknown steps in --skip: {', '.join(sorted(args.skip - set(STEPS)))}")
    if not (1_000 <= args.size <= 20_000_000 and 1 <= args.clients <= 64 and 1 <= args.workers <= 16
            and 1 <= args.requests <= 10_000 and 1 <= args.rounds <= 20 and 1 <= args.submissions <= 2_000):
        parser.error("bounded runs only: --size 1,000-20,000,000, --clients 1-64, --workers 1-16, "
                     "--requests 1-10,000, --rounds 1-20, --submissions 1-2,000")
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def server_env(database: str, redis_url: str, secret_key: str, var_dir: Path) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": scale_db.database_url(database),
        "REDIS_URL": redis_url,
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # no TLS on loopback; the clients say X-Forwarded-Proto: https
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        # Every submission comes from 127.0.0.1 with one email address: lift the per-address and per-email
        # limits, or the bench measures the refusals.
        "PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR": "1000000",
        "PUBLIC_SUBMISSIONS_PER_EMAIL_PER_DAY": "1000000",
    }


def machine() -> dict:
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    import django

    return {"cores": os.cpu_count(), "memory_bytes": memory, "cpu": cpu, "platform": platform.platform(),
            "python": platform.python_version(), "django": django.get_version()}


def measure(args, env: dict, database: str) -> dict:
    """Everything but the seeding; Django is set up here with the server's settings."""
    from bench import scale_measure as m
    from complaints.models import StaffRole

    figures: dict = {}
    if "engine" not in args.skip:
        log(f"deadline engine: {args.engine_cases:,} cases, 3 runs ...")
        figures["engine"] = m.engine(args.engine_cases, 3)
    log("VACUUM ANALYZE of the tables a run changes (what an earlier run left behind) ...")
    scale_db.psql(database, f"VACUUM ANALYZE {', '.join(TOUCHED)}")
    officers = m.sign_in(StaffRole.COMPLAINTS_OFFICER, args.seed)
    managers = m.sign_in(StaffRole.COMPLAINTS_MANAGER, args.seed)
    from django.db import connections

    connections.close_all()
    server = Gunicorn(env, args.workers, Path(env["VAR_DIR"]))
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    log(f"collectstatic (manifest storage) in {time.perf_counter() - started:.0f}s; starting gunicorn ...")
    server.start()
    try:
        port = server.port
        log(f"gunicorn: {args.workers} sync workers on {server.base}; load average {load_average()}")
        common = dict(clients=args.clients, requests=args.requests, rounds=args.rounds, seed=args.seed)
        if "pages" not in args.skip:
            log("case list ...")
            figures["case list"] = m.pages(port, "list", lambda u, r: "/cases/", officers, **common)
            log("case list, filtered (Stage 1, overdue) ...")
            figures["case list, filtered"] = m.pages(
                port, "filtered", lambda u, r: "/cases/?queue=team&stage=stage1&overdue=on", officers, **common)
            log("case detail ...")
            figures["case detail"] = m.pages(
                port, "detail", lambda u, r: f"/cases/{r.choice(u.references)}/", officers, **common)
        if "dashboard" not in args.skip:
            log("overdue dashboard ...")
            figures["overdue dashboard"] = m.pages(port, "dashboard", lambda u, r: "/dashboard/", managers,
                                                   **common)
            log("overdue dashboard after a change (cache missed), one at a time ...")
            figures["overdue dashboard, uncached"] = m.dashboard_misses(port, managers, 20)
        if "report" not in args.skip:
            year = dt.date.today().year - 1
            slug = args.report_council
            manager = next(u for u in managers if u.council == slug)
            log(f"annual report, {slug} {year}, one at a time ...")
            figures["annual report"] = m.sequential(port, f"/reports/{slug}/{year}/", manager.cookie, 10)
        if "submissions" not in args.skip:
            log(f"residents' submissions: {args.rounds} rounds of {args.submissions} ...")
            try:
                figures["submissions"] = m.submissions(server.base, args.clients, args.submissions, args.rounds)
            except Exception as exc:  # noqa: BLE001 -- reported in the document, the rest still counts
                figures["submissions"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    finally:
        server.stop()
    if "sweeps" not in args.skip:
        log("breach sweep: 20 steady-state runs, 5 with one day's breaches, 3 with a backlog of 50,000 "
            "(each rolled back) ...")
        figures["sweeps"] = m.sweeps(20, 5, 3)
        connections.close_all()
        log("VACUUM ANALYZE after the sweeps (rolled-back updates leave dead rows and index entries) ...")
        scale_db.psql(database, f"VACUUM ANALYZE {', '.join(TOUCHED)}")
    figures["load_average_after"] = load_average()
    return figures


def main(argv=None) -> int:
    args = parse(argv)
    if args.report_only:
        ok = scale_report.rewrite(Path(args.output))
        log(f"wrote {args.output} from the results it holds")
        return 0 if ok else 1
    log(f"bench/run --size {args.size:,}: load average {load_average()}")
    built = scale_db.ensure(args.size, args.seed, args.redis_url, log, rebuild=args.rebuild)
    database = built["database"]
    if args.build_only:
        log(f"{database} is ready: {json.dumps({k: v for k, v in built.items() if k != 'seed_summary'})}")
        return 0
    var_dir = ROOT / "var" / "bench"
    env = server_env(database, args.redis_url, secrets.token_urlsafe(50), var_dir)
    os.environ.update(env)
    import django

    django.setup()
    from bench import scale_measure

    result = {"size": args.size, "seed": args.seed, "database": database, "built": built,
              "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "load_average_before": load_average(), "machine": machine(),
              "database_figures": scale_measure.database_figures(database),
              "settings": {"clients": args.clients, "workers": args.workers, "requests": args.requests,
                           "rounds": args.rounds, "submissions": args.submissions}}
    log(f"database: {json.dumps(result['database_figures'])}")
    result["figures"] = measure(args, env, database)
    ok = scale_report.write(Path(args.output), result)
    log(f"wrote {args.output}")
    for line in scale_report.summary_lines(result):
        print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
