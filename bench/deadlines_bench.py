"""Deadline engine throughput: cases per second on one core.

Run from the repository root::

    .venv/bin/python bench/deadlines_bench.py [--cases 100000] [--seed 1]

Builds random cases up front (policy, a stage that policy has, a received
instant between 2020 and 2035, and sometimes an acknowledgement a few days
later), then times ``compute_stage_deadlines`` over all of them after a
warm-up pass, repeated. A second measurement also renders ``.explanation()``
for every case of a smaller subset. Exits 1 when the best dates-only rate is
below the target (50,000 cases/s by default). ``--profile`` prints a cProfile
summary of one dates-only pass.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import platform
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from deadlines.engine import Events, compute_stage_deadlines  # noqa: E402
from policies.loader import policy_registry  # noqa: E402

TARGET_RATE = 50_000
FIRST_INSTANT = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
LAST_INSTANT = dt.datetime(2035, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc)


def build_cases(count: int, seed: int) -> list[tuple]:
    """(policy, stage key, events) triples, reproducible from the seed."""
    rng = random.Random(seed)
    registry = policy_registry()
    choices = [(registry[slug], stage_key) for slug in sorted(registry) for stage_key in registry[slug].stage_keys]
    span = int((LAST_INSTANT - FIRST_INSTANT).total_seconds())
    cases = []
    for _ in range(count):
        policy, stage_key = rng.choice(choices)
        received_at = FIRST_INSTANT + dt.timedelta(seconds=rng.randint(0, span))
        events = Events.from_instant(received_at)
        if rng.random() < 0.5:
            acknowledged = events.received + dt.timedelta(days=rng.randint(0, 6))
            events = Events.from_instant(received_at, acknowledged=acknowledged)
        cases.append((policy, stage_key, events))
    return cases


def dates_pass(cases) -> None:
    compute = compute_stage_deadlines
    for policy, stage_key, events in cases:
        compute(policy, stage_key, events)


def explanation_pass(cases) -> None:
    compute = compute_stage_deadlines
    for policy, stage_key, events in cases:
        compute(policy, stage_key, events).explanation()


def timed(run, cases, repeat: int) -> list[float]:
    run(cases)  # warm-up: calendars built, caches filled
    rates = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        run(cases)
        elapsed = time.perf_counter() - started
        rates.append(len(cases) / elapsed)
    return rates


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity); single-threaded"
    allowed = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {allowed[0]})
    return f"pinned to CPU {allowed[0]} (of {len(allowed)} available)"


def machine_lines() -> list[str]:
    return [
        f"Platform: {platform.platform()} ({platform.machine()}; {platform.processor() or 'cpu n/a'})",
        f"CPUs: {os.cpu_count()}",
        f"Python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        f"Django: {django.get_version()}; settings {os.environ['DJANGO_SETTINGS_MODULE']}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explain-cases", type=int, default=10_000)
    parser.add_argument("--target", type=float, default=TARGET_RATE, help="cases/s, dates only")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one dates-only pass")
    args = parser.parse_args(argv)

    for line in machine_lines():
        print(line)
    print(f"Core: {pin_to_one_core()}")

    started = time.perf_counter()
    cases = build_cases(args.cases, args.seed)
    by_policy: dict[str, int] = {}
    for policy, stage_key, _ in cases:
        by_policy[f"{policy.slug}/{stage_key}"] = by_policy.get(f"{policy.slug}/{stage_key}", 0) + 1
    print(f"Cases: {len(cases):,} (seed {args.seed}, built in {time.perf_counter() - started:.2f}s) "
          f"over {len(by_policy)} policy stages")

    rates = timed(dates_pass, cases, args.repeat)
    best, median = max(rates), statistics.median(rates)
    print(f"Dates only:        best {best:>10,.0f} cases/s   median {median:>10,.0f} cases/s   "
          f"({args.repeat} runs of {len(cases):,})")

    subset = cases[: args.explain_cases]
    explain_rates = timed(explanation_pass, subset, args.repeat)
    print(f"With explanation:  best {max(explain_rates):>10,.0f} cases/s   "
          f"median {statistics.median(explain_rates):>10,.0f} cases/s   ({args.repeat} runs of {len(subset):,})")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        dates_pass(cases)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())

    if best < args.target:
        print(f"TARGET MISSED: best dates-only rate {best:,.0f} cases/s is below {args.target:,.0f} cases/s")
        return 1
    print(f"Target met: {best:,.0f} >= {args.target:,.0f} cases/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
