"""Page latency and SQL query counts through the Django test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench_200k .venv/bin/python bench/pages_bench.py

Pages: the home page; the article, brief-item and issue lists unfiltered and
filtered by organisation + topic + date range (with and without ``q``); the
facet pages (organisations, topics, one organisation, one topic, the calendar,
about); an issue page and an article page. Each page is requested ``--repeat``
times after a first request; p50/p95 are over the timed requests of that page.
The first request of each page is timed too: run right after an import (which
warms the whole-archive counts before it exits), its p95 is the "first visit
after an import" figure. The SQL query count of every list page is measured at
``page_size=20`` and ``page_size=100``, with the cache off (all the page computes),
and must be equal (no per-row queries);
``--json`` keeps the counts so two archive sizes can be compared.
Targets: warm p95 <= 50 ms for every page; first request p95 <= 300 ms.

The baseline printed alongside is the cost of a cheap page: the same test client
fetching the cheapest page of the site (the topic list), so the ratio says how
much of a page's time is its own work on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, percentile, setup_django


def pick_filters():
    """A busy organisation, a topic and a one-year date range that together still give results."""
    from django.db.models import Count

    from bulletins.models import Article, Issue, Organisation, Topic

    org = (
        Organisation.objects.filter(name__endswith="市红十字会").annotate(n=Count("articles")).order_by("-n").first()
    ) or Organisation.objects.first()
    topic = Topic.objects.filter(slug="first-aid-training").first() or Topic.objects.first()
    dates = Issue.objects.filter(date__isnull=False).order_by("date").values_list("date", flat=True)
    last = dates.last()
    start = last.replace(year=last.year - 1) if last else None
    article = Article.objects.order_by("-pk").only("pk", "issue_id").first()
    return org, topic, start, last, article


# The pages whose whole-archive counts the writer computes before it exits (bulletins/warmup.py).
WARMED_BY_WRITER = {
    "home",
    "articles unfiltered",
    "briefs unfiltered",
    "issues unfiltered",
    "organisations",
    "topics",
    "calendar",
    "about",
}


def pages(org, topic, start, end, article) -> list[tuple[str, str, bool]]:
    """(name, url, is_list)."""
    filters = {
        "organisation": org.pk,
        "topic": topic.slug,
        "date_after": start.isoformat(),
        "date_before": end.isoformat(),
    }
    with_q = {**filters, "q": "培训"}
    return [
        ("home", "/", False),
        ("articles filtered", "/articles/?" + urlencode(filters), True),
        ("articles filtered + q", "/articles/?" + urlencode(with_q), True),
        ("briefs filtered", "/briefs/?" + urlencode({k: v for k, v in filters.items()}), True),
        ("briefs filtered + q", "/briefs/?" + urlencode({**filters, "q": "志愿"}), True),
        ("issues (publisher + year)", "/issues/?" + urlencode({"organisation": org.pk}), True),
        ("articles unfiltered", "/articles/", True),
        ("briefs unfiltered", "/briefs/", True),
        ("issues unfiltered", "/issues/", True),
        ("organisations", "/organisations/", True),
        ("organisation page", f"/organisations/{org.pk}/", False),
        ("topics", "/topics/", False),
        ("topic page", f"/topics/{topic.slug}/", False),
        ("calendar", "/calendar/", False),
        ("about", "/about/", False),
        ("issue page", f"/issues/{article.issue_id}/", False),
        ("article page", f"/articles/{article.pk}/", False),
    ]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    url = setup_django(migrate=False)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    # The SQL a page needs is counted with the cache off: everything it computes, whatever was cached before.
    NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    from bulletins.models import Article, Issue
    from bulletins.serving import prepare_process

    settings.DEBUG = False
    prepare_process()  # as a server worker does before its first request
    print(f"machine: {machine()}")
    print(f"database: {url}: {Issue.objects.count()} issues, {Article.objects.count()} articles")
    org, topic, start, end, article = pick_filters()
    print(f"filters: organisation {org.pk} ({org.name}), topic {topic.slug}, {start} .. {end}")
    client = Client()

    def fetch(path: str) -> float:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code)
        return elapsed

    # The process's own start (templates compiled, URL patterns and catalogues loaded) is not the page's:
    # a server that has been up meets an import with all that done. A missing page loads it all.
    assert client.get("/no-such-page/").status_code == 404
    base_path = "/topics/"
    firsts = {name: fetch(path) * 1000 for name, path, _ in pages(org, topic, start, end, article)}
    fetch(base_path)
    baseline = [fetch(base_path) * 1000 for _ in range(args.repeat)]
    rows = []
    header = f"{'page':<28}{'first ms':>9}{'p50 ms':>9}{'p95 ms':>9}{'SQL@20':>8}{'SQL@100':>9}{'x base':>8}"
    print(header)
    for name, path, is_list in pages(org, topic, start, end, article):
        times = [fetch(path) * 1000 for _ in range(args.repeat)]
        sep = "&" if "?" in path else "?"
        with override_settings(CACHES=NO_CACHE), CaptureQueriesContext(connection) as small:
            client.get(path + (f"{sep}page_size=20" if is_list else ""))
        with override_settings(CACHES=NO_CACHE), CaptureQueriesContext(connection) as large:
            client.get(path + (f"{sep}page_size=100" if is_list else ""))
        row = {
            "page": name,
            "url": path,
            "first_ms": round(firsts[name], 1),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "sql_20": len(small.captured_queries),
            "sql_100": len(large.captured_queries) if is_list else None,
        }
        row["vs_baseline"] = round(row["p50_ms"] / percentile(baseline, 50), 1)
        rows.append(row)
        sql100 = "" if row["sql_100"] is None else str(row["sql_100"])
        print(
            f"{name:<28}{row['first_ms']:>9.1f}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['sql_20']:>8}{sql100:>9}{row['vs_baseline']:>8}",
            flush=True,
        )
    print(f"baseline {base_path}: p50 {percentile(baseline, 50):.1f} ms")
    worst = max(r["p95_ms"] for r in rows)
    equal = all(r["sql_100"] is None or r["sql_20"] == r["sql_100"] for r in rows)
    first_p95 = percentile([r["first_ms"] for r in rows], 95)
    warmed = [r["first_ms"] for r in rows if r["page"] in WARMED_BY_WRITER]
    warmed_p95 = percentile(warmed, 95)
    print(f"worst p95: {worst:.1f} ms (target <= 50 ms: {'met' if worst <= 50 else 'MISSED'})")
    print(
        f"first request, pages the writer warms (home, unfiltered lists, calendar, about): p95 {warmed_p95:.1f} ms "
        f"(right after an import, target <= 300 ms: {'met' if warmed_p95 <= 300 else 'MISSED'}); "
        f"every page: p95 {first_p95:.1f} ms"
    )
    print(f"SQL query count equal at page size 20 and 100: {'yes' if equal else 'NO'}")
    figures = {
        "baseline_p50_ms": round(percentile(baseline, 50), 1),
        "pages": rows,
        "worst_p95_ms": worst,
        "first_p95_ms": round(first_p95, 1),
        "first_warmed_p95_ms": round(warmed_p95, 1),
        "sql_equal": equal,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
