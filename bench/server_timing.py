"""Server-Timing for benchmarks: how long Django spent on each request, in a response header.

Enabled only by ``config.settings.bench`` (first in the middleware list, so the
time covers every other middleware, the view and the template). The load
generator in ``bench/scale_load.py`` reads ``Server-Timing: app;dur=<ms>,
cpu;dur=<ms>`` from each response: ``app`` is the time inside Django, without
the wait for a free gunicorn worker or the trip over loopback, which the
client's own clock includes; ``cpu`` is the CPU time the worker process used
for it (gunicorn's sync workers serve one request at a time), which moves
less when other programs compete for the cores, and leaves out waiting for
PostgreSQL.
"""

from __future__ import annotations

import time


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started, cpu = time.perf_counter(), time.process_time()
        response = self.get_response(request)
        response["Server-Timing"] = (f"app;dur={(time.perf_counter() - started) * 1000:.2f}, "
                                     f"cpu;dur={(time.process_time() - cpu) * 1000:.2f}")
        return response
