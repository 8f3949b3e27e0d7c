"""Import the variant corpus through the real import command and compare what is stored with expected.yaml.

Why a runner besides the tests: the corpus is the worklist for the parser; a per-variant
list of mismatches says what is left to do. ``tests/test_variants.py`` asserts the same
comparison one variant at a time under pytest.

Run on its own (it creates and drops a test database, like the test suite)::

    DATABASE_URL=postgres://... .venv/bin/python tests/variants/runner.py [--keep-db] [NAME ...]
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected.yaml"


def load_expected() -> dict[str, dict]:
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))["variants"]


def variant_paths(names: list[str] | None = None) -> list[Path]:
    paths = sorted(HERE.glob("*.txt"))
    return [p for p in paths if not names or any(n in p.name for n in names)]


def import_variants(paths: list[Path]) -> dict[str, dict]:
    """Import through ``manage.py import_bulletins --json`` and return its report per file name."""
    from django.core.management import call_command

    out = io.StringIO()
    with contextlib.suppress(SystemExit):  # exit 1 when a file failed; the JSON report says which
        call_command("import_bulletins", *map(str, paths), workers=1, json=True, stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    return {Path(r["source"]).name: r for r in report["results"]}


@dataclass
class Outcome:
    name: str
    mismatches: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _field(obj, name: str, problems: list[str]):
    """A field the spec needs but the model may not have yet (total_number, source)."""
    if not hasattr(obj, name):
        problems.append(f"{type(obj).__name__} has no field {name!r}")
        return None
    return getattr(obj, name)


def _check_article(i: int, article, spec: dict, problems: list[str]) -> None:
    for key in ("subtitle", "byline"):
        if key in spec and getattr(article, key) != spec[key]:
            problems.append(f"article {i} {key}: got {getattr(article, key)!r}, want {spec[key]!r}")
    for needle in spec.get("body_contains", []):
        if needle not in article.body:
            problems.append(f"article {i} body lacks {needle!r}")


def _check_briefs(issue, want: list[dict], problems: list[str]) -> None:
    briefs = list(issue.briefs.order_by("position"))
    if len(briefs) != len(want):
        problems.append(f"briefs: got {len(briefs)}, want {len(want)}: {[b.text[:20] for b in briefs]}")
    for i, (brief, spec) in enumerate(zip(briefs, want, strict=False), start=1):
        if brief.text.strip() != str(spec["text"]).strip():
            problems.append(f"brief {i} text: got {brief.text!r}, want {spec['text']!r}")
        if _iso(brief.date) != _iso(spec["date"]):
            problems.append(f"brief {i} date: got {_iso(brief.date)}, want {_iso(spec['date'])}")
        if spec.get("source") is not None or hasattr(brief, "source"):
            source = _field(brief, "source", problems)
            if hasattr(brief, "source") and (source or None) != spec.get("source"):
                problems.append(f"brief {i} source: got {source!r}, want {spec.get('source')!r}")


def _stored_texts(issue, articles, briefs) -> list[tuple[str, str]]:
    texts = [("issue title", issue.title)]
    if issue.publication:
        texts.append(("publication", issue.publication.name))
    for a in articles:
        texts += [(f"article {a.position} title", a.title), (f"article {a.position} subtitle", a.subtitle)]
        texts.append((f"article {a.position} body", a.body))
    texts += [(f"brief {b.position}", b.text) for b in briefs]
    return texts


def fold_script(value):
    """A spec value in simplified script: titles are stored simplified until the printed script is kept (issue 15)."""
    from bulletins.chinese_script import to_simplified as _to_simplified

    if isinstance(value, str):
        return _to_simplified(value)
    if isinstance(value, list):
        return [fold_script(v) for v in value]
    if isinstance(value, dict):
        return {k: fold_script(v) for k, v in value.items()}
    return value


def compare(name: str, spec: dict, result: dict | None, results: dict[str, dict], *, printed_script=True) -> Outcome:
    """Every difference between one variant's stored issue and its spec.

    ``printed_script=False`` compares titles, publication and brief texts in simplified
    script: keeping the script printed is issue 15's, not this corpus's.
    """
    from bulletins.models import Issue

    if not printed_script:
        spec = {**fold_script(spec), "publisher": spec.get("publisher"), "organisations": spec.get("organisations")}

    outcome = Outcome(name)
    problems = outcome.mismatches
    if result is None:
        problems.append("not in the import report")
        return outcome
    if result["outcome"] == "failed":
        problems.append(f"import failed: {result['message']}")
        return outcome
    if "duplicate_of" in spec:
        first = results.get(spec["duplicate_of"], {})
        wanted = f"与 {spec['duplicate_of']} 为同一期"
        if wanted not in result.get("message", ""):
            problems.append(f"report message {result.get('message')!r} lacks {wanted!r}")
        kept = Issue.objects.filter(pk=first.get("issue_id"), source_name__endswith=spec["duplicate_of"])
        if first.get("issue_id") and not kept.exists():
            problems.append(f"the issue of {spec['duplicate_of']} lost its source name")
        return outcome

    issue = Issue.objects.select_related("publication", "publisher").get(pk=result["issue_id"])
    got = {
        "publication": issue.publication.name if issue.publication else None,
        "publisher": issue.publisher.name if issue.publisher else None,
        "number": issue.number,
        "date": _iso(issue.date),
    }
    for key, value in got.items():
        if value != _iso(spec.get(key)):
            problems.append(f"{key}: got {value!r}, want {_iso(spec.get(key))!r}")
    if "total_number" in spec:
        total = _field(issue, "total_number", problems)
        if hasattr(issue, "total_number") and total != spec["total_number"]:
            problems.append(f"total_number: got {total!r}, want {spec['total_number']!r}")
    for word in spec.get("review_contains", []):
        if word not in issue.review_notes:
            problems.append(f"review notes {issue.review_notes!r} lack {word!r}")

    articles = list(issue.articles.order_by("position").prefetch_related("organisations"))
    titles = [a.title for a in articles]
    want_titles = [a["title"] for a in spec["articles"]]
    if titles != want_titles:
        problems.append(f"titles: got {titles}, want {want_titles}")
    for i, (article, a_spec) in enumerate(zip(articles, spec["articles"], strict=False), start=1):
        _check_article(i, article, a_spec, problems)
    _check_briefs(issue, spec["briefs"], problems)

    briefs = list(issue.briefs.prefetch_related("organisations"))
    linked = {issue.publisher.name} if issue.publisher else set()
    for part in (*articles, *briefs):
        linked |= {o.name for o in part.organisations.all()}
    missing = [o for o in spec.get("organisations", []) if o not in linked]
    if missing:
        problems.append(f"organisations not linked: {missing}")
    for label, text in _stored_texts(issue, articles, briefs):
        leaked = [s for s in spec.get("absent", []) if s and s in (text or "")]
        if leaked:
            problems.append(f"{label} holds {leaked}")
    return outcome


def run(names: list[str] | None = None) -> list[Outcome]:
    """Import the variants into the current database and compare each with its spec."""
    expected = load_expected()
    paths = variant_paths(names)
    results = import_variants(paths)
    return [compare(p.name, expected[p.name], results.get(p.name), results) for p in paths]


def report(outcomes: list[Outcome], out=sys.stdout) -> None:
    for o in outcomes:
        print(f"{'PASS' if o.passed else 'FAIL'} {o.name}", file=out)
        for m in o.mismatches:
            print(f"     - {m}", file=out)
    passed = sum(o.passed for o in outcomes)
    print(f"{passed} passed, {len(outcomes) - passed} failed", file=out)


def main(argv: list[str]) -> int:
    import os

    import django

    sys.path.insert(0, str(HERE.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    keep = "--keep-db" in argv
    names = [a for a in argv if not a.startswith("--")]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)
    try:
        from bulletins.importing.store import ensure_topics

        ensure_topics()
        outcomes = run(names)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keep)
    report(outcomes)
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
