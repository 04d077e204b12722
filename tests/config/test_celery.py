"""Celery wiring: the beat schedule is in code, and a real worker runs tasks from the real Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from config.celery import app as celery_app
from config.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]


def test_every_beat_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE, "the beat schedule is empty"
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, f"beat entry {name} names unknown task {entry['task']}"


def test_tests_use_the_real_redis_broker():
    assert celery_app.conf.broker_url.startswith("redis://")


def settings_value(expression: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    script = f"import django; django.setup(); from django.conf import settings; print(*({expression}))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_embedded_defaults_without_database_url_or_redis_url(tmp_path):
    value = settings_value("settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL", VAR_DIR=str(tmp_path))
    assert value == "django.db.backends.sqlite3 filesystem://"
    assert (tmp_path / "broker" / "out").is_dir()


def test_postgres_and_redis_when_their_urls_are_set(tmp_path):
    value = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL",
        VAR_DIR=str(tmp_path), DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert value == "django.db.backends.postgresql redis://127.0.0.1:6379/3"


def test_a_real_worker_runs_the_heartbeat_from_redis(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
             "-Q", queue, "--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "succeeded" not in log.read_text():
            time.sleep(0.5)
        text = log.read_text()
        assert "config.tasks.heartbeat" in text and "succeeded" in text, text[-2000:]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
