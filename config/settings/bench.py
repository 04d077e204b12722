"""Benchmark settings (``bench/run``): production, on loopback, with a Server-Timing header.

Everything production does (DEBUG off, persistent connections, WhiteNoise with
the manifest storage, the security middleware) plus
``bench.server_timing.ServerTimingMiddleware`` first in the stack, so every
response says how long Django spent on it. Only the benchmark uses this
module; the environment it needs (``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL``) is set by ``bench/run``, with ``SECURE_SSL_REDIRECT=false``
because there is no TLS on loopback.
"""

from .production import *  # noqa: F401,F403
from .production import MIDDLEWARE

MIDDLEWARE = ["bench.server_timing.ServerTimingMiddleware", *MIDDLEWARE]
