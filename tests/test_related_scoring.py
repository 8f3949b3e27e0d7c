"""Related articles by shared specific terms and organisations (bulletins.related_scoring)."""

from __future__ import annotations

import datetime
from collections import Counter
from functools import cache
from pathlib import Path

from bulletins.analysis.organisations import find_organisations
from bulletins.analysis.segmentation import get_segmenter
from bulletins.analysis.topics import TOPICS
from bulletins.keyword_stopwords import filter_keywords
from bulletins.parsing.bulletin import parse_bulletin
from bulletins.parsing.decoding import decode_bytes
from bulletins.related_scoring import Frequencies, ItemProfile, RelatedWeights, related, specific_terms
from bulletins.topic_scoring import score_topics

D = datetime.date
ZHEJIANG, WENLING, YONGKANG = 1, 2, 3
ALL_TOPICS = [t["slug"] for t in TOPICS]


def archive() -> tuple[ItemProfile, list[ItemProfile], Frequencies]:
    rescue = ItemProfile(
        1, ["槽罐车", "救援队", "温岭", "培训"], [ZHEJIANG, WENLING], ["emergency-relief"], D(2020, 6, 14)
    )
    same_event = ItemProfile(
        2, ["救援队", "温岭", "生命探测仪"], [WENLING, YONGKANG], ["emergency-relief"], D(2020, 6, 20)
    )
    review = ItemProfile(3, ["培训", "志愿服务"], [ZHEJIANG], ALL_TOPICS[:5], D(2021, 1, 1))
    one_word = ItemProfile(4, ["救援队", "募捐"], [ZHEJIANG], [], D(2020, 7, 1))
    filler = [ItemProfile(10 + i, [f"词{i}", "培训"], [ZHEJIANG] if i % 2 else [], [], None) for i in range(96)]
    items = [rescue, same_event, review, one_word, *filler]
    freq = Frequencies(
        total=len(items),
        terms=Counter(t for p in items for t in set(p.keywords)),
        organisations=Counter(o for p in items for o in set(p.organisations)),
    )
    return rescue, items, freq


def test_shared_specific_terms_and_organisations_rank_first():
    rescue, items, freq = archive()
    ranked = related(rescue, items, freq)
    assert ranked[0][0] == 2
    assert 3 not in dict(ranked)  # many shared topics and a big publisher are no relation


def test_nothing_specific_in_common_means_no_related_item():
    rescue, items, freq = archive()
    ranked = dict(related(rescue, items, freq, weights=RelatedWeights(min_score=6.0)))
    assert 4 not in ranked and list(ranked) == [2]


def test_generic_and_everywhere_words_weigh_nothing():
    rescue, _, freq = archive()
    # 培训 is generic, 槽罐车 is in no other article: what is left, rarest first.
    assert specific_terms(rescue, freq) == ["温岭", "救援队"]


def test_ties_go_to_the_nearest_date_then_the_newest_id():
    base = ItemProfile(1, ["甲乙"], [], [], D(2021, 5, 1))
    near = ItemProfile(2, ["甲乙"], [], [], D(2021, 5, 3))
    far = ItemProfile(3, ["甲乙"], [], [], D(2019, 1, 1))
    undated = ItemProfile(4, ["甲乙"], [], [], None)
    freq = Frequencies(total=100, terms={"甲乙": 4})
    assert [pk for pk, _ in related(base, [far, undated, near, base], freq)] == [2, 3, 4]


@cache
def seed_profiles() -> list[tuple[str, ItemProfile]]:
    segmenter, out, org_ids = get_segmenter(), [], {}
    for path in sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt")):
        issue = parse_bulletin(decode_bytes(path.read_bytes()), source_name=path.name)
        for a in issue.articles:
            text = "\n".join([a.title, a.subtitle, a.body])
            keywords = filter_keywords(segmenter.keywords(segmenter.segmented(text), k=16), k=8)
            names = {m.name for m in find_organisations(text, publisher=issue.publisher)} | {issue.publisher}
            orgs = {org_ids.setdefault(name, len(org_ids)) for name in names}
            topics = score_topics(a.title, a.body, TOPICS)
            out.append((f"{path.name[:3]}#A{a.position}", ItemProfile(len(out), keywords, orgs, topics, issue.date)))
    return out


def test_on_the_seeds_first_aid_items_relate_to_each_other_and_reviews_do_not_lead_every_list():
    named = seed_profiles()
    profiles = [p for _, p in named]
    key = {p.id: k for k, p in named}
    freq = Frequencies(
        total=len(profiles),
        terms=Counter(t for p in profiles for t in set(p.keywords)),
        organisations=Counter(o for p in profiles for o in set(p.organisations)),
    )
    lists = {key[p.id]: [key[pk] for pk, _ in related(p, profiles, freq)] for p in profiles}
    first_aid = {"004#A6", "004#A7", "004#A8"}
    for item in first_aid:
        assert lists[item][0] in first_aid, (item, lists[item])
    reviews = {"002#A1", "003#A1"}
    leading = sum(1 for ranked in lists.values() if ranked and ranked[0] in reviews)
    assert leading <= len(lists) // 4
