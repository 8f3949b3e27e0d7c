"""Topics assigned only when they are a subject (bulletins.topic_scoring), measured on the labelled seeds."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from bulletins.analysis.topics import TOPICS
from bulletins.parsing.bulletin import parse_bulletin
from bulletins.parsing.decoding import decode_bytes
from bulletins.topic_scoring import MAX_TOPICS, score_topics, topic_evidence

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "fixtures" / "topic_labels.json"


@cache
def seed_items() -> dict[str, tuple[str, str, str]]:
    """{"<seed file>#A<n>" / "#B<n>": (printed title or brief start, title, body)} of every seed."""
    items = {}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        issue = parse_bulletin(decode_bytes(path.read_bytes()), source_name=path.name)
        for a in issue.articles:
            items[f"{path.name}#A{a.position}"] = (a.title, "\n".join(filter(None, [a.title, a.subtitle])), a.body)
        for b in issue.briefs:
            items[f"{path.name}#B{b.position}"] = (b.text[:30], "", b.text)
    return items


def labels() -> dict[str, dict]:
    return json.loads(LABELS.read_text(encoding="utf-8"))["items"]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def measure(kind: str) -> tuple[float, float, int]:
    """(precision, recall, most topics on one item) of score_topics against the labels, for "A" or "B"."""
    hits = assigned = wanted = most = 0
    for key, label in labels().items():
        if key.split("#")[1][0] != kind:
            continue
        _, title, body = seed_items()[key]
        got = set(score_topics(title, body, TOPICS))
        want = set(label["topics"])
        hits += len(got & want)
        assigned += len(got)
        wanted += len(want)
        most = max(most, len(got))
    return hits / max(assigned, 1), hits / max(wanted, 1), most


def test_labels_cover_every_seed_item_and_still_name_the_same_texts():
    items = seed_items()
    assert set(labels()) == set(items)
    slugs = {t["slug"] for t in TOPICS}
    for key, label in labels().items():
        assert _compact(label["title"]) == _compact(items[key][0]), key
        assert set(label["topics"]) <= slugs and len(label["topics"]) <= MAX_TOPICS, key


def test_articles_get_the_topics_a_reader_gives_them():
    precision, recall, most = measure("A")
    assert precision >= 0.8, f"precision {precision:.2f}"
    assert recall >= 0.7, f"recall {recall:.2f}"
    assert most <= MAX_TOPICS


def test_brief_items_get_the_topics_a_reader_gives_them():
    precision, recall, most = measure("B")
    assert precision >= 0.75 and recall >= 0.9 and most <= MAX_TOPICS


def test_long_reviews_carry_at_most_five_topics():
    items = seed_items()
    for key in ("002_d8ddf512c4456cf2.txt#A1", "003_77d36a74d18f4973.txt#A1"):
        _, title, body = items[key]
        assert 0 < len(score_topics(title, body, TOPICS)) <= MAX_TOPICS


# --------------------------------------------------------------------------- the rule on small texts

FILLER = "会议听取了工作汇报，研究部署下一阶段重点任务，要求各单位结合实际抓好落实。" * 12


def test_a_topic_in_the_title_is_a_subject():
    assert score_topics("临海：开展CPR+AED专场培训", FILLER, TOPICS) == ["first-aid-training"]


def test_a_passing_mention_in_a_long_text_is_not():
    body = FILLER + "会上还通报了无偿献血工作。" + FILLER
    assert score_topics("机关工会召开职工大会", body, TOPICS) == []


def test_a_paragraph_given_over_to_a_topic_makes_it_a_subject():
    paragraph = "全市开展无偿献血宣传动员，献血者达两万人次，血站增设献血车三辆，无偿献血志愿者全程服务。"
    body = FILLER + "\n\n" + paragraph + "\n\n" + FILLER
    assert "blood-donation" in score_topics("全年工作回顾", body, TOPICS)


def test_job_titles_and_department_names_are_not_mentions():
    body = "省红十字会党组书记、常务副会长带队，赈济救护部和市委宣传部负责人参加。" + FILLER
    assert score_topics("调研工作", body, TOPICS) == []
    assert [e.slug for e in topic_evidence("", "党组书记、党组成员出席", TOPICS)] == []


def test_a_keyword_inside_a_longer_keyword_of_another_topic_counts_for_that_one():
    evidence = {e.slug: e for e in topic_evidence("", "开展应急救援培训", TOPICS)}
    assert "first-aid-training" in evidence and "emergency-relief" not in evidence


def test_a_brief_item_needs_one_mention_per_topic():
    assert set(score_topics("", "4月20日，省红十字会组织党员干部开展党史学习教育。", TOPICS)) == {"party-building"}


def test_traditional_script_is_scored_like_simplified():
    title, body = "本會舉辦社區急救推廣日", "設置心肺復蘇、AED體驗攤位，派發急救知識小冊子。" * 10
    assert score_topics(title, body, TOPICS) == score_topics("本会举办社区急救推广日", body, TOPICS)
    assert "first-aid-training" in score_topics(title, body, TOPICS)


@pytest.mark.parametrize("cap", [1, 2, 3])
def test_the_cap_keeps_the_strongest_subjects(cap):
    items = seed_items()
    _, title, body = items["003_77d36a74d18f4973.txt#A1"]
    full = score_topics(title, body, TOPICS)
    assert score_topics(title, body, TOPICS, max_topics=cap) == full[:cap]


def test_empty_texts_and_taxonomies():
    assert score_topics("", "", TOPICS) == []
    assert score_topics("无偿献血", "无偿献血", []) == []


def test_keywords_are_normalised_once_per_taxonomy_and_an_edited_taxonomy_is_seen_at_once():
    topics = [{"slug": "blood", "keywords": ["獻血"]}]
    assert score_topics("", "组织无偿献血活动", topics) == ["blood"]
    assert score_topics("", "组织无偿献血活动", [{"slug": "blood", "keywords": ["救护"]}]) == []
    assert score_topics("", "组织无偿献血活动", topics) == ["blood"]
