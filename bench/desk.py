"""The leaflet desk under load: N concurrent leaflet requests from loopback.

Starts ``printjournal serve`` (waitress, the real process pool) on a free
127.0.0.1 port, makes one leaflet to warm the render cache, then sends
--concurrent requests at once (each with its own patient name, as at a busy
desk), --rounds times, and prints p50 and p95 latency and the errors. The
server is stopped at the end; every request has a timeout.

    .venv/bin/python bench/desk.py [--concurrent 20] [--rounds 2]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM = [("slug", "sleep-and-immunity"), ("slug", "eating-for-your-heart"),
        ("clinic", "harbourside"), ("paper", "A4")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, name: str) -> tuple[float, str | None]:
    data = urllib.parse.urlencode([*FORM, ("for_name", name)]).encode()
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, data=data, timeout=60) as response:
            body = response.read()
            error = None if body.startswith(b"%PDF-") else "not a PDF"
    except (urllib.error.URLError, TimeoutError) as exc:
        error = str(exc)
    return time.perf_counter() - start, error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "printjournal", "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.5)
        cold, error = post(base + "/leaflet", "Warm Up")
        print(f"first leaflet (cold cache, workers starting): {cold:.2f} s"
              f"{' ERROR ' + error if error else ''}")
        latencies: list[float] = []
        errors: list[str] = []
        for round_number in range(args.rounds):
            start = time.perf_counter()
            with ThreadPoolExecutor(args.concurrent) as threads:
                results = list(threads.map(lambda i: post(base + "/leaflet", f"Patient {i}"),
                                           range(args.concurrent)))
            wall = time.perf_counter() - start
            latencies += [r[0] for r in results]
            errors += [r[1] for r in results if r[1]]
            print(f"round {round_number + 1}: {args.concurrent} concurrent requests "
                  f"in {wall:.2f} s")
        latencies.sort()
        p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
        print(f"{len(latencies)} requests: p50 {statistics.median(latencies):.2f} s, "
              f"p95 {p95:.2f} s, max {latencies[-1]:.2f} s, errors {len(errors)}"
              f"  (goal: no errors, p95 at most 5 s)")
        for error in sorted(set(errors)):
            print("  error:", error)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
