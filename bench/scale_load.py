"""The server and the load for ``bench/run``: gunicorn on loopback, and concurrent clients that time each request.

gunicorn runs ``config.wsgi`` with ``config.settings.bench`` (production plus a
``Server-Timing`` header) on 127.0.0.1 and a port the system picks, read back
from gunicorn's own log, so the clients can never reach another program.

The load is plain threads with ``http.client``: each client takes the next
request from a shared queue, sends it with the signed-in user's session
cookie (the cookie is ``Secure``; the client speaks HTTP to gunicorn as a
TLS-terminating proxy would, with ``X-Forwarded-Proto: https``), and records
the status, its own clock (connect to last byte: includes the wait for a free
gunicorn worker) and the server's (``Server-Timing``: the time inside Django).
Every loop is bounded: a request times out after 60 s and counts as a failure.
"""

from __future__ import annotations

import http.client
import math
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.case_screens_bench import stop_server

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TIMEOUT_SECONDS = 60
STARTUP_SECONDS = 90
LISTENING = re.compile(rf"Listening at: http://{re.escape(HOST)}:(\d+) \((\d+)\)")
SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")
SERVER_CPU = re.compile(r"cpu;dur=([0-9.]+)")


@dataclass(frozen=True)
class Sample:
    kind: str
    status: int
    client_ms: float
    server_ms: float | None
    cpu_ms: float | None = None


def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": statistics.median(values), "p95": nearest_rank(values, 0.95),
            "max": max(values)}


class Gunicorn:
    """Our own gunicorn; ``base`` is its address once it answers."""

    def __init__(self, env: dict, workers: int, log_dir: Path):
        self.env, self.workers, self.log_dir = env, workers, log_dir
        self.process: subprocess.Popen | None = None
        self.base = ""

    def start(self, probe_path: str = "/sign-in/") -> str:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        error_log = self.log_dir / "gunicorn-error.log"
        error_log.unlink(missing_ok=True)  # gunicorn appends: an old run's "Listening at" must not be read
        command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
                   "--bind", f"{HOST}:0", "--workers", str(self.workers), "--timeout", str(TIMEOUT_SECONDS),
                   "--error-logfile", str(error_log)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {error_log}")
            if not self.base:
                text = error_log.read_text() if error_log.exists() else ""
                ports = [port for port, pid in LISTENING.findall(text) if int(pid) == self.process.pid]
                if not ports:
                    continue
                self.base = f"http://{HOST}:{ports[0]}"
            try:
                status, _, _ = fetch(self.port, probe_path, {})
            except OSError:
                continue
            if status < 500:
                return self.base
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s; see {error_log}")

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.process is not None:
            stop_server(self.process)


def fetch(port: int, path: str, headers: dict) -> tuple[int, float | None, float | None]:
    """GET ``path``: (status, server milliseconds and server CPU milliseconds from Server-Timing)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", "Host": HOST, **headers})
        response = connection.getresponse()
        response.read()
        header = response.getheader("Server-Timing") or ""
        timing, cpu = SERVER_TIMING.search(header), SERVER_CPU.search(header)
        return response.status, float(timing.group(1)) if timing else None, float(cpu.group(1)) if cpu else None
    finally:
        connection.close()


def drive(port: int, jobs: list[tuple[str, str, str]], clients: int) -> tuple[list[Sample], float]:
    """Send every (kind, path, cookie) job from ``clients`` threads; the samples and the elapsed seconds."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    samples: list[Sample] = []
    lock = threading.Lock()

    def client():
        while True:
            try:
                kind, path, cookie = work.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            try:
                status, server_ms, cpu_ms = fetch(port, path, {"Cookie": cookie})
            except OSError:  # timed out or dropped: a failure, never retried
                status, server_ms, cpu_ms = 0, None, None
            sample = Sample(kind, status, (time.perf_counter() - started) * 1000, server_ms, cpu_ms)
            with lock:
                samples.append(sample)

    threads = [threading.Thread(target=client, name=f"load-{i}", daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_SECONDS * (len(jobs) + 1))
    return samples, time.perf_counter() - started


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []
