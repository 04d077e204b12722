"""The benchmark's Server-Timing header: only in the bench settings, on every response, in milliseconds."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_response_says_how_long_django_took(client, settings):
    settings.MIDDLEWARE = ["bench.server_timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    for path in ("/sign-in/", "/no-such-page/"):
        response = client.get(path)
        assert re.fullmatch(r"app;dur=\d+\.\d\d, cpu;dur=\d+\.\d\d", response["Server-Timing"]), path


@pytest.mark.django_db
def test_the_header_is_not_sent_outside_the_benchmark(client):
    assert "Server-Timing" not in client.get("/sign-in/")


def test_bench_settings_are_production_with_the_timing_first():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "SECRET_KEY": "x" * 50,
           "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused"}
    code = ("from django.conf import settings; from config.settings import production; "
            "print(settings.MIDDLEWARE[0], settings.DEBUG, settings.MIDDLEWARE[1:] == production.MIDDLEWARE)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["bench.server_timing.ServerTimingMiddleware", "False", "True"]
