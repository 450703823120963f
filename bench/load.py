"""A small closed-loop HTTP load generator for the bench (standard library only).

``concurrency`` threads each send one GET at a time, back to back, until ``seconds`` have passed or
``max_requests`` were sent. Gunicorn's sync workers close the connection after every response, so each
request opens its own TCP connection; the client speaks just enough HTTP/1.1 for that (a prebuilt request,
read until the server closes) to keep its own CPU cost low on a small machine it shares with the server.

Only loopback addresses are accepted: this is a bench for the local server, never a tool to aim elsewhere.
"""

import itertools
import math
import socket
import threading
import time
from dataclasses import dataclass, field

LOOPBACK_HOSTS = frozenset({"127.0.0.1"})
READ_CHUNK = 65536


@dataclass(frozen=True)
class Target:
    """A page to load as a visitor carrying ``cookies`` (a session: signed in, never the page cache), reported
    under ``label``, so one path can be measured for several kinds of visitors."""

    label: str
    path: str
    cookies: dict[str, str] | None = None
    # A query parameter given a new value on every request (``fbclid``: each click from social media is new).
    unique: str | None = None


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


@dataclass(frozen=True)
class LoadResult:
    path: str
    requests: int
    errors: int
    seconds: float
    client_cpu_seconds: float  # CPU the load generator itself used (all its threads)
    error_samples: tuple[str, ...] = ()
    latencies_ms: list[float] = field(default_factory=list, repr=False)  # sorted

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies_ms, 0.50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms, 0.99)

    @property
    def client_cpu(self) -> float:
        """The load generator's own CPU use, in cores (1.0 = one core busy the whole time)."""
        return self.client_cpu_seconds / self.seconds if self.seconds > 0 else 0.0


def combine(results: list[LoadResult]) -> LoadResult:
    """Several rounds against the same path as one result: their sums, and the merged latencies."""
    if not results or len({result.path for result in results}) != 1:
        raise ValueError("combine needs at least one result, all for the same path")
    return LoadResult(
        path=results[0].path,
        requests=sum(result.requests for result in results),
        errors=sum(result.errors for result in results),
        seconds=sum(result.seconds for result in results),
        client_cpu_seconds=sum(result.client_cpu_seconds for result in results),
        error_samples=tuple(dict.fromkeys(itertools.chain.from_iterable(r.error_samples for r in results)))[
            :5
        ],
        latencies_ms=sorted(itertools.chain.from_iterable(result.latencies_ms for result in results)),
    )


def _request_bytes(host: str, port: int, path: str, cookies: dict[str, str] | None = None) -> bytes:
    cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n" if cookies else ""
    return (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "User-Agent: sermig-bench/1\r\n"
        "Accept: text/html,application/json;q=0.9,*/*;q=0.8\r\n"
        f"{cookie}"
        "Connection: close\r\n"
        "\r\n"
    ).encode("ascii")


def _exchange(host: str, port: int, request: bytes, timeout: float) -> bytes:
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(request)
        chunks: list[bytes] = []
        while chunk := conn.recv(READ_CHUNK):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(raw: bytes) -> int:
    """Status code of a raw HTTP/1.x response; 0 when the response is truncated or malformed."""
    head, separator, _body = raw.partition(b"\r\n\r\n")
    if not separator:
        return 0
    parts = head.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        return 0
    return int(parts[1])


def check_host(host: str) -> None:
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"the bench only loads the local server, not {host!r}")


def get(host: str, port: int, path: str, timeout: float = 5.0) -> Response:
    """One GET, for readiness checks and smoke checks."""
    check_host(host)
    raw = _exchange(host, port, _request_bytes(host, port, path), timeout)
    return Response(status=_status(raw), body=raw.partition(b"\r\n\r\n")[2])


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def run_load(
    host: str,
    port: int,
    path: str,
    *,
    seconds: float,
    concurrency: int,
    max_requests: int = 1_000_000,
    timeout: float = 10.0,
    cookies: dict[str, str] | None = None,
    unique: str | None = None,
) -> LoadResult:
    """Drive ``path`` for ``seconds`` with ``concurrency`` clients; non-200 answers count as errors.

    ``cookies`` go with every request (a session cookie: a signed-in reader, never served from the page cache).
    """
    check_host(host)
    if seconds <= 0 or concurrency < 1 or max_requests < 1:
        raise ValueError("seconds, concurrency and max_requests must be positive")
    request = _request_bytes(host, port, path, cookies)
    separator = "&" if "?" in path else "?"
    tickets = itertools.count()  # next() on itertools.count is atomic under the GIL
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    samples: list[str] = []
    cpu_start = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds

    def client(index: int) -> None:
        own_latencies = latencies[index]
        while time.perf_counter() < deadline and next(tickets) < max_requests:
            sent = time.perf_counter()
            if unique:
                fresh = f"{path}{separator}{unique}=IwAR{index}x{int(sent * 1e6)}"
                request_now = _request_bytes(host, port, fresh, cookies)
            else:
                request_now = request
            try:
                status = _status(_exchange(host, port, request_now, timeout))
                problem = "" if status == 200 else f"HTTP {status or 'malformed response'}"
            except OSError as error:
                problem = f"{type(error).__name__}: {error}"
            own_latencies.append((time.perf_counter() - sent) * 1000)
            if problem:
                errors[index] += 1
                if len(samples) < 5:
                    samples.append(problem)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Each in-flight request ends within `timeout`, so this bounds the whole run.
        thread.join(timeout=seconds + timeout + 5)
    elapsed = time.perf_counter() - start
    merged = sorted(itertools.chain.from_iterable(latencies))
    return LoadResult(
        path=path,
        requests=len(merged),
        errors=sum(errors),
        seconds=elapsed,
        client_cpu_seconds=time.process_time() - cpu_start,
        error_samples=tuple(dict.fromkeys(samples)),
        latencies_ms=merged,
    )
