"""Load test of ``facility-sizing serve`` on loopback (not part of the test suite).

    venv/bin/python benchmarks/bench_service.py                 # 2,000 requests, 50 clients
    venv/bin/python benchmarks/bench_service.py --requests 400  # quicker

Starts the service as the command line starts it, on a free port of 127.0.0.1 (only loopback,
ever), and then:

* sends ``--requests`` ``POST /size`` requests from ``--clients`` concurrent clients (threads, each
  with its own keep-alive ``http.client`` connection), a mix of projects in five jurisdictions;
  records throughput, p50 and p99 latency; checks that no request failed and that every answer is
  identical to ``fs.size(...).to_dict()`` computed in this process;
* times a single client's requests one at a time (p50 of 500) against ``fs.size`` called in this
  process (p50 of 500), printed for information (issue 14's ≤ 3× target is retired: the library's
  share of a request is held against the framework's floor, ``against_floor``, in bench_peers.py);
* measures the server's resident memory after a warm-up and after ``--memory-requests`` (20,000)
  more requests of varied places and dates, a quarter of them ending in an error (a draft or a
  report only, a bad value): the target is growth within 10 %;

prints the figures and exits non-zero when a target is missed. It stops by itself (the server is
terminated at the end, whatever happens). Figures are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any

import facility_sizing as fs

HOST = "127.0.0.1"
PROJECTS: list[dict[str, Any]] = [
    {"jurisdiction": "西湖区", "households": 1200, "area_type": "new_build", "on": "2025-01-01"},
    {"jurisdiction": "西湖区", "households": 1334, "area_type": "new_build", "on": "2025-01-01"},
    {
        "jurisdiction": "柯桥区",
        "households": 2000,
        "persons_per_household": 2.7,
        "area_type": "new_build",
        "on": "2025-01-01",
    },
    {"jurisdiction": "余姚市", "population": 8000, "area_type": "new_build", "on": "2025-01-01"},
    {"jurisdiction": "苏州市", "households": 3000, "area_type": "new_build", "on": "2025-01-01"},
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(floor: bool = False) -> tuple[subprocess.Popen[bytes], int]:
    """The service as ``facility-sizing serve`` starts it; with ``floor``, with the framework's floor beside it."""
    port = free_port()
    if floor:
        command = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "floor_server.py"), str(port)]
    else:
        command = ["-c", "import sys; from facility_sizing.cli import main; sys.exit(main())", "serve"]
        command += ["--host", HOST, "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "no_proxy": "*"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 30 s")


def post(conn: http.client.HTTPConnection, body: bytes, path: str = "/size") -> tuple[int, bytes, float]:
    t0 = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    return response.status, data, time.perf_counter() - t0


