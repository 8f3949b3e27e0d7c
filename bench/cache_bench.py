"""Warm page latency with each cache backend: per-process memory, the database cache (the default), Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench_200k .venv/bin/python bench/cache_bench.py \
        [--repeat 30] [--redis redis://127.0.0.1:6379/9]

For each backend the pages are requested once (filling the cache), then ``--repeat``
times; p50/p95 of the repeats. The per-process cache is the lower bound (no round
trip); the shared backends add one round trip per cached aggregate. Redis is
measured only when ``--redis`` names a server (loopback).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, percentile, setup_django

PAGES = ["/", "/articles/", "/briefs/", "/issues/", "/topics/", "/organisations/"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--redis", default=None, help="a Redis URL on 127.0.0.1 to measure too")
    args = parser.parse_args()
    url = setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.signals import setting_changed

    backends = {
        "locmem (per process)": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "database (default)": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "archive_cache"},
    }
    if args.redis:
        backends["redis (django-redis)"] = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": args.redis}
    print(machine())
    print(f"database {url}; {args.repeat} warm requests per page")
    print(f"{'backend':24}" + "".join(f"{p:>16}" for p in PAGES))
    client = Client(HTTP_HOST="localhost")
    for label, config in backends.items():
        settings.CACHES = {"default": config}
        setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)
        cache.clear()
        cells = []
        for page in PAGES:
            client.get(page, secure=True)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(page, secure=True)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200 and response["X-Archive-Computed"] == "0", page
            cells.append(f"{percentile(times, 50):6.1f}/{percentile(times, 95):6.1f}")
        print(f"{label:24}" + "".join(f"{c:>16}" for c in cells))
        cache.clear()
    print("cells: p50/p95 ms")


if __name__ == "__main__":
    main()
