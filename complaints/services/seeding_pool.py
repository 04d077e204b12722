"""Telling demo stories in worker processes, in order, a bounded number of chunks ahead.

Telling a story and building its rows is pure Python and most of a big
seeding run's CPU time; on a machine with more than one core, worker
processes do it while the seeding process writes what is ready. Workers are
started with ``spawn`` (a fresh interpreter that sets Django up; nothing of
the seeding process's open database connection is inherited) and never touch
the database. Results come back in the order the chunks were sent, so the
output is exactly what one process would have produced.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

# This module is what a spawned worker imports first, before Django is set up: models come later.

_kits: list | None = None
_today: dt.date | None = None
_now: dt.datetime | None = None
_shapes = None
_deadline_rows = None


def _start(kits, today, now, settings_module):
    """Worker initialiser: Django, then the councils this run seeds (``KitSpec`` fields as tuples)."""
    global _kits, _today, _now, _shapes, _deadline_rows
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from complaints.services.seeding_plan import KitSpec
    from complaints.services.seeding_rows import Shapes
    from complaints.services.seeding_story import DeadlineRows

    _kits, _today, _now = [KitSpec(*fields) for fields in kits], today, now
    _shapes, _deadline_rows = Shapes(now), DeadlineRows()


def _place(draws):
    from complaints.services.seeding_plan import place_chunk

    return place_chunk(_kits, _today, draws)


def _rows(cases):
    from complaints.services.seeding_plan import rows_chunk

    return rows_chunk(_kits, _today, _now, cases, _shapes, _deadline_rows)


class Tellers:
    """Map chunks through ``place_chunk`` / ``rows_chunk`` in this process (``workers=0``) or in a pool."""

    def __init__(self, kits, today: dt.date, now: dt.datetime, workers: int, ahead: int = 3):
        self.kits, self.today, self.now, self.workers, self.ahead = kits, today, now, workers, ahead
        self.pool = None
        if workers:
            from django.conf import settings

            context = multiprocessing.get_context("spawn")
            plain = [tuple(getattr(kit, f.name) for f in dataclasses.fields(kit)) for kit in kits]  # no models yet
            self.pool = context.Pool(workers, initializer=_start,
                                     initargs=(plain, today, now, settings.SETTINGS_MODULE))
        else:
            from complaints.services.seeding_rows import Shapes
            from complaints.services.seeding_story import DeadlineRows

            self.shapes, self.deadline_rows = Shapes(now), DeadlineRows()

    def place(self, chunks: Iterable[list]) -> Iterator[list]:
        from complaints.services.seeding_plan import place_chunk

        if self.pool is None:
            return (place_chunk(self.kits, self.today, chunk) for chunk in chunks)
        return self._ordered(_place, chunks)

    def rows(self, chunks: Iterable[list]) -> Iterator:
        from complaints.services.seeding_plan import rows_chunk

        if self.pool is None:
            return (rows_chunk(self.kits, self.today, self.now, chunk, self.shapes, self.deadline_rows)
                    for chunk in chunks)
        return self._ordered(_rows, chunks)

    def _ordered(self, function: Callable, chunks: Iterable[list]) -> Iterator:
        """Results in order, with at most ``workers + ahead`` chunks in flight (memory stays bounded)."""
        pending: deque = deque()
        source = iter(chunks)
        for chunk in source:
            pending.append(self.pool.apply_async(function, (chunk,)))
            if len(pending) >= self.workers + self.ahead:
                break
        while pending:
            result = pending.popleft().get()
            chunk = next(source, None)
            if chunk is not None:
                pending.append(self.pool.apply_async(function, (chunk,)))
            yield result

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
