"""The run command's embedded SQLite runs the same report queries, working days included.

The suite runs on PostgreSQL; this drives the management commands against a throwaway
SQLite file in a subprocess, then checks the SQL working-day figures against the deadline
engine's calendar row by row (``tests/reports/crosscheck.py``; the SQLite twin of
``WorkingDayIndex`` is exercised only here).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "manage.py", *args], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_report_figures_on_embedded_sqlite_match_the_calendar(tmp_path):
    manage(tmp_path, "migrate", "--noinput")
    manage(tmp_path, "load_policies")
    manage(tmp_path, "seed_demo", "--complaints", "400", "--seed", "5", "--today", "2026-11-23")
    output = manage(tmp_path, "shell", "-c", "from tests.reports.crosscheck import main; main()")
    result = json.loads(output.split("RESULT", 1)[1])
    assert set(result) == {"barnet", "barnet-group", "brighton-hove", "bucks", "lbbd"}
    for slug, figures in result.items():
        assert figures["sql"] == figures["python"], slug
    assert sum(figures["answered"] for figures in result.values()) > 20
    assert sum(figures["python"][5] for figures in result.values()) > 5  # overdue cases
