"""The production settings: clean under ``check --deploy`` and strict about required variables.

Each test runs ``manage.py`` in a subprocess, because the settings module reads
the environment once, at import.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
# Variables a developer's shell or CI may carry that would change what is checked.
INHERITED_TO_DROP = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    # bin/test sets it for the browser tests; a deployment never does (check --deploy refuses it).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "VAR_DIR",
)


def random_secret_key(length: int = 60) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def production_env(var_dir: Path, **values: str) -> dict[str, str]:
    env = os.environ.copy()
    for name in INHERITED_TO_DROP:
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    # Without REDIS_URL the settings create the embedded broker's folders; keep them out of var/.
    env["VAR_DIR"] = str(var_dir)
    env.update(values)
    return env


def complete_values() -> dict[str, str]:
    key = random_secret_key()
    assert len(key) == 60
    return {
        "SECRET_KEY": key,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_required_variables(tmp_path):
    result = check_deploy(production_env(tmp_path, **complete_values()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("blank", [False, True], ids=["unset", "empty"])
@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without(tmp_path, missing, blank):
    values = complete_values()
    if blank:
        values[missing] = ""
    else:
        del values[missing]
    result = check_deploy(production_env(tmp_path, **values))
    assert result.returncode != 0
    assert missing in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line and missing in last_line, result.stderr
