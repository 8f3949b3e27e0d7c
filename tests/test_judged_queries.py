"""The judged query set (tests/fixtures/judged_queries.yaml) and the judging of bench/search_quality.py."""

from __future__ import annotations

from pathlib import Path

import yaml

from bench.search_quality import CORPORA, compact, judge, load_judged, matches
from bulletins.parsing.bulletin import parse_bulletin
from bulletins.parsing.decoding import decode_bytes

ROOT = Path(__file__).resolve().parent.parent


def test_twenty_queries_with_traditional_phrase_and_exclusion():
    queries = load_judged()["queries"]
    assert len(queries) == 20
    texts = [q["query"] for q in queries]
    assert any(ch in "".join(texts) for ch in "會護幹細門")  # traditional script
    assert any(t.startswith('"') for t in texts)
    assert any(" -" in t for t in texts)
    assert all(q["expected"] for q in queries)


def test_every_expected_key_names_a_real_item():
    """Variant keys against expected.yaml (the truth for those texts), seed keys against the parsed seeds."""
    files = {p.name: p for corpus in CORPORA for p in corpus.glob("*.txt")}
    variants = yaml.safe_load((ROOT / "tests" / "variants" / "expected.yaml").read_text(encoding="utf-8"))["variants"]
    for query in load_judged()["queries"]:
        for key in query["expected"]:
            assert key["file"] in files, key
            if key["file"] in variants:
                spec = variants[key["file"]]
                titles = [compact(a["title"]) for a in spec["articles"]]
                pieces = [compact(b["text"]) for b in spec["briefs"]] + [
                    compact(decode_bytes(files[key["file"]].read_bytes()))
                ]
            else:
                issue = parse_bulletin(decode_bytes(files[key["file"]].read_bytes()))
                titles = [compact(a.title) for a in issue.articles]
                pieces = [compact(b.text) for b in issue.briefs]
            if "title" in key:
                assert compact(key["title"]) in titles, key
            else:
                assert any(compact(key["brief"]) in piece for piece in pieces), key


def found(file: str, title: str = "", text: str = "", kind: str = "article") -> dict:
    return {"file": file, "kind": kind, "title": title, "text": text}


def test_matching_is_by_file_then_title_in_normal_form_or_brief_piece():
    title = {"file": "v27.txt", "title": "本會舉辦社區急救推廣日"}
    assert matches(title, found("v27.txt", "本会举办社区 急救推广日"))
    assert not matches(title, found("v28.txt", "本会举办社区急救推广日"))
    assert matches(title, found("v27.txt", "（无标题）", "澳門紅十字會\n本會舉辦社區急救推廣日 10月13日"))
    brief = {"file": "a.txt", "brief": "开展党史学习教育"}
    assert matches(brief, found("a.txt", text="4月20日，组织党员开展党史学习教育。", kind="brief"))
    assert matches(brief, found("b.txt", text="开展党史学习教育", kind="brief"), {"b.txt": "a.txt"})


def test_precision_at_five_and_first_rank():
    query = {"query": "x", "expected": [{"file": "a", "title": "甲"}, {"file": "a", "title": "乙"}]}
    item = lambda t: {"file": "a", "kind": "article", "title": t, "text": t}  # noqa: E731
    row = judge(query, [item("丙"), item("乙"), item("丁"), item("戊"), item("己"), item("甲")])
    assert row == {"query": "x", "results": 6, "p_at_5": 0.5, "first": 2}
    assert judge(query, [])["first"] is None


def test_the_fixture_is_plain_yaml():
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "judged_queries.yaml").read_text(encoding="utf-8"))
    assert set(data) == {"same_as", "queries"}
