"""The compiled assets survive production's collectstatic (hashed manifest storage)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org",
               DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", VAR_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = (tmp_path / "staticfiles" / "staticfiles.json").read_text()
    for name in ("css/app.css", "css/moj.css", "js/govuk-frontend.min.js", "js/init.mjs"):
        assert f'"{name}"' in manifest