def load(port: int, n: int, clients: int, path: str = "/size") -> tuple[list[float], list[str], float]:
    """``n`` requests from ``clients`` threads; returns latencies, failures and the wall time."""
    bodies = [json.dumps(p, ensure_ascii=False).encode() for p in PROJECTS]
    expected = [fs.size(**p).to_dict() for p in PROJECTS]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(n))

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                k = i % len(bodies)
                try:
                    status, data, seconds = post(conn, bodies[k], path)
                    ok = status == 200 and json.loads(data) == expected[k]
                except (OSError, http.client.HTTPException) as exc:
                    ok, seconds, status = False, 0.0, repr(exc)  # type: ignore[assignment]
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                with lock:
                    latencies.append(seconds)
                    if not ok:
                        failures.append(f"request {i}: status {status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures, time.perf_counter() - t0


def single(port: int, n: int) -> float:
    """p50 of one client's requests, one at a time (after a warm-up)."""
    body = json.dumps(PROJECTS[0], ensure_ascii=False).encode()
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    for _ in range(50):
        post(conn, body)
    times = [post(conn, body)[2] for _ in range(n)]
    conn.close()
    return statistics.median(times)


def against_floor(requests: int, clients: int) -> list[tuple[str, int, int, float, float, float]]:
    """``POST /size`` against ``POST /floor`` on one server (``floor_server.py``): rows for ``bench_peers.py``.

    One client, one request at a time, alternating between the two paths (p50 of each); then
    ``requests`` from ``clients`` threads on each path, as milliseconds per request (the inverse of
    the throughput), in two halves each (ours, floor, floor, ours: a drift of the machine's speed
    during the run weighs on both alike). Each row: (work, requests, failures, ours, floor, target ratio), the times in
    milliseconds (the row says so: a request takes about one).
    """
    proc, port = start_server(floor=True)
    try:
        body = json.dumps(PROJECTS[0], ensure_ascii=False).encode()
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        times: dict[str, list[float]] = {"/size": [], "/floor": []}
        for i in range(2 * (500 + 50)):
            path = "/size" if i % 2 else "/floor"
            status, _, seconds = post(conn, body, path)
            assert status == 200, (path, status)
            if i >= 100:  # after a warm-up of 50 each
                times[path].append(seconds)
        conn.close()
        # half the requests on each path, in the order ours, floor, floor, ours: a machine that slows
        # down or speeds up during the run weighs on both alike
        walls, failed = {"/size": 0.0, "/floor": 0.0}, 0
        for path in ("/size", "/floor", "/floor", "/size"):
            _, failures, wall = load(port, requests // 2, clients, path)
            walls[path] += wall
            failed += len(failures)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    single = (statistics.median(times["/size"]) * 1000, statistics.median(times["/floor"]) * 1000)
    per_request = (walls["/size"] / (requests // 2 * 2) * 1000, walls["/floor"] / (requests // 2 * 2) * 1000)
    name = f"POST /size, {clients} clients, ms/request (≥0.6 req/s)"
    return [
        ("POST /size, one at a time, p50 ms", len(times["/size"]), 0, *single, 1.5),
        (name, requests // 2 * 2, failed, *per_request, 1 / 0.6),
    ]


def in_process(n: int) -> float:
    """p50 of ``fs.size`` called in this process (after a warm-up)."""
    for _ in range(50):
        fs.size(**PROJECTS[0])
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fs.size(**PROJECTS[0])
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MB (Linux: /proc; elsewhere nothing is measured)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            line = next(x for x in status if x.startswith("VmRSS"))
    except (OSError, StopIteration):
        return float("nan")
    return int(line.split()[1]) / 1024


def varied(i: int) -> bytes:
    """Request ``i`` of the memory run: places, dates and opt-ins vary; some end in an error."""
    places = ["西湖区", "330106", "柯桥区", "余姚市", "苏州市", "330110", "滨江区", "110101", "440305"]
    body = {
        "jurisdiction": places[i % len(places)],
        "households": 1000 + i % 997,
        "area_type": "new_build",
        "on": f"20{21 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "include_reported": i % 3 == 0,
    }
    if i % 11 == 0:
        body["households"] = -1  # a bad value: an error answer
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def memory(port: int, pid: int, n: int) -> tuple[float, float]:
    """The server's RSS after 2,000 warm-up requests and after ``n`` more (MB)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    for i in range(2000):
        post(conn, varied(i))
    before = rss_mb(pid)
    for i in range(2000, 2000 + n):
        post(conn, varied(i))
    conn.close()
    return before, rss_mb(pid)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--memory-requests", type=int, default=20_000)
    args = parser.parse_args()
    proc, port = start_server()
    try:
        latencies, failures, wall = load(port, args.requests, args.clients)
        one = single(port, 500)
        rss_before, rss_after = memory(port, proc.pid, args.memory_requests)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    local = in_process(500)
    ratio = one / local
    print(f"facility_sizing {fs.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    print(
        f"{len(latencies):,} requests from {args.clients} clients in {wall:.2f} s: {len(latencies) / wall:,.0f} requests/s"
    )
    print(
        f"latency under load: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
    )
    print(f"failed or different from fs.size: {len(failures)}")
    # Issue 14's target (≤ 3× fs.size in process) is retired: fs.size became ~3× faster in 0.7.0 while the
    # framework's own cost stayed, so the ratio grew as the library got faster. The library's share of a
    # request is held instead against the framework's floor (against_floor, run by bench_peers.py: ≤ 1.5×).
    print(f"one request at a time: p50 {one * 1000:.2f} ms; fs.size in process: p50 {local * 1000:.2f} ms; "
          f"ratio {ratio:.2f} (for information; the target is against the floor: bench_peers.py)")  # fmt: skip
    growth = rss_after / rss_before - 1
    print(f"server RSS after warm-up {rss_before:.0f} MB, after {args.memory_requests:,} more varied requests "
          f"{rss_after:.0f} MB: {growth:+.1%} (target within 10 %)")  # fmt: skip
    missed = [*failures[:5]]
    if growth > 0.10:
        missed.append(f"the server's memory grew {growth:.1%} over {args.memory_requests:,} requests")
    if len(latencies) != args.requests:
        missed.append(f"{args.requests - len(latencies)} requests not sent")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
