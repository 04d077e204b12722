"""The benchmark database for ``bench/run``: built once per size and seed, reused after.

A database is built by ``createdb``, ``migrate``, ``load_policies`` and
``seed_demo`` with the shape of a real deployment (ten years of complaints,
about 5% open, five councils), then ``VACUUM ANALYZE`` (what autovacuum would
do soon after a bulk load) and one breach sweep (the seeding leaves overdue
deadlines unflagged; a live system's sweep would have flagged each on the day
it fell due). What it was built with, and how long each step took, is kept as
the database's comment; a later run with the same size, seed and shape reuses
it. A database of another shape is rebuilt only if its name starts with
``bench_`` (so a benchmark never drops anything it did not make).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
PG = ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER]
SHAPE = {"years": 10, "open_percent": 5, "backdate_policies": True}
FORMAT = 2  # bump when the seeding changes in a way that makes old databases not comparable


def database_name(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"bench_{size // 1_000_000}m"
    if size % 1_000 == 0:
        return f"bench_{size // 1_000}k"
    return f"bench_{size}"


def database_url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def psql(database: str, sql: str) -> str:
    done = subprocess.run(["psql", *PG, "-d", database, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True)
    return done.stdout.strip()


def marker(name: str) -> dict | None:
    """What the database was built with (its comment), or None if it does not exist."""
    exists = psql("postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{name}'")
    if exists != "1":
        return None
    comment = psql("postgres", f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                               f"WHERE datname = '{name}'")
    try:
        return json.loads(comment) if comment else {}
    except json.JSONDecodeError:
        return {}


def wanted(size: int, seed: int) -> dict:
    return {"format": FORMAT, "size": size, "seed": seed, **SHAPE}


def matches(found: dict | None, size: int, seed: int) -> bool:
    return bool(found) and all(found.get(key) == value for key, value in wanted(size, seed).items())


def manage(args: list[str], env: dict, capture: bool = True) -> tuple[str, float, float]:
    """Run ``manage.py``: (stdout, wall seconds, CPU seconds of it and its worker processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=capture,
                          text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{(done.stderr or '')[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.stdout or "", wall, cpu


def seeding_env(name: str, redis_url: str) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "true",
            "DATABASE_URL": database_url(name), "REDIS_URL": redis_url, "LOG_LEVEL": "WARNING"}


def build(name: str, size: int, seed: int, redis_url: str, log) -> dict:
    """Create and seed the database; its marker (also stored as the database's comment)."""
    if not name.startswith("bench_"):
        raise RuntimeError(f"refusing to drop {name}: only databases named bench_* are rebuilt")
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *PG, name], check=True)
    env = seeding_env(name, redis_url)
    _, wall, _ = manage(["migrate", "--noinput", "-v", "0"], env)
    manage(["load_policies"], env)
    log(f"created {name}, migrated and loaded policies in {wall:.0f}s")
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    log(f"seeding {size:,} complaints (seed {seed}, today {today}, {SHAPE['years']} years, "
        f"{SHAPE['open_percent']}% open) ...")
    out, seed_wall, seed_cpu = manage(
        ["seed_demo", f"--complaints={size}", f"--seed={seed}", f"--today={today.isoformat()}",
         f"--years={SHAPE['years']}", f"--open-percent={SHAPE['open_percent']}", "--backdate-policies"], env)
    log(out.strip())
    started = time.perf_counter()
    psql(name, "VACUUM ANALYZE")
    vacuum = time.perf_counter() - started
    log(f"VACUUM ANALYZE in {vacuum:.0f}s")
    sweep_out, sweep_wall, _ = manage(["flag_breaches"], env)
    log(f"first breach sweep after seeding: {sweep_out.strip()} ({sweep_wall:.1f}s)")
    found = {**wanted(size, seed), "today": today.isoformat(), "seed_seconds": round(seed_wall, 1),
             "seed_cpu_seconds": round(seed_cpu, 1), "vacuum_analyze_seconds": round(vacuum, 1),
             "first_sweep": sweep_out.strip(), "seed_summary": out.strip().splitlines()[0] if out.strip() else "",
             "seed_time_line": next((line for line in out.splitlines() if line.startswith("Time:")), ""),
             "rows_line": next((line for line in out.splitlines() if line.startswith("Rows:")), "")}
    comment = json.dumps(found).replace("'", "''")
    psql("postgres", f"COMMENT ON DATABASE {name} IS '{comment}'")
    return found


def ensure(size: int, seed: int, redis_url: str, log, rebuild: bool = False, name: str | None = None) -> dict:
    """The database for this size and seed: reused when its marker matches, built otherwise."""
    name = name or database_name(size)
    found = marker(name)
    if found is not None and matches(found, size, seed) and not rebuild:
        log(f"reusing {name}: seeded {found.get('today')} with {size:,} complaints, seed {seed}")
        return {**found, "database": name, "reused": True}
    if found is not None:
        log(f"{name} exists but was built {'differently' if not rebuild else 'before'}: rebuilding it")
    return {**build(name, size, seed, redis_url, log), "database": name, "reused": False}
