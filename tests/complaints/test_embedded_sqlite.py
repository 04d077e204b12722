"""The run command's embedded default (SQLite, no Redis) runs the same code paths.

The suite itself uses PostgreSQL; this test drives the management commands the
run command uses against a throwaway SQLite file, in a subprocess, so portable
queries stay portable.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_demo_data_and_the_breach_sweep_work_on_embedded_sqlite(tmp_path):
    manage(tmp_path, "migrate", "--noinput")
    manage(tmp_path, "load_policies")
    manage(tmp_path, "seed_demo", "--complaints", "120", "--seed", "3", "--if-empty")
    first = manage(tmp_path, "flag_breaches")
    count = int(first.split()[1])
    assert count > 0, first
    assert "Flagged 0 deadlines" in manage(tmp_path, "flag_breaches")
    assert (tmp_path / "db.sqlite3").exists()
