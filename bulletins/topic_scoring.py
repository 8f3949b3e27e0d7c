"""Which topics an article is *about*, and which other articles are related to it.

Pure Python (no Django, no jieba). Works on the printed text in either script
(both sides are brought to the normal form of :mod:`bulletins.chinese_script`).

Why not "any two keyword hits": a long review mentions every area of the
organisation's work once or twice, so counting hits tags it with every topic
(11–13 of 13), and it then leads every topic page and every related list. A
topic is assigned here only when it is a subject, judged by *where* its
keywords stand (title, opening paragraph, a paragraph given over to it) and
*how densely* they occur for the text's length; at most :data:`MAX_TOPICS`.

Job titles and department names (``党组书记``, ``宣传部``, ``赈济救护部``,
``基金会``) contain topic keywords without being about the topic; they are
blanked before counting (:data:`NOT_MENTIONS`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from .chinese_script import normalise

__all__ = ["MAX_TOPICS", "NOT_MENTIONS", "TopicEvidence", "score_topics", "topic_evidence"]

MAX_TOPICS = 5
SHORT_TEXT_CHARS = 200  # brief items and captions: one mention makes a subject
LEAD_CHARS = 160  # the opening of the body that counts as its lead
DENSITY_PER_1000 = 4.0  # mentions per 1,000 characters that make a topic a subject of a long text
MIN_DENSE_MENTIONS = 3
TITLE_WEIGHT = 3.0
RELATIVE_SCORE = 0.5  # a long text's subjects score at least this share of its main subject's score
PARAGRAPH_MIN_CHARS = 80
PARAGRAPH_MIN_MENTIONS = 3  # a paragraph is given over to the topic it mentions most, at least this often

# Words that contain a topic keyword but name a post, a department or another body, never a subject.
NOT_MENTIONS = re.compile(
    "党组书记|党组成员|党组副书记|党支部书记|宣传部长?|宣传委员|基金会|赈济救护部|救护部|"
    "组织部长?|改革办|志愿服务大队(?=[走看开参])|理事长|会员代表大会代表"
)
_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=\s)|\n")


@dataclass(frozen=True)
class TopicEvidence:
    """Where one topic's keywords stand in one text."""

    slug: str
    mentions: int  # non-overlapping keyword occurrences in the whole text
    in_title: bool
    in_lead: bool
    paragraphs: int  # long paragraphs given over to this topic
    per_1000: float  # mentions per 1,000 characters

    @property
    def score(self) -> float:
        """The order among a text's subjects when more than :data:`MAX_TOPICS` qualify."""
        return TITLE_WEIGHT * self.in_title + 1.5 * self.in_lead + 2.0 * self.paragraphs + self.per_1000


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One span per mention: overlapping or adjacent occurrences (``无偿献血`` and its ``献血``,
    ``新冠肺炎`` + ``疫情``) are one mention."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Keywords:
    """One taxonomy's keywords in the normal form, and an automaton that finds all of them in one pass.

    Why an Aho-Corasick automaton (pyahocorasick): a text was searched once
    per keyword (about 160 scans of every article), which cost more than
    segmenting it; the automaton reports every occurrence of every keyword,
    overlapping ones included, in one scan.
    """

    def __init__(self, lists: list[list[str]]) -> None:
        self.lists = lists
        self.longest = max((len(k) for keywords in lists for k in keywords), default=0)
        topics_of: dict[str, list[int]] = {}
        for topic, keywords in enumerate(lists):
            for keyword in keywords:
                topics_of.setdefault(keyword, []).append(topic)
        self._automaton = None  # pyahocorasick cannot make an automaton of no words
        if topics_of:
            self._automaton = ahocorasick.Automaton()
            for keyword, topics in topics_of.items():
                self._automaton.add_word(keyword, (len(keyword), topics))
            self._automaton.make_automaton()

    def found(self, text: str) -> list[tuple[int, int, int]]:
        """``(start, end, topic)`` of every keyword occurrence, once for each topic listing the keyword."""
        if self._automaton is None:
            return []
        return [
            (last + 1 - length, last + 1, topic)
            for last, (length, topics) in self._automaton.iter(text)
            for topic in topics
        ]


def _topic_mentions(text: str, keywords: _Keywords) -> list[list[tuple[int, int]]]:
    """Each topic's mentions in ``text``.

    Where one topic's keyword lies inside a longer keyword of another topic at
    the same place (``应急救援`` inside ``应急救援培训``), only the longer one
    counts: the writer meant training, not relief.
    """
    found = keywords.found(text)
    found.sort(key=lambda m: (m[0], -m[1]))
    kept: list[list[tuple[int, int]]] = [[] for _ in keywords.lists]
    starts = [m[0] for m in found]
    longest = keywords.longest
    for start, end, topic in found:
        # A cover starts no later and ends no earlier, and is no longer than the longest keyword:
        # only the few mentions starting in [end - longest, start] can be one.
        window = found[bisect.bisect_left(starts, end - longest) : bisect.bisect_right(starts, start)]
        if not any(end <= e and e - s > end - start and t != topic for s, e, t in window):
            kept[topic].append((start, end))
    return [_merge(spans) for spans in kept]


