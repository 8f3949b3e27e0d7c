"""A bounded HTTP load: a fixed number of requests per URL AND a time limit, from threads (stdlib only).

    python bench/load_client.py --base http://127.0.0.1:PORT --requests 200 --concurrency 4 --time-limit 60 PATH...

Prints, per path: requests done, errors, requests/s, p50 and p95 latency.
Exit status 1 when any request failed (status other than 200, or a network error).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1] if ordered else float("nan")


def run(base: str, path: str, requests: int, concurrency: int, deadline: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(_):
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                ok = response.status == 200
                detail = str(response.status)
        except (urllib.error.URLError, OSError) as exc:
            ok, detail = False, str(exc)
        elapsed = time.perf_counter() - started
        with lock:
            if ok:
                latencies.append(elapsed * 1000)
            else:
                errors.append(detail)

    # Warm-up, untimed: every server worker loads its code, templates and the segmenter once.
    for _ in range(concurrency * 3):
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
        except (urllib.error.URLError, OSError):
            pass
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    done = len(latencies) + len(errors)
    return {
        "path": path,
        "requests": done,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "rps": round(done / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--requests", type=int, default=200, help="requests per path")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=60, help="seconds per path at most")
    parser.add_argument("--json", help="write the results here too")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    results = []
    print(f"{'path':<60}{'done':>6}{'errors':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for path in args.paths:
        r = run(args.base, path, args.requests, args.concurrency, time.monotonic() + args.time_limit)
        results.append(r)
        print(
            f"{path[:58]:<60}{r['requests']:>6}{r['errors']:>7}{r['rps']:>8}{r['p50_ms']:>9}{r['p95_ms']:>9}",
            flush=True,
        )
        if r["errors"]:
            print(f"  first error: {r['first_error']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=2)
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
