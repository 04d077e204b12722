"""``/healthz`` reports database and broker reachability against the real services."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]




@pytest.mark.django_db
def test_healthy_when_postgres_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


@pytest.mark.django_db
def test_503_naming_the_broker_when_redis_is_unreachable(client, monkeypatch):
    # Port 1 on loopback: nothing listens, so the connection is refused at once.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("unreachable")


def test_503_naming_the_database_when_postgres_is_unreachable():
    # A separate process whose DATABASE_URL points at a port where nothing listens.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "ALLOWED_HOSTS": "testserver",
           "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"]["checks"]["database"] == "unreachable (OperationalError)"
    assert result["body"]["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_home_page_lists_the_loaded_bodies(client, loaded_policies):
    response = client.get("/")
    assert response.status_code == 200
    for name in ("London Borough of Barnet", "The Barnet Group", "Buckinghamshire"):
        assert name in response.content.decode()