def _prepare(text: str) -> str:
    return NOT_MENTIONS.sub(lambda m: " " * len(m.group()), normalise(text or ""))


def _keyword_lists(topics: Sequence[dict]) -> _Keywords:
    """Each topic's keywords in the normal form, converted once per taxonomy rather than once per text.

    Why: the importer scores every article and brief item against the same
    taxonomy; normalising its ~160 keywords for each text cost more than
    segmenting the text. Keyed by the keywords themselves, so an editor's
    change to a topic is seen at once.
    """
    key = tuple(tuple(topic.get("keywords") or ()) for topic in topics)
    keywords = _KEYWORD_LISTS.get(key)
    if keywords is None:
        keywords = _Keywords([[normalise(k.strip()) for k in words if k and k.strip()] for words in key])
        if len(_KEYWORD_LISTS) >= 16:
            _KEYWORD_LISTS.clear()
        _KEYWORD_LISTS[key] = keywords
    return keywords


_KEYWORD_LISTS: dict[tuple, _Keywords] = {}


def _paragraph_ranges(body: str, offset: int) -> list[tuple[int, int]]:
    ranges, at = [], 0
    for piece in _PARAGRAPHS.split(body):
        at = body.find(piece, at)
        if len(piece.strip()) >= PARAGRAPH_MIN_CHARS:
            ranges.append((offset + at, offset + at + len(piece)))
        at += len(piece)
    return ranges


def topic_evidence(title: str, body: str, topics: Sequence[dict]) -> list[TopicEvidence]:
    """The evidence for every topic with at least one mention, in the order of ``topics``."""
    title_n = _prepare(title)
    body_n = _prepare(body)
    text = title_n + "\n\n" + body_n
    body_at = len(title_n) + 2
    lead_end = body_at + (len(body_n) - len(body_n.lstrip())) + LEAD_CHARS
    paragraphs = _paragraph_ranges(body_n, body_at)
    mentions = _topic_mentions(text, _keyword_lists(topics))
    # Each topic's mention starts, in order (merged spans do not overlap), so a range is counted by bisection.
    starts = [[s for s, _ in spans] for spans in mentions]
    per_paragraph = [
        [bisect.bisect_left(at, p1) - bisect.bisect_left(at, p0) for at in starts] for p0, p1 in paragraphs
    ]
    busiest = [max(counts) for counts in per_paragraph]
    length = max(len(title_n) + len(body_n), 1)
    out = []
    for index, (topic, at) in enumerate(zip(topics, starts, strict=True)):
        if not at:
            continue
        given_over = sum(
            1
            for counts, most in zip(per_paragraph, busiest, strict=True)
            if counts[index] >= PARAGRAPH_MIN_MENTIONS and counts[index] == most
        )
        out.append(
            TopicEvidence(
                slug=topic["slug"],
                mentions=len(at),
                in_title=at[0] < len(title_n),
                in_lead=bisect.bisect_left(at, lead_end) > bisect.bisect_left(at, body_at),
                paragraphs=given_over,
                per_1000=1000.0 * len(at) / length,
            )
        )
    return out


def _is_subject(evidence: TopicEvidence, length: int) -> bool:
    if length < SHORT_TEXT_CHARS:
        return True
    if evidence.in_title:
        return True
    if evidence.in_lead and evidence.mentions >= 2:
        return True
    if evidence.paragraphs:
        return True
    return evidence.mentions >= MIN_DENSE_MENTIONS and evidence.per_1000 >= DENSITY_PER_1000


def score_topics(title: str, body: str, topics: Sequence[dict], *, max_topics: int = MAX_TOPICS) -> list[str]:
    """Slugs of the topics ``title`` + ``body`` is about, best first, at most ``max_topics``.

    ``topics`` are dicts with ``slug`` and ``keywords`` (the taxonomy of
    ``bulletins.analysis.TOPICS`` or the database's topics). A brief item or
    caption has no title: pass ``""`` and its text as ``body``; a text under
    :data:`SHORT_TEXT_CHARS` needs one mention per topic.
    """
    length = len(title or "") + len(body or "")
    evidence = [e for e in topic_evidence(title, body, topics) if _is_subject(e, length)]
    evidence.sort(key=lambda e: e.score, reverse=True)
    if length >= SHORT_TEXT_CHARS and evidence:
        # In a long text a subject stands out: a topic far weaker than the main one is an aside.
        floor = RELATIVE_SCORE * evidence[0].score
        evidence = [e for e in evidence if e.in_title or e.score >= floor]
    return [e.slug for e in evidence[:max_topics]]
