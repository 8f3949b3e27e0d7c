"""The topic taxonomy, defined here once, and the keyword rule that assigns its topics to a text.

:data:`TOPICS` is the starting taxonomy: the data migration and
:func:`load_starting_topics` create it in the database, where editors may
change it; the importer assigns topics from the database's current taxonomy
(same shape: name, slug, description, keywords).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate, compress

from .segmentation import Segmenter, get_segmenter
from .words import WORD_CACHE_SIZE

TOPICS: list[dict] = [
    {
        "name": "应急救护培训",
        "slug": "first-aid-training",
        "description": "面向公众和行业的红十字应急救护普及培训、救护员与师资培养及AED配置。",
        "keywords": [
            "应急救护",
            "应急救护培训",
            "应急救援培训",
            "救护培训",
            "急救培训",
            "救护员",
            "救护师",
            "救护员证",
            "心肺复苏",
            "AED",
            "除颤仪",
            "急救知识",
            "急救技能",
            "救护技能",
            "急救救护",
            "救在身边",
        ],
    },
    {
        "name": "应急救援/备灾救灾",
        "slug": "emergency-relief",
        "description": "红十字救援队伍建设、灾害应急响应、备灾物资储备与救灾工作。",
        "keywords": [
            "应急救援",
            "救援队",
            "备灾",
            "救灾",
            "备灾救灾",
            "防灾减灾",
            "灾害",
            "受灾",
            "灾区",
            "防汛",
            "抗洪",
            "地震",
            "台风",
            "搜救",
            "应急预案",
            "救援队员",
            "赈济",
        ],
    },
    {
        "name": "无偿献血",
        "slug": "blood-donation",
        "description": "红十字会参与推动无偿献血的宣传动员、志愿服务与表彰。",
        "keywords": ["无偿献血", "献血", "献血者", "世界献血者日", "血站", "献血车", "血小板", "采血"],
    },
    {
        "name": "造血干细胞捐献",
        "slug": "stem-cell-donation",
        "description": "造血干细胞（骨髓）捐献的宣传、志愿者招募、入库与捐献服务。",
        "keywords": [
            "造血干细胞",
            "干细胞",
            "骨髓",
            "中华骨髓库",
            "骨髓库",
            "世界骨髓捐献者日",
            "干细胞样本",
            "配型",
            "移路相髓",
        ],
    },
    {
        "name": "遗体和器官捐献",
        "slug": "body-organ-donation",
        "description": "人体器官、遗体和角膜捐献的登记、见证、缅怀纪念与宣传。",
        "keywords": [
            "人体器官捐献",
            "器官捐献",
            "遗体捐献",
            "角膜捐献",
            "器官",
            "遗体",
            "角膜",
            "缅怀纪念",
            "捐献登记",
            "协调员",
        ],
    },
    {
        "name": "人道救助/博爱送万家",
        "slug": "humanitarian-relief",
        "description": "对困难群众的人道救助、博爱送万家慰问、博爱家园与扶贫帮困。",
        "keywords": [
            "人道救助",
            "博爱送万家",
            "救助",
            "慰问",
            "困难群众",
            "困难家庭",
            "家庭包",
            "博爱家园",
            "帮扶",
            "扶贫",
            "脱贫攻坚",
            "失智老人",
            "天使计划",
            "先心病",
            "白血病",
            "送温暖",
            "医疗救助",
        ],
    },
    {
        "name": "募捐与基金",
        "slug": "fundraising",
        "description": "红十字会的募捐筹资、社会捐赠、专项基金与公益项目。",
        "keywords": [
            "募捐",
            "捐赠",
            "捐款",
            "筹资",
            "基金",
            "专项基金",
            "募集",
            "众筹",
            "99公益日",
            "公益项目",
            "善款",
            "款物",
            "爱心企业",
        ],
    },
    {
        "name": "志愿服务",
        "slug": "volunteering",
        "description": "红十字志愿者招募、志愿服务队伍建设与志愿服务活动。",
        "keywords": ["志愿服务", "志愿者", "志愿服务队", "志愿服务组织", "志愿者队伍", "注册志愿者", "义工"],
    },
    {
        "name": "红十字青少年",
        "slug": "red-cross-youth",
        "description": "学校红十字会、红十字青少年工作与校园生命教育。",
        "keywords": [
            "红十字青少年",
            "青少年",
            "学校红十字会",
            "校园",
            "学生",
            "中小学",
            "大学生",
            "生命教育",
            "青少年会员",
        ],
    },
    {
        "name": "党建与学习",
        "slug": "party-building",
        "description": "红十字会党的建设、理论学习、党史学习教育与党风廉政建设。",
        "keywords": [
            "党建",
            "党组",
            "党支部",
            "党史学习教育",
            "党史",
            "主题教育",
            "党风廉政",
            "党风廉政建设",
            "理论学习",
            "中心组",
            "党课",
            "从严治党",
            "意识形态",
            "全会精神",
            "重要讲话精神",
            "习近平新时代中国特色社会主义思想",
        ],
    },
    {
        "name": "组织建设与改革",
        "slug": "organisation-reform",
        "description": "红十字会改革、基层组织与会员队伍建设、理事会和会员代表大会。",
        "keywords": [
            "改革",
            "改革方案",
            "基层组织",
            "组织建设",
            "会员",
            "会员代表大会",
            "理事会",
            "管理体制",
            "群团改革",
            "数字化改革",
            "数智群团",
            "群团组织",
        ],
    },
    {
        "name": "宣传与传播",
        "slug": "communication",
        "description": "人道理念传播、红十字宣传活动、媒体报道与品牌建设。",
        "keywords": [
            "宣传",
            "传播",
            "人道传播",
            "世界红十字日",
            "公益广告",
            "宣传片",
            "媒体",
            "故事汇",
            "知晓度",
            "影响力",
            "宣讲",
            "微博",
        ],
    },
    {
        "name": "疫情防控",
        "slug": "epidemic-prevention",
        "description": "新冠肺炎等疫情的防控、抗疫捐赠物资的接收与分发。",
        "keywords": [
            "疫情防控",
            "疫情",
            "新冠肺炎",
            "新冠",
            "抗疫",
            "抗击疫情",
            "防疫",
            "核酸",
            "口罩",
            "防护服",
            "疫苗",
        ],
    },
]


def load_starting_topics(topic_model) -> int:
    """Create every starting topic missing by slug; topics editors already changed are left alone."""
    created = 0
    for topic in TOPICS:
        _, was_created = topic_model.objects.get_or_create(
            slug=topic["slug"],
            defaults={"name": topic["name"], "description": topic["description"], "keywords": list(topic["keywords"])},
        )
        created += was_created
    return created


SHORT_TEXT_CHARS = 200


def assign_topics(
    tokens: list[str],
    topics: list[dict],
    *,
    short_text_chars: int = SHORT_TEXT_CHARS,
    min_hits_short: int = 1,
    min_hits_long: int = 2,
) -> list[str]:
    """Slugs of the topics whose keywords occur in the text, in the order of ``topics``.

    A keyword occurs when it is one of the tokens (a plain word or an inner word
    of search mode, so ``献血`` hits inside ``无偿献血``), or, for a keyword that
    jieba splits into several words (``应急救护培训``), when those words appear in
    a row. Overlapping hits of one topic count once (``无偿献血`` and ``献血`` at the
    same place are one mention).

    Threshold: a text shorter than ``short_text_chars`` (200) characters — a brief
    item, a caption — needs one mention; a longer article needs two distinct
    mentions, so a passing aside does not tag it.
    """
    if not tokens or not topics:
        return []
    segmenter = get_segmenter()
    rules = _topic_rules(segmenter, topics)
    segmented = segmenter.as_segmented(tokens)
    if not segmented.plain:
        return []
    # Where each one-word keyword occurs (word positions), from a per-word cache of the keywords it carries;
    # map() and compress() keep the walk over every word in C, and only words carrying a keyword reach Python.
    wanted = rules.single_topics
    carried = rules.carried
    hits_per_word = list(map(carried.get, segmented.emitted))
    if None in hits_per_word:
        for i, hits in enumerate(hits_per_word):
            if hits is None:
                emitted = segmented.emitted[i]
                hits = hits_per_word[i] = tuple(dict.fromkeys(token for token in emitted if token in wanted))
                if len(carried) < WORD_CACHE_SIZE:
                    carried[emitted] = hits
    index: dict[str, list[int]] = {}
    for i in compress(range(len(hits_per_word)), hits_per_word):
        for token in hits_per_word[i]:
            index.setdefault(token, []).append(i)

    spans: list[set[tuple[int, int]]] = [set() for _ in rules.slugs]
    for token, positions in index.items():
        for topic in wanted[token]:
            spans[topic].update((i, i) for i in positions)
    plain = segmented.plain
    length = _add_multi_word_hits(plain, rules, spans) if rules.has_multis else sum(map(len, plain))
    threshold = min_hits_short if length < short_text_chars else min_hits_long
    return [slug for slug, found in zip(rules.slugs, spans, strict=True) if found and _count_merged(found) >= threshold]


def _add_multi_word_hits(plain: list[str], rules: _TopicRules, spans: list[set[tuple[int, int]]]) -> int:
    """Add the hits of keywords jieba splits into several words (those words in a row); returns the text's length.

    Searched in the words joined together, a hit counts only where it starts
    and ends on word boundaries.
    """
    starts = [0, *accumulate(map(len, plain))]
    pos = starts.pop()
    joined = "".join(plain)
    for topic, needles in enumerate(rules.multis):
        for needle in needles:
            at = joined.find(needle)
            while at >= 0:
                first = bisect.bisect_left(starts, at)
                end = at + len(needle)
                last = bisect.bisect_left(starts, end) - 1
                if first < len(starts) and starts[first] == at and (end == pos or starts[last + 1] == end):
                    spans[topic].add((first, last))
                at = joined.find(needle, at + 1)
    return pos


@dataclass
class _TopicRules:
    """A taxonomy's keywords as :func:`assign_topics` looks for them.

    ``single_topics`` maps each keyword that segments to one word to the
    indexes of the topics that list it; ``multis`` holds, per topic, the
    keywords jieba splits into several words, joined; ``carried`` starts empty
    and remembers, per word (by what search mode emits for it), which one-word
    keywords it carries.
    """

    slugs: list[str]
    single_topics: dict[str, tuple[int, ...]]
    multis: list[list[str]]
    has_multis: bool
    carried: dict[tuple[str, ...], tuple[str, ...]]


_TOPIC_CACHE: dict[tuple, _TopicRules] = {}


def _topic_rules(segmenter: Segmenter, topics: list[dict]) -> _TopicRules:
    """The rules of a taxonomy, cached by its content (slugs and keywords)."""
    key = tuple((t["slug"], tuple(t.get("keywords") or ())) for t in topics)
    cached = _TOPIC_CACHE.get(key)
    if cached is not None:
        return cached
    single_topics: dict[str, list[int]] = {}
    multis: list[list[str]] = []
    for topic, (_, keywords) in enumerate(key):
        joined: list[str] = []
        for keyword in keywords:
            parts = segmenter.keyword_words((keyword or "").strip())
            if len(parts) == 1:
                owners = single_topics.setdefault(parts[0], [])
                if topic not in owners:
                    owners.append(topic)
            elif parts:
                joined.append("".join(parts))
        multis.append(joined)
    rules = _TopicRules(
        slugs=[slug for slug, _ in key],
        single_topics={keyword: tuple(owners) for keyword, owners in single_topics.items()},
        multis=multis,
        has_multis=any(multis),
        carried={},
    )
    if len(_TOPIC_CACHE) > 32:
        _TOPIC_CACHE.clear()
    _TOPIC_CACHE[key] = rules
    return rules


def _count_merged(spans: set[tuple[int, int]]) -> int:
    count = 0
    last_end = -1
    for start, end in sorted(spans):
        if start > last_end:
            count += 1
        last_end = max(last_end, end)
    return count
