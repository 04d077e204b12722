"""The overdue dashboard, computed once per change: cached under each council's *generation*.

A generation is a random token per council (and one ``ALL`` token for rows every council's
dashboard reads: staff names, the list of councils). Any write to a row the dashboard reads
replaces its council's token, so a cached board is never read again once its data changed:
the board's key is (database name, council, its generation, the ``ALL`` generation, today's
London date, the due-soon window). The day rolling over changes the key too. Random tokens,
not counters: a generation is never reused, even after Redis loses the keys or a test
database is recreated with the same council ids (a new council's save bumps it; the database name keeps two
databases that share one Redis apart).

Why the bumps are complete: ``receivers.py`` listens to the model signals of every row the
selectors read (``complaints.reports.selectors.dashboard``):

* ``Complaint`` (state, stage, officer, policy version, council), ``Deadline`` (due date, met,
  cancelled, paused, kind: intake, acknowledge, respond, extensions, holds, escalation,
  closing, Ombudsman enquiry deadlines, anonymising), the ``Complaint.service_areas`` links;
* ``ServiceArea`` (names), ``PolicyVersion`` (stage names, calendars, the policy in force),
  ``Council`` and the user model's names (``ALL``);

saved or deleted through the ORM, which sends the signals whichever service does it. What
sends no signal: ``QuerySet.update``/``bulk_create``/``bulk_update``/raw SQL. Those in the code
today write columns the dashboard does not read (the sweeps' ``breached_at``/``warned_at``,
``CaseStage.responded_at``, anonymised text) except the demo seeding's COPY load, which must
call ``bump_all()`` when done. A new bulk write to the columns above must bump too.

When: at once (so a read later in the same transaction, or a test in one, sees the change)
and again on commit (a reader that computed from the old snapshot between the first bump and
the commit stored its board under the first token; the second makes that one unreachable).
Redis down: the dashboard is computed uncached (a warning is logged); a failed bump is logged
and the boards expire after ``BOARD_SECONDS`` anyway, bounding what an outage can leave stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid

from django.core.cache import caches
from django.db import connection, transaction

from complaints.reports.selectors.dashboard import Dashboard, _clamp, deployment_dashboard, overdue_dashboard
from policies.models import Council

try:
    from redis.exceptions import RedisError
except ImportError:  # the embedded run without Redis installed
    RedisError = OSError

logger = logging.getLogger(__name__)

ALIAS = "dashboard"
ALL = "all"  # the generation of rows every council's board reads
BOARD_SECONDS = 600
GENERATION_SECONDS = 7 * 24 * 60 * 60  # longer than any board; renewed by every bump
CACHE_ERRORS = (RedisError, OSError, EOFError)


def _cache():
    return caches[ALIAS]


def _generation_key(scope) -> str:
    return f"generation:{scope}"


def _set_generations(scopes) -> None:
    try:
        _cache().set_many({_generation_key(scope): uuid.uuid4().hex for scope in scopes},
                          timeout=GENERATION_SECONDS)
    except CACHE_ERRORS as exc:
        logger.warning("could not bump the dashboard generation", extra={"error": type(exc).__name__})


def bump(*scopes) -> None:
    """Make the cached boards of these councils (ids, or ``ALL``) unreachable, now and on commit."""
    scopes = [scope for scope in scopes if scope is not None]
    if not scopes:
        return
    _set_generations(scopes)
    transaction.on_commit(lambda: _set_generations(scopes))


def bump_all() -> None:
    """Every council's boards (after a bulk load that sends no signals)."""
    bump(ALL, *Council.objects.values_list("pk", flat=True))


def _generations(scopes) -> list[str]:
    """The current tokens of these scopes, starting any that are missing."""
    cache = _cache()
    keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, timeout=GENERATION_SECONDS)  # add: a racing reader's token wins
    if missing:
        found.update(cache.get_many(missing))
    return [found[key] for key in keys]


def _cached(key_parts: list, scopes: list, compute) -> Dashboard:
    try:
        cache = _cache()
        generations = hashlib.blake2b("-".join(_generations(scopes)).encode(), digest_size=16).hexdigest()
        key = ":".join(["board", connection.settings_dict["NAME"], *map(str, key_parts), generations])
        board = cache.get(key)
    except CACHE_ERRORS as exc:
        logger.warning("dashboard cache unavailable; computing uncached", extra={"error": type(exc).__name__})
        return compute()
    if board is None:
        board = compute()
        try:
            cache.set(key, board, timeout=BOARD_SECONDS)
        except CACHE_ERRORS as exc:
            logger.warning("could not store the dashboard", extra={"error": type(exc).__name__})
    return board


def cached_overdue_dashboard(*, council: Council, today: dt.date, within: int) -> Dashboard:
    """``overdue_dashboard``, the same figures, read from the cache while nothing it counts has changed."""
    within = _clamp(within)
    board = _cached([council.pk, today.isoformat(), within], [council.pk, ALL],
                    lambda: overdue_dashboard(council=council, today=today, within=within))
    board.council = council
    return board


def cached_deployment_dashboard(*, today: dt.date, within: int) -> Dashboard:
    """``deployment_dashboard`` keyed on every council's generation (a new council changes the key too)."""
    within = _clamp(within)
    ids = sorted(Council.objects.values_list("pk", flat=True))
    return _cached(["all", today.isoformat(), within], [ALL, *ids],
                   lambda: deployment_dashboard(today=today, within=within))
