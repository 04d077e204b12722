"""Stop the test run at once, saying which service is down and how to start it.

The suite needs the real PostgreSQL and Redis; it never falls back to SQLite
or an in-memory broker, and never skips.
"""

import os
import sys
from urllib.parse import urlsplit

import psycopg
import redis

HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no",
}


def check_postgres(url: str) -> str | None:
    parts = urlsplit(url)
    # Connect to the server's maintenance database: the test database itself is created by pytest-django.
    server_url = parts._replace(path="/postgres").geturl()
    try:
        psycopg.connect(server_url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({str(exc).strip()})"
    return None


def check_redis(url: str) -> str | None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        parts = urlsplit(url)
        return f"Redis is not reachable at {parts.hostname}:{parts.port or 6379} ({exc})"
    return None


def main() -> int:
    failures = []
    for name, check, url in (
        ("PostgreSQL", check_postgres, os.environ["DATABASE_URL"]),
        ("Redis", check_redis, os.environ["REDIS_URL"]),
    ):
        problem = check(url)
        if problem:
            failures.append(f"{problem}\n  start it with: {HOW_TO_START[name]}")
    if failures:
        print("Cannot run the tests: they use the real services.", file=sys.stderr)
        for failure in failures:
            print(f"- {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
