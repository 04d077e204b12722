"""A real Celery worker and beat against the real Redis: breaches flagged and notified end to end,
and nothing lost when the broker goes away."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from complaints.models import Deadline, Notification
from complaints.tasks import case_event
from config.celery import app as celery_app
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_assign
from complaints.services.sweeps import deadlines_flag_breaches
from tests.factories import london, make_complaint, staff

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def celery_env(redis_url: str, tmp_path: Path) -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "BREACH_SWEEP_SECONDS": "1",
        "VAR_DIR": str(tmp_path),
    }


def start(args, env, log: Path) -> subprocess.Popen:
    out = open(log, "w")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", *args], cwd=ROOT, env=env,
                            stdout=out, stderr=subprocess.STDOUT)


def wait_for(predicate, seconds: float, what: str, logs=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    tails = "\n".join(Path(log).read_text()[-3000:] for log in logs)
    raise AssertionError(f"timed out waiting for {what}\n{tails}")


def stop(*processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def overdue_case():
    officer = staff("bucks", email="officer@bucks.example")
    case = complaint_triage(complaint=make_complaint("bucks", "2026-01-05T10:00"), by=officer, route="stage1")
    return complaint_assign(complaint=case, by=officer, officer=officer)


def test_worker_and_beat_flag_a_breach_and_deliver_its_notification(tmp_path):
    case = overdue_case()
    env = celery_env(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), tmp_path)
    logs = [tmp_path / "worker.log", tmp_path / "beat.log"]
    worker = start(["worker", "--pool", "solo", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
                   env, logs[0])
    beat = start(["beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "schedule")], env, logs[1])
    try:
        wait_for(lambda: Notification.objects.filter(complaint=case, sent_at__isnull=False).exists(), 90,
                 "a delivered breach notification", logs)
    finally:
        stop(worker, beat)
    breached = Deadline.objects.filter(complaint=case, breached_at__isnull=False)
    assert set(breached.values_list("kind", flat=True)) == {"acknowledge", "target", "respond", "overall"}
    assert Notification.objects.filter(complaint=case).count() == 4


def test_nothing_is_lost_when_the_broker_stops_mid_run(tmp_path):
    assert shutil.which("redis-server"), "this test starts its own Redis: install redis-server"
    port = free_port()
    redis_args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    redis = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = celery_env(f"redis://127.0.0.1:{port}/0", tmp_path)
    logs = [tmp_path / "worker.log"]
    worker = None
    try:
        time.sleep(1)
        worker = start(["worker", "--pool", "solo", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
                       env, logs[0])
        wait_for(lambda: "ready" in logs[0].read_text(), 60, "the worker to start", logs)
        redis.terminate()
        redis.wait(timeout=10)
        # Broker down: the case still changes, and the sweep still flags from the database.
        case = overdue_case()
        assert deadlines_flag_breaches(now=london("2026-11-23T09:00")).flagged == 4
        assert not Notification.objects.filter(sent_at__isnull=False).exists()
        redis = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The worker reconnects; the next delivery (queued by the next change) sends what was waiting.
        time.sleep(1)
        with celery_app.connection_for_write(env["REDIS_URL"]) as conn:
            conn.ensure_connection(max_retries=10, interval_start=0.5)
            case_event.apply_async(args=[case.pk, "broker back"], connection=conn)
        wait_for(lambda: Notification.objects.filter(sent_at__isnull=False).count() == 4, 90,
                 "the notifications to be delivered after the broker came back", logs)
    finally:
        if worker is not None:
            stop(worker)
        redis.terminate()
        redis.wait(timeout=10)


def test_a_change_commits_quickly_when_the_broker_is_unreachable(tmp_path):
    officer = staff("lbbd")
    case = make_complaint("lbbd", "2026-11-02T10:00")
    script = (
        "import django, time; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from complaints.models import Complaint\n"
        "from complaints.services.intake import complaint_triage\n"
        f"case = Complaint.objects.get(pk={case.pk}); user = get_user_model().objects.get(pk={officer.pk})\n"
        "start = time.monotonic()\n"
        "complaint_triage(complaint=case, by=user, route='stage1')\n"
        "print(f'elapsed={time.monotonic() - start:.2f}')\n"
    )
    env = celery_env("redis://127.0.0.1:1/0", tmp_path)  # nothing listens on port 1
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    elapsed = float(done.stdout.strip().split("elapsed=")[-1])
    assert elapsed < 5, f"the request was held up {elapsed}s by the broker"
    assert "could not queue case event" in done.stderr
    case.refresh_from_db()
    assert case.state == "stage1" and case.deadlines.count() == 2
