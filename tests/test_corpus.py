"""The synthetic benchmark corpus: deterministic, and shaped like real bulletins.

Why these tests: every benchmark figure is only comparable across runs and
machines if the corpus is the same bytes for the same seed, and only meaningful
if the real parser and importer read it as the intended issues, articles and
brief items (not, say, one giant article per file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402
from bulletins.parsing.bulletin import parse_bulletin  # noqa: E402
from bulletins.parsing.decoding import decode_bytes  # noqa: E402


def test_same_seed_same_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    corpus.write_corpus(first, 12, seed=7)
    corpus.write_corpus(second, 12, seed=7)
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_other_seed_other_text():
    assert corpus.generate_issue(3, seed=1).text != corpus.generate_issue(3, seed=2).text


def test_issue_depends_only_on_seed_and_index():
    alone = corpus.generate_issue(41, seed=5).text
    for i in range(5):
        corpus.generate_issue(i, seed=5)
    assert corpus.generate_issue(41, seed=5).text == alone


def test_both_seed_formats_and_about_ten_articles_per_issue():
    issues = [corpus.generate_issue(i) for i in range(200)]
    assert {g.style for g in issues} == {"plain", "markdown"}
    assert 9 <= sum(g.articles for g in issues) / len(issues) <= 11.5
    plain = next(g for g in issues if g.style == "plain")
    assert "简 讯" in plain.text and "▲" in plain.text
    markdown = next(g for g in issues if g.style == "markdown")
    assert markdown.text.lstrip().startswith("# ") and "□通讯员" in markdown.text


def test_publication_and_number_never_repeat():
    keys = [(g.publication, g.number) for g in (corpus.generate_issue(i) for i in range(500))]
    assert len(set(keys)) == len(keys)


def test_rare_names_stay_rare():
    """A synthetic name of one issue does not turn up in the other issues."""
    texts = [corpus.generate_issue(i).text for i in range(120)]
    seen = 0
    for index in range(0, 120, 7):
        for name in corpus.generate_issue(index).rare_names:
            if name in texts[index]:
                seen += 1
                assert sum(name in text for text in texts) <= 3, name
    assert seen >= 20


@pytest.mark.parametrize("index", range(60))
def test_parser_reads_the_intended_structure(index):
    issue = corpus.generate_issue(index)
    parsed = parse_bulletin(decode_bytes(issue.text.encode("utf-8")), source_name=issue.name)
    assert (parsed.publication, parsed.number, parsed.date) == (issue.publication, issue.number, issue.date)
    assert len(parsed.articles) == issue.articles
    assert len(parsed.briefs) == issue.briefs


@pytest.mark.django_db(transaction=True)
def test_import_gives_the_intended_counts(tmp_path):
    from bulletins.importing import run as importing_run
    from bulletins.importing import store
    from bulletins.models import Article, BriefItem, Issue

    store.ensure_topics()
    totals = corpus.write_corpus(tmp_path / "c", 8, seed=11)
    before = (Issue.objects.count(), Article.objects.count(), BriefItem.objects.count())
    paths, _ = importing_run.collect_paths([str(tmp_path / "c")])
    results = importing_run.import_paths(paths, workers=1)
    assert {str(r.outcome) for r in results} == {"created"}
    after = (Issue.objects.count(), Article.objects.count(), BriefItem.objects.count())
    assert after[0] - before[0] == totals["files"] == 8
    assert after[1] - before[1] == totals["articles"]
    assert after[2] - before[2] == totals["briefs"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/articles/", "/briefs/", "/issues/", "/search/?q=红十字会"])
def test_list_query_count_does_not_grow_with_page_size(seeded, client, django_assert_max_num_queries, path):
    """A page of 100 rows costs the same SQL queries as a page of 20: no per-row queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sep = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{path}{sep}page_size=20").status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"{path}{sep}page_size=100").status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
