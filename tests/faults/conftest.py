"""Faults made real: a database connection killed by the server, requests that run at the same time.

``database_lost`` kills the PostgreSQL server process behind Django's connection
(``pg_terminate_backend`` from a second connection, as a crashed or restarted
database server would) at a chosen point inside a service, so the next statement
of the request fails. ``hold_inside`` keeps one thread inside a service, holding
the case's row lock, until another request is seen waiting on that lock. Both
need tests that commit (``django_db(transaction=True)``): the other connections
must see the data.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection

# The case screens' stopped clock and staff, the API's token clients, the residents' form walker.
from tests.api.conftest import _fresh_throttle_counts, lbbd_api  # noqa: F401
from tests.public.conftest import fixed_now, media, resident  # noqa: F401
from tests.staff.conftest import clock, investigator, manager, officer, officer_client  # noqa: F401


def admin_connection() -> psycopg.Connection:
    """A second connection to the test database, outside Django's."""
    s = connection.settings_dict
    return psycopg.connect(dbname=s["NAME"], user=s["USER"] or None, password=s["PASSWORD"] or None,
                           host=s["HOST"] or None, port=s["PORT"] or None, autocommit=True)


def terminate_this_connection() -> None:
    """Kill the server process of the current thread's Django connection, and wait until it is gone."""
    pid = connection.connection.info.backend_pid
    with admin_connection() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]


def wrap(monkeypatch, target, name: str, before=None, after=None) -> list:
    """Replace ``target.name`` by a wrapper running ``before``/``after`` the original on its first call.

    Returns the list of calls made, so a test can check the fault really happened where it meant.
    """
    original = getattr(target, name)
    calls = []

    def wrapper(*args, **kwargs):
        first = not calls
        calls.append(threading.current_thread().name)
        if first and before:
            before()
        result = original(*args, **kwargs)
        if first and after:
            after()
        return result

    monkeypatch.setattr(target, name, wrapper)
    return calls


@pytest.fixture
def database_lost(monkeypatch):
    """``database_lost(module, "function", when="after")``: the connection dies after (or before) that call."""

    def arm(target, name: str, when: str = "after") -> list:
        kill = {"before": terminate_this_connection} if when == "before" else {"after": terminate_this_connection}
        return wrap(monkeypatch, target, name, **kill)

    yield arm
    connection.close()


def reconnect() -> None:
    """Drop the killed connection; the next query opens a new one (as Django does between requests)."""
    connection.close()


def waiting_for_a_lock(timeout: float = 10.0) -> bool:
    """True once another connection to the test database waits on a lock (a row, or a unique key)."""
    deadline = time.monotonic() + timeout
    with admin_connection() as admin:
        while time.monotonic() < deadline:
            waiting = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'").fetchone()[0]
            if waiting:
                return True
            time.sleep(0.02)
    return False


@pytest.fixture
def hold_inside(monkeypatch):
    """``hold_inside(module, "function")``: the first thread to call it waits there (holding the locks its
    transaction took) until a second request is waiting on a lock; ``entered`` is set when it arrives."""
    entered = threading.Event()
    seen_waiting = []

    def hold():
        entered.set()
        seen_waiting.append(waiting_for_a_lock())

    def arm(target, name: str) -> list:
        wrap(monkeypatch, target, name, before=hold)
        return seen_waiting

    arm.entered = entered
    return arm


def at_once(entered: threading.Event, first, second, timeout: float = 30.0) -> tuple:
    """Run ``first`` in a thread and, once it is inside the held service, ``second`` in another.

    Each thread has its own database connection (closed when it ends). Returns both results.
    """
    results, errors = {}, []

    def runner(key, job):
        try:
            results[key] = job()
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=runner, args=("first", first), name="first")
    one.start()
    assert entered.wait(timeout), "the first request never reached the held service"
    two = threading.Thread(target=runner, args=("second", second), name="second")
    two.start()
    one.join(timeout)
    two.join(timeout)
    assert not one.is_alive() and not two.is_alive(), "a request did not finish"
    if errors:
        raise errors[0]
    return results["first"], results["second"]
