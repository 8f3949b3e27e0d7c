"""Search quality on the judged query set: precision at 5 and the rank of the first expected item.

    .venv/bin/python bench/search_quality.py [--json PATH] [--no-import]

Imports the seeds and the variant texts (tests/variants/) into a database of its own
(``<DATABASE_URL's database>_quality``, or ``SEARCH_QUALITY_DATABASE_URL``), emptied first,
then asks the site's search page (``GET /search/?q=…`` through the Django test client,
exactly what a visitor gets) each query of ``tests/fixtures/judged_queries.yaml`` and
compares the listed results with the items a reader expects first.

* **P@5**: expected items among the first five results / min(5, expected items).
* **first**: rank of the first expected item in the result list (up to 100), ``-`` when absent.
* **MRR**: mean of 1/first over the queries (0 when absent).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, setup_django

JUDGED = ROOT / "tests" / "fixtures" / "judged_queries.yaml"
CORPORA = [ROOT / "seeds", ROOT / "tests" / "variants"]
RESULTS_SEEN = 100
_ROW = re.compile(r'<article class="row( brief)?">(.*?)</article>', re.S)
_ARTICLE_LINK = re.compile(r'href="/articles/(\d+)/"')
_BRIEF_LINK = re.compile(r'href="/issues/(\d+)/#brief-(\d+)"')
_SPACE = re.compile(r"\s+")


def database_url() -> str:
    """This benchmark's own database, beside the archive's (never the archive's own)."""
    if os.environ.get("SEARCH_QUALITY_DATABASE_URL"):
        return os.environ["SEARCH_QUALITY_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/archive")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_quality"))


def load_judged(path: Path = JUDGED) -> dict:
    """``{"queries": [...], "same_as": {copy file: original file}}`` from the YAML file."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"queries": data["queries"], "same_as": data.get("same_as") or {}}


def import_corpora() -> dict:
    """Empty the database and import the seeds and the variants; returns import_bulletins' JSON report."""
    from django.core.management import call_command

    from bulletins.importing.store import ensure_topics

    call_command("flush", interactive=False, verbosity=0)
    ensure_topics()
    files = [str(p) for corpus in CORPORA for p in sorted(corpus.glob("*.txt"))]
    out = io.StringIO()
    with contextlib.suppress(SystemExit):  # exit 1 when a file failed; the report says which
        call_command("import_bulletins", *files, workers=1, json=True, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def compact(text: str) -> str:
    """Normal form without spaces: what titles and brief pieces are compared in."""
    from bulletins.chinese_script import normalise

    return _SPACE.sub("", normalise(text or ""))


HEAD_CHARS = 300  # a headline found this near the start of a result's text stands for that article


def matches(expected: dict, item: dict, same_as: dict[str, str] | None = None) -> bool:
    """Does a listed result (``{file, kind, title, text}``) stand for an expected key?

    Lenient on purpose, so the figures measure search and not parsing: a file
    stored under a copy's name counts as the original (``same_as``), and an
    article counts when its headline stands at the start of the result's text
    (a parser that ran the headline into the body, or kept a masthead line).
    A brief item counts in an article's text too (items glued into one).
    """
    same_as = same_as or {}
    if expected["file"] != same_as.get(item["file"], item["file"]):
        return False
    if "brief" in expected:
        return compact(expected["brief"]) in compact(item["text"])
    wanted = compact(expected["title"])
    return wanted == compact(item["title"]) or wanted in compact(item["text"])[: HEAD_CHARS + len(wanted)]


def listed_results(client, query: str) -> list[dict]:
    """The search page's results for ``query``, in order, as ``{file, kind, title, text}``."""
    from bulletins.models import Article, BriefItem

    response = client.get("/search/?" + urlencode({"q": query, "page_size": RESULTS_SEEN}))
    html = response.content.decode("utf-8")
    rows = []
    for brief, body in _ROW.findall(html):
        if brief:
            link = _BRIEF_LINK.search(body)
            if link:
                rows.append(("brief", (int(link.group(1)), int(link.group(2)))))
        else:
            link = _ARTICLE_LINK.search(body)
            if link:
                rows.append(("article", int(link.group(1))))
    articles = Article.objects.select_related("issue").in_bulk([key for kind, key in rows if kind == "article"])
    briefs = {
        (b.issue_id, b.position): b
        for b in BriefItem.objects.select_related("issue").filter(
            issue_id__in=[key[0] for kind, key in rows if kind == "brief"]
        )
    }
    items = []
    for kind, key in rows:
        if kind == "article" and key in articles:
            a = articles[key]
            text = "\n".join(filter(None, [a.title, a.subtitle, a.body]))
            items.append({"file": a.issue.source_name, "kind": kind, "title": a.title, "text": text})
        elif kind == "brief" and key in briefs:
            b = briefs[key]
            items.append({"file": b.issue.source_name, "kind": kind, "title": "", "text": b.text})
    return items


def judge(query: dict, items: list[dict], same_as: dict[str, str] | None = None) -> dict:
    """P@5 and the first expected rank of one query's results."""
    expected = query["expected"]
    top = items[:5]
    hits = sum(1 for e in expected if any(matches(e, item, same_as) for item in top))
    first = next((rank for rank, item in enumerate(items, 1) if any(matches(e, item, same_as) for e in expected)), None)
    return {
        "query": query["query"],
        "results": len(items),
        "p_at_5": hits / min(5, len(expected)),
        "first": first,
    }


def run(*, do_import: bool = True) -> dict:
    from django.test import Client

    report = import_corpora() if do_import else None
    client = Client()
    judged = load_judged()
    rows = [judge(q, listed_results(client, q["query"]), judged["same_as"]) for q in judged["queries"]]
    n = len(rows)
    summary = {
        "queries": n,
        "mean_p_at_5": sum(r["p_at_5"] for r in rows) / n,
        "mrr": sum(1 / r["first"] for r in rows if r["first"]) / n,
        "found": sum(1 for r in rows if r["first"]),
    }
    failed = [r["source"] for r in (report or {}).get("results", []) if r.get("outcome") == "failed"]
    return {"rows": rows, "summary": summary, "import_failed": failed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-import", action="store_true", help="search the database as it is")
    args = parser.parse_args(argv)
    setup_django(database_url())
    result = run(do_import=not args.no_import)
    print(f"{'query':<22} {'results':>7} {'P@5':>5} {'first':>5}")
    for r in result["rows"]:
        first = r["first"] if r["first"] else "-"
        print(f"{r['query']:<22} {r['results']:>7} {r['p_at_5']:>5.2f} {first:>5}")
    s = result["summary"]
    print(f"mean P@5 {s['mean_p_at_5']:.2f}  MRR {s['mrr']:.2f}  first expected found for {s['found']}/{s['queries']}")
    if result["import_failed"]:
        print("files that failed to import:", ", ".join(Path(f).name for f in result["import_failed"]))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
