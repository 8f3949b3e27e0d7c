"""Text analysis for the bulletin archive: segmentation, keywords, organisations, topics.

Pure Python (no Django): strings in, lists and dataclasses out, so the parser
pipeline can run it in worker processes and the tests can run it on seed text.

* :func:`get_segmenter` — one private ``jieba.Tokenizer`` per process, loaded
  lazily with ``data/userdict.txt`` (organisation names and Red Cross terms).
* :class:`Segmenter` — search-mode tokens for the PostgreSQL ``simple`` tsvector,
  the same treatment for visitors' queries, and TF-IDF keywords computed from
  the tokens already produced (no second jieba pass).
* :func:`find_organisations` — organisation mentions normalised to canonical
  names, with relative names (``省红十字会``, ``市红十字会``, ``我会``) resolved
  against the page's publisher, subject city or regional prefix.
* :data:`TOPICS` and :func:`assign_topics` — the starting taxonomy and the
  keyword rule that assigns it.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import mul
from pathlib import Path

import jieba

from .segmenter_backends import word_cutter

__all__ = [
    "TOPICS",
    "OrgMention",
    "Segmenter",
    "assign_topics",
    "find_organisations",
    "get_segmenter",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"
IDF_PATH = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"

# ---------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------

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

# ---------------------------------------------------------------------------
# Segmentation
# ---------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    """Whitespace-separated word lists kept readable as data."""
    return frozenset(text.split())


# Full-width ASCII letters and digits (and NUL, ideographic space) folded before
# segmentation so that "２０２１" and "2021", "ＡＥＤ" and "AED" index alike.
# Full-width punctuation is left alone: jieba treats it as punctuation anyway.
_FULLWIDTH_RE = re.compile("[\x00\u3000\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c).isalnum()}
_FULLWIDTH_TABLE.update({0x3000: " ", 0x00: " "})

_HAS_WORD = re.compile(r"[^\W_]").search
# Characters kept inside a query term; everything else (tsquery operators & | ! : * < > ( ),
# quotes, backslashes, NUL...) splits the term.
_QUERY_SPLIT = re.compile(r"[^\w.+#%\-]+")

# jieba's own keyword stop words (jieba/analyse/tfidf.py, KeywordExtractor.STOP_WORDS),
# copied so that importing jieba.analyse (which eagerly loads the 6 MB idf table) is avoided.
_JIEBA_STOP_WORDS = _wordset(
    "the of is and to in that we for an are by be as on with can if from which you it "
    "this then at have all not one has or"
)
# Chinese function words and bulletin boilerplate that jieba ships no list for.
_CHINESE_STOP_WORDS = _wordset(
    """
    我们 你们 他们 她们 它们 大家 自己 这个 那个 这些 那些 这样 那样 这里 那里 一个 一些 一批 一是 二是 三是
    没有 可以 进行 通过 以及 并且 而且 但是 因为 所以 如果 虽然 已经 正在 还是 或者 其中 之一 等等 方面
    有关 相关 其他 其它 各种 各项 各类 什么 怎么 如何 为了 对于 关于 由于 根据 按照 之后 之前 以后 以前
    以上 以下 同时 不断 积极 进一步 认真 充分 切实 深入 全面 加强 推进 推动 开展 工作 活动 提高 提升
    坚持 要求 指出 强调 表示 今年 去年 目前 近日 日前 当前 此次 本次 期间 不仅 还有 作为 就是 只有 以来
    一起 一直 一定 更加 更好 持续 努力 实现 做好 做到 取得 参加 参与 组织 召开 举行 举办 主持 出席 负责人
    所有 每个 任何 之间 以外 有效 重要 主要 全省 全市 全县 各级 我省 我市 本省 本市 我会 同志
    红十字 红十字会 十字会 红十字事业 红十字系统 红十字工作 红十字人
    """
)
_STOP_WORDS = _JIEBA_STOP_WORDS | _CHINESE_STOP_WORDS
_NUMBER_LIKE = re.compile(r"^(?:.*\d.*|[零〇一二三四五六七八九十百千万亿两几半第]+)$")

_WORD_CACHE_SIZE = 300_000
_LOAD_LOCK = threading.Lock()
_SEGMENTER: Segmenter | None = None
_IDF: tuple[dict[str, float], float] | None = None


def _cache_dir() -> str:
    """A writable directory for jieba's prefix-dictionary cache (``JIEBA_CACHE_DIR`` overrides)."""
    wanted = os.environ.get("JIEBA_CACHE_DIR") or tempfile.gettempdir()
    try:
        os.makedirs(wanted, exist_ok=True)
        if os.access(wanted, os.W_OK):
            return wanted
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="jieba-")


def _load_idf() -> tuple[dict[str, float], float]:
    """jieba's bundled IDF table and its median (the weight of unknown words), loaded once."""
    global _IDF
    if _IDF is None:
        with _LOAD_LOCK:
            if _IDF is None:
                idf: dict[str, float] = {}
                with open(IDF_PATH, encoding="utf-8") as fh:
                    for line in fh:
                        word, _, value = line.strip().partition(" ")
                        if value:
                            idf[word] = float(value)
                values = sorted(idf.values())
                _IDF = (idf, values[len(values) // 2] if values else 10.0)
    return _IDF


@dataclass(slots=True)
class Segmented:
    """One text's search-mode tokens and the plain words they came from (see :meth:`Segmenter.words`).

    The words are kept as two parallel lists (each plain word, and what search
    mode emitted for it) so keywords and topics can count and look them up
    with C-level ``Counter`` and ``map`` calls instead of a Python loop.
    """

    tokens: list[str]
    plain: list[str]
    emitted: list[tuple[str, ...]]

    @property
    def words(self) -> list[tuple[str, tuple[str, ...]]]:
        return list(zip(self.plain, self.emitted, strict=True))


class Segmenter:
    """A private jieba tokenizer with the domain user dictionary.

    Use :func:`get_segmenter`, which builds one per process; building a second
    one costs another 0.4 s and ~90 MB.
    """

    def __init__(self, user_dict: str | Path | None = USER_DICT) -> None:
        if logging.getLogger("jieba").level in (logging.NOTSET, logging.DEBUG):
            jieba.setLogLevel(logging.WARNING)  # jieba logs every load to stderr at DEBUG
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = _cache_dir()
        tokenizer.initialize()
        if user_dict is not None and Path(user_dict).is_file():
            tokenizer.load_userdict(str(user_dict))
        self._tokenizer = word_cutter(tokenizer, user_dict)  # jieba's words, cut faster where possible
        self._freq: dict[str, int] = tokenizer.FREQ
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._kw_cache: dict[str, tuple[str, ...]] = {}
        self._idf_cache: dict[str, float] = {}

    # -- tokens ----------------------------------------------------------

    @staticmethod
    def _normalise(text: str) -> str:
        if _FULLWIDTH_RE.search(text):
            text = text.translate(_FULLWIDTH_TABLE)
        return text

    def _grams(self, word: str) -> tuple[str, ...]:
        """The dictionary words inside ``word`` that search mode emits before it.

        jieba's ``cut_for_search`` emits the 2- and 3-character dictionary words
        inside a longer word; words of 5+ characters also get their inner 4+ character
        dictionary words here, so that ``红十字会`` is a lexeme of ``湖北省红十字会``
        and a query for it matches (a superset of ``cut_for_search``).
        """
        n = len(word)
        freq = self._freq
        out: list[str] = []
        for size in range(2, n):
            if size == 4 and n <= 4:
                break
            for i in range(n - size + 1):
                gram = word[i : i + size]
                if freq.get(gram):
                    out.append(gram)
            if size == 3 and n <= 4:
                break
        return tuple(out)

    def _word_tokens(self, word: str) -> tuple[str, ...]:
        """What one plain word contributes to :meth:`tokens` (inner words, then itself), cached."""
        cached = self._word_cache.get(word)
        if cached is None:
            out = [g.lower() if g.isascii() else g for g in self._grams(word) if _HAS_WORD(g)] if len(word) > 2 else []
            if _HAS_WORD(word):
                out.append(word.lower() if word.isascii() else word)
            cached = tuple(out)
            if len(self._word_cache) < _WORD_CACHE_SIZE:
                self._word_cache[word] = cached
        return cached

    def tokens(self, text: str) -> list[str]:
        """Search-mode tokens (HMM on), no whitespace or punctuation, ASCII lower-cased.

        Full-width letters and digits are folded to ASCII first.
        """
        if not text:
            return []
        out: list[str] = []
        extend = out.extend
        cached = self._word_cache.get
        compute = self._word_tokens
        for word in self._tokenizer.cut(self._normalise(text), HMM=True):
            found = cached(word)
            extend(compute(word) if found is None else found)
        return out

    def segmented(self, text: str) -> Segmented:
        """:meth:`tokens` and :meth:`words` of ``text`` from one jieba pass.

        Why: the importer needs both (tokens for the search vector, plain words
        for keywords and topics); recovering the words from the tokens again
        would cost a second walk over every token.
        """
        tokens: list[str] = []
        plain: list[str] = []
        emitted_list: list[tuple[str, ...]] = []
        if text:
            extend = tokens.extend
            add_plain = plain.append
            add_emitted = emitted_list.append
            cached = self._word_cache.get
            compute = self._word_tokens
            for word in self._tokenizer.cut(self._normalise(text), HMM=True):
                emitted = cached(word)
                if emitted is None:
                    emitted = compute(word)
                if not emitted:
                    continue
                extend(emitted)
                if emitted[-1] == word or _HAS_WORD(word):
                    add_plain(emitted[-1])
                    add_emitted(emitted)
                else:  # punctuation around letters: its pieces are words of their own, as in :meth:`words`
                    plain.extend(emitted)
                    emitted_list.extend((piece,) for piece in emitted)
        return Segmented(tokens, plain, emitted_list)

    def _as_segmented(self, tokens: list[str] | Segmented) -> Segmented:
        if isinstance(tokens, Segmented):
            return tokens
        words = self.words(tokens)
        return Segmented(tokens, [word for word, _ in words], [emitted for _, emitted in words])

    def segment(self, text: str) -> str:
        """Space-joined tokens: what goes into ``to_tsvector('simple', …)``."""
        return " ".join(self.tokens(text))

    def query_terms(self, q: str) -> list[str]:
        """A visitor's query segmented like the documents, deduplicated, order kept.

        Characters that mean something to ``to_tsquery`` (``& | ! : * < > ( )``),
        quotes, backslashes and NUL never survive: each term is made only of
        letters, digits, CJK characters and ``. + # % - _``.
        """
        if not q:
            return []
        seen: dict[str, None] = {}
        for token in self.tokens(q[:1000]):
            for piece in _QUERY_SPLIT.split(token):
                piece = piece.strip(".-+#%_")
                if piece and _HAS_WORD(piece):
                    seen.setdefault(piece, None)
        return list(seen)

    # -- top-level words ---------------------------------------------------

    def words(self, tokens: list[str]) -> list[tuple[str, tuple[str, ...]]]:
        """Recover the plain (non-search-mode) words from search-mode tokens.

        Returns ``(word, emitted)`` pairs where ``emitted`` holds the inner dictionary
        words search mode emitted for the word, then the word itself. Tokens that do
        not follow the search-mode pattern are kept as words of their own.
        """
        result: list[tuple[str, tuple[str, ...]]] = []
        append = result.append
        cached = self._word_cache.get
        i = len(tokens) - 1
        while i >= 0:
            word = tokens[i]
            if len(word) > 2:
                emitted = cached(word) or self._word_tokens(word)
                k = len(emitted) - 1
                if k > 0 and i >= k and emitted[-1] == word and tuple(tokens[i - k : i]) == emitted[:-1]:
                    append((word, emitted))
                    i -= k + 1
                    continue
            append((word, (word,)))
            i -= 1
        result.reverse()
        return result

    def keywords(self, tokens: list[str] | Segmented, k: int = 8) -> list[str]:
        """TF-IDF keywords of a text, from its already-computed :meth:`tokens` (or :meth:`segmented`).

        Term frequencies are counted over the plain words (the inner words that
        search mode adds are not counted twice), weighted with jieba's bundled IDF
        table (median IDF for unknown words), like ``jieba.analyse.extract_tags``.
        Single characters, numbers and stop words (jieba's list plus a Chinese one)
        are skipped. Ties keep first-occurrence order.
        """
        plain = self._as_segmented(tokens).plain
        if not plain or k <= 0:
            return []
        counts = Counter(plain)
        weights = list(map(self._idf_cache.get, counts))
        if None in weights:
            weights = [self._idf_weight(word) if w is None else w for word, w in zip(counts, weights, strict=True)]
        # Count times IDF: dividing every score by the same total word count would change no order.
        scored = dict(zip(counts, map(mul, counts.values(), weights), strict=True))
        best = sorted(scored, key=scored.__getitem__, reverse=True)[:k]
        return [word for word in best if scored[word] > 0]

    def _idf_weight(self, word: str) -> float:
        """A word's IDF, or 0.0 for words that are never keywords (stop words, numbers, single characters); cached."""
        if len(word) < 2 or word in _STOP_WORDS or _NUMBER_LIKE.match(word) or not _HAS_WORD(word):
            weight = 0.0
        else:
            idf, median = _load_idf()
            weight = idf.get(word, median)
        if len(self._idf_cache) < _WORD_CACHE_SIZE:
            self._idf_cache[word] = weight
        return weight

    def keyword_words(self, keyword: str) -> tuple[str, ...]:
        """How a topic keyword segments (plain words, lower-cased), cached."""
        cached = self._kw_cache.get(keyword)
        if cached is None:
            cached = tuple(
                w.lower() if w.isascii() else w
                for w in self._tokenizer.cut(self._normalise(keyword), HMM=True)
                if _HAS_WORD(w)
            )
            self._kw_cache[keyword] = cached
        return cached

    def cut(self, text: str) -> list[str]:
        """Plain jieba words (default mode, HMM on), punctuation included."""
        return self._tokenizer.lcut(text, HMM=True)


def get_segmenter() -> Segmenter:
    """The process-wide :class:`Segmenter`, built on first use (thread-safe)."""
    global _SEGMENTER
    if _SEGMENTER is None:
        with _LOAD_LOCK:
            if _SEGMENTER is None:
                _SEGMENTER = Segmenter()
    return _SEGMENTER


# ---------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------

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
    segmented = segmenter._as_segmented(tokens)
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
                if len(carried) < _WORD_CACHE_SIZE:
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
    if rules.has_multis:
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
    else:
        pos = sum(map(len, plain))
    threshold = min_hits_short if pos < short_text_chars else min_hits_long
    return [slug for slug, found in zip(rules.slugs, spans, strict=True) if found and _count_merged(found) >= threshold]


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


# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------

# A compact gazetteer rather than cpca/jionlp: those bring pandas-sized data and a
# slow import into every worker for what is, here, a suffix lookup over a few hundred
# names. All 34 provincial-level divisions are listed with their short forms; the
# prefecture-level cities and the counties/districts are listed for 湖北, 浙江 and 河北
# (the seeds' provinces), plus the capitals and best-known cities elsewhere. Format:
# ``full|alias|alias`` — short forms without 市/省 are derived automatically for cities
# and county-level cities; counties and districts get only the aliases written here.
PROVINCES: dict[str, str] = {
    "北京": "北京市",
    "天津": "天津市",
    "河北": "河北省",
    "山西": "山西省",
    "内蒙古": "内蒙古自治区",
    "辽宁": "辽宁省",
    "吉林": "吉林省",
    "黑龙江": "黑龙江省",
    "上海": "上海市",
    "江苏": "江苏省",
    "浙江": "浙江省",
    "安徽": "安徽省",
    "福建": "福建省",
    "江西": "江西省",
    "山东": "山东省",
    "河南": "河南省",
    "湖北": "湖北省",
    "湖南": "湖南省",
    "广东": "广东省",
    "广西": "广西壮族自治区",
    "海南": "海南省",
    "重庆": "重庆市",
    "四川": "四川省",
    "贵州": "贵州省",
    "云南": "云南省",
    "西藏": "西藏自治区",
    "陕西": "陕西省",
    "甘肃": "甘肃省",
    "青海": "青海省",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "台湾": "台湾省",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
# Red Cross societies whose name does not follow "<full name>红十字会".
_PROVINCE_RC_NAMES = {"香港": "香港红十字会", "澳门": "澳门红十字会", "台湾": ""}

CITIES: dict[str, dict[str, str]] = {
    "湖北": {
        "武汉市": "江岸区 江汉区 硚口区 汉阳区 武昌区 青山区 洪山区 东西湖区 汉南区 蔡甸区 江夏区 黄陂区 新洲区",
        "黄石市": "黄石港区 西塞山区 下陆区 铁山区 阳新县 大冶市",
        "十堰市": "茅箭区 张湾区 郧阳区 郧西县 竹山县 竹溪县 房县 丹江口市",
        "宜昌市": "西陵区 伍家岗区 点军区 猇亭区 夷陵区 远安县 兴山县 秭归县 "
        "长阳土家族自治县|长阳县 五峰土家族自治县|五峰县 宜都市 当阳市 枝江市",
        "襄阳市": "襄城区 樊城区 襄州区 南漳县 谷城县 保康县 老河口市 枣阳市 宜城市",
        "鄂州市": "梁子湖区 华容区 鄂城区",
        "荆门市": "东宝区 掇刀区 沙洋县 钟祥市 京山市",
        "孝感市": "孝南区 孝昌县 大悟县 云梦县 应城市 安陆市 汉川市",
        "荆州市": "沙市区 荆州区 公安县 江陵县 石首市 洪湖市 松滋市 监利市",
        "黄冈市": "黄州区 团风县 红安县 罗田县 英山县 浠水县 蕲春县 黄梅县 麻城市 武穴市",
        "咸宁市": "咸安区 嘉鱼县 通城县 崇阳县 通山县 赤壁市",
        "随州市": "曾都区 随县 广水市",
        "恩施土家族苗族自治州|恩施|恩施州": "恩施市 利川市 建始县 巴东县 宣恩县 咸丰县 来凤县 鹤峰县",
        "仙桃市": "",
        "潜江市": "",
        "天门市": "",
        "神农架林区|神农架|林区": "",
    },
    "浙江": {
        "杭州市": "上城区 下城区 江干区 拱墅区 西湖区 滨江区 萧山区 余杭区 临平区 钱塘区 富阳区 临安区 "
        "桐庐县 淳安县 建德市",
        "宁波市": "海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 象山县 宁海县 余姚市 慈溪市",
        "温州市": "鹿城区 龙湾区 瓯海区 洞头区 永嘉县 平阳县 苍南县 文成县 泰顺县 瑞安市 乐清市 龙港市",
        "嘉兴市": "南湖区 秀洲区 嘉善县 海盐县 海宁市 平湖市 桐乡市",
        "湖州市": "吴兴区 南浔区 德清县 长兴县 安吉县",
        "绍兴市": "越城区 柯桥区 上虞区 新昌县 诸暨市 嵊州市",
        "金华市": "婺城区 金东区 武义县 浦江县 磐安县 兰溪市 义乌市 东阳市 永康市",
        "衢州市": "柯城区 衢江区 常山县 开化县 龙游县 江山市",
        "舟山市": "定海区 普陀区 岱山县 嵊泗县",
        "台州市": "椒江区 黄岩区 路桥区 三门县 天台县 仙居县 温岭市 临海市 玉环市",
        "丽水市": "莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县|景宁县 龙泉市",
    },
    "河北": {
        "石家庄市": "长安区 桥西区 新华区 井陉矿区 裕华区 藁城区 鹿泉区 栾城区 井陉县 正定县 行唐县 灵寿县 "
        "高邑县 深泽县 赞皇县 无极县 平山县 元氏县 赵县 辛集市 晋州市 新乐市",
        "唐山市": "路南区 路北区 古冶区 开平区 丰南区 丰润区 曹妃甸区 滦南县 乐亭县 迁西县 玉田县 遵化市 迁安市 滦州市",
        "秦皇岛市": "海港区 山海关区 北戴河区 抚宁区 青龙满族自治县 昌黎县 卢龙县",
        "邯郸市": "邯山区 丛台区 复兴区 峰峰矿区 肥乡区 永年区 武安市",
        "邢台市": "襄都区 信都区 任泽区 南和区 南宫市 沙河市",
        "保定市": "竞秀区 莲池区 满城区 清苑区 徐水区 涿州市 安国市 高碑店市 雄县 容城县 安新县",
        "张家口市": "桥东区 宣化区 下花园区 万全区 崇礼区",
        "承德市": "双桥区 双滦区 鹰手营子矿区 平泉市",
        "沧州市": "新华区 运河区 泊头市 任丘市 黄骅市 河间市",
        "廊坊市": "安次区 广阳区 霸州市 三河市",
        "衡水市": "桃城区 冀州区 深州市",
        "定州市": "",
    },
    "江苏": {"南京市": "", "苏州市": "", "无锡市": "", "常州市": "", "南通市": "", "扬州市": "", "徐州市": ""},
    "广东": {"广州市": "", "深圳市": "", "珠海市": "", "佛山市": "", "东莞市": ""},
    "山东": {"济南市": "", "青岛市": "", "烟台市": ""},
    "福建": {"福州市": "", "厦门市": "", "泉州市": ""},
    "四川": {"成都市": "", "绵阳市": ""},
    "河南": {"郑州市": "", "新乡市": "", "洛阳市": ""},
    "湖南": {"长沙市": ""},
    "安徽": {"合肥市": ""},
    "江西": {"南昌市": ""},
    "山西": {"太原市": ""},
    "陕西": {"西安市": ""},
    "辽宁": {"沈阳市": "", "大连市": ""},
    "吉林": {"长春市": ""},
    "黑龙江": {"哈尔滨市": ""},
    "广西": {"南宁市": ""},
    "海南": {"海口市": "", "三亚市": ""},
    "贵州": {"贵阳市": ""},
    "云南": {"昆明市": ""},
    "甘肃": {"兰州市": ""},
    "青海": {"西宁市": ""},
    "宁夏": {"银川市": ""},
    "新疆": {"乌鲁木齐市": ""},
    "内蒙古": {"呼和浩特市": ""},
    "西藏": {"拉萨市": ""},
}

NATIONAL_RC = "中国红十字会总会"


@dataclass(frozen=True)
class OrgMention:
    name: str  # canonical, e.g. "湖北省红十字会"
    kind: str  # "redcross" | "government" | "hospital" | "other"
    level: str  # "national" | "province" | "city" | "county" | "other"
    region: str  # e.g. "湖北" / "十堰" / "宁波"
    parent: str = ""  # canonical name of the parent organisation where inferable


@dataclass(frozen=True)
class _Place:
    full: str  # 湖北省, 十堰市, 恩施土家族苗族自治州, 上城区
    short: str  # 湖北, 十堰, 恩施, 上城
    level: str  # province | city | county
    province: str  # short province name
    city: str = ""  # full name of the parent city, for counties

    @property
    def rc_name(self) -> str:
        if self.level == "province":
            return _PROVINCE_RC_NAMES.get(self.short, self.full + "红十字会")
        return self.prefix + "红十字会"

    @property
    def prefix(self) -> str:
        """How an organisation of this place is named: districts carry their city (杭州市上城区)."""
        if self.level == "county" and self.city and self.full.endswith("区"):
            return self.city + self.full
        return self.full

    @property
    def rc_parent(self) -> str:
        if self.level == "province":
            return NATIONAL_RC
        if self.level == "city":
            return _PROVINCE_PLACES[self.province].rc_name if self.province in _PROVINCE_PLACES else ""
        if self.city and self.city in _PLACES_BY_FULL:
            return _PLACES_BY_FULL[self.city].rc_name
        return ""


_PROVINCE_PLACES: dict[str, _Place] = {}
_PLACES_BY_FULL: dict[str, _Place] = {}
_ALIASES: dict[str, list[_Place]] = {}
_ADMIN_SUFFIXES = ("自治区", "自治州", "自治县", "特别行政区", "林区", "矿区", "省", "市", "州", "县", "区")


def _short_name(full: str) -> str:
    for suffix in _ADMIN_SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


def _register(place: _Place, aliases: list[str]) -> None:
    _PLACES_BY_FULL.setdefault(place.full, place)
    for alias in dict.fromkeys([place.full, *aliases]):
        bucket = _ALIASES.setdefault(alias, [])
        if place not in bucket:
            bucket.append(place)


def _build_gazetteer() -> None:
    for short, full in PROVINCES.items():
        place = _Place(full=full, short=short, level="province", province=short)
        _PROVINCE_PLACES[short] = place
        _register(place, [short])
    for province, cities in CITIES.items():
        for city_spec, counties in cities.items():
            city_full, *city_aliases = city_spec.split("|")
            city_short = city_aliases[0] if city_aliases else _short_name(city_full)
            city = _Place(full=city_full, short=city_short, level="city", province=province)
            _register(city, [*city_aliases, _short_name(city_full)])
            for spec in counties.split():
                full, *aliases = spec.split("|")
                derived = [_short_name(full)] if full.endswith("市") else []
                county = _Place(full=full, short=_short_name(full), level="county", province=province, city=city_full)
                _register(county, [*aliases, *derived])


_build_gazetteer()
_MAX_ALIAS = max(len(a) for a in _ALIASES)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# Characters that, directly before a bare 省/市 (``向市红十字会``, ``受到省红十字会``),
# show it is the relative form "the province's / the city's".
_TRIGGERS = frozenset("与和及同向由在对为把将被经从到赴了的是得成让给请随跟并即据至于往受获表我本")
# Characters before a bare 省/市/县 that make the phrase collective, not an organisation.
_COLLECTIVE = frozenset("全各外该跨两邻他其每个些多几等省市县区州地乡城级")

# Two-character verbs that end right before a bare 市/省 (``联合市教育局``): the place is relative,
# and the verb is never a place name of its own.
_RELATIVE_VERBS = _wordset(
    "联合 会同 协同 配合 携手 指导 支持 协助 邀请 陪同 带领 组织 动员 督促 获得 完成 依托 通过 依靠 推动 联系 "
    "会上 会后 其中 以及 全体 各个 争取 向着 对接 走进 来到 前往 深入 汇报 报请 报送 接受 得到 受到 筹抓"
)

_RC = "红十字会"
_SENTENCE_END = re.compile(r"[。！？!?；;\n▲]")
_BOOK_TITLE = re.compile(r"《[^《》\n]{0,60}》")

_GOV_BODIES: dict[str, str] = {
    "妇女联合会": "妇女联合会",
    "妇联": "妇女联合会",
    "残疾人联合会": "残疾人联合会",
    "残联": "残疾人联合会",
    "总工会": "总工会",
    "科学技术协会": "科学技术协会",
    "科协": "科学技术协会",
    "卫生健康委员会": "卫生健康委员会",
    "卫健委": "卫生健康委员会",
    "教育厅": "教育厅",
    "教育局": "教育局",
    "公安厅": "公安厅",
    "公安局": "公安局",
    "民政厅": "民政厅",
    "民政局": "民政局",
    "财政厅": "财政厅",
    "财政局": "财政局",
    "应急管理厅": "应急管理厅",
    "应急管理局": "应急管理局",
    "消防救援总队": "消防救援总队",
    "消防救援支队": "消防救援支队",
    "大数据局": "大数据局",
    "文明办": "文明办",
    "卫生健康局": "卫生健康局",
    "卫健局": "卫生健康局",
}
_GOV_RE = re.compile("|".join(sorted(_GOV_BODIES, key=len, reverse=True)))

# Named organisations that are not place-bound.
_FIXED_ORGS: dict[str, OrgMention] = {
    "红十字国际委员会": OrgMention("红十字国际委员会", "redcross", "other", ""),
    "红十字会与红新月会国际联合会": OrgMention("红十字会与红新月会国际联合会", "redcross", "other", ""),
    "中华骨髓库": OrgMention("中华骨髓库", "redcross", "national", "中国", NATIONAL_RC),
}
_FIXED_RE = re.compile("|".join(sorted(_FIXED_ORGS, key=len, reverse=True)))
_NATIONAL_RE = re.compile(r"中国红十字会总会|中国红十字会|红十字会总会|红十字总会|(?<![红字工善商])总会(?![计长])")
_WE_RE = re.compile(r"(?<=[^\u4e00-\u9fff]|[为向对在由经与和及把将被了])我会(?!员|计|议)")

_HOSPITAL_STOP = _wordset(
    """
    和 与 及 同 在 到 赴 向 由 的 是 为 对 将 被 把 从 了 等 并 或 还 也 均 都 所 给 送 往 至 于 经 即 其 这 那 此 该 本
    前往 走进 来到 深入 联合 组织 慰问 看望 参观 调研 走访 前来 携手 协助 支持 捐赠 捐献 送往 转运 转至 进入 入住
    住进 抵达 到达 位于 其中 包括 以及 各级 全省 全市 多家 多个 一家 定点 附近 当地 开展 举行 召开 参加 获得 授予
    分别 先后 共同 一起 积极 已经 以及 还有 院长 书记 主任 志愿者 队员 人员 患者 同志 与会
    """
)
_HOSPITAL_GENERIC = _wordset(
    """
    人民 中心 定点 方舱 公立 民营 基层 社区 乡镇 县级 市级 省级 各级 大 小 综合 专科 三甲 二甲 三级 二级 儿童 中医
    当地 附近 该 这家 多家 各大 部分 所在 就近 一家 各 全 省 市 县 区 妇幼 传染病 精神病 口腔 眼科 肿瘤 部队 军队
    """
)


def _sentence_starts(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)]


class _Context:
    """Where relative names point: publisher, page subject, regional prefix, and the sentence."""

    def __init__(self, text: str, publisher: str, subject_city: str, region: str) -> None:
        self.text = text
        self.breaks = _sentence_starts(text)
        self.publisher_place: _Place | None = None
        self.publisher_org: OrgMention | None = None
        if publisher:
            pub = _explicit_mentions(publisher)
            if pub:
                self.publisher_org = pub[0][1]
                self.publisher_place = pub[0][2]
        self.subject = _lookup_place(subject_city) if subject_city else None
        self.region = _lookup_place(region) if region else None
        self.local: dict[int, _Place] = {}  # sentence index -> last explicit place

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.breaks, pos)

    def note(self, pos: int, place: _Place) -> None:
        self.local[self.sentence(pos)] = place

    def _candidates(self, pos: int) -> list[_Place]:
        found = [self.local.get(self.sentence(pos)), self.subject, self.region, self.publisher_place]
        return [p for p in found if p is not None]

    def province(self, pos: int) -> _Place | None:
        for place in self._candidates(pos):
            if place.province in _PROVINCE_PLACES:
                return _PROVINCE_PLACES[place.province]
        return None

    def city(self, pos: int, suffix: str = "市") -> _Place | None:
        for place in self._candidates(pos):
            if place.full.endswith(suffix):
                return place
            if place.level == "county" and suffix == "市" and place.city in _PLACES_BY_FULL:
                return _PLACES_BY_FULL[place.city]
        return None


def _lookup_place(name: str) -> _Place | None:
    name = name.strip()
    for candidate in (name, name + "市", _short_name(name)):
        places = _ALIASES.get(candidate)
        if places:
            cities = [p for p in places if p.level != "county"]
            return (cities or places)[0]
    return None


def _place_before(text: str, end: int, ctx: _Context | None) -> tuple[_Place | None, int]:
    """The longest gazetteer name ending at ``end``, with its start; ambiguity resolved by context."""
    lo = max(0, end - _MAX_ALIAS)
    for start in range(lo, end - 1):
        places = _ALIASES.get(text[start:end])
        if not places:
            continue
        place = places[0]
        if len(places) > 1:
            place = _disambiguate(text, start, places, ctx)
        if place.level == "county":
            place = _check_county(text, start, place, ctx)
        return place, start
    return None, end


def _disambiguate(text: str, start: int, places: list[_Place], ctx: _Context | None) -> _Place:
    """Pick among same-named places (新华区 is in 石家庄 and in 沧州) by the city named just
    before or in context; if only the province is known, keep the name and drop the parent."""
    before, _ = _place_before(text, start, None)
    cities = {before.full} if before else set()
    provinces = {before.province} if before else set()
    if ctx is not None:
        for p in ctx._candidates(start):
            cities.update((p.full, p.city))
            provinces.add(p.province)
    for p in places:
        if p.city and p.city in cities:
            return p
    first = places[0]
    in_province = [p for p in places if p.province in provinces] or places
    if len({p.province for p in in_province}) == 1:
        return _Place(first.full, first.short, first.level, in_province[0].province)
    return _Place(first.full, first.short, first.level, "")


def _check_county(text: str, start: int, place: _Place, ctx: _Context | None) -> _Place:
    """A district name in another province's context keeps its name but loses the parent."""
    before, _ = _place_before(text, start, None)
    if before is not None and before.level in ("city", "province"):
        if before.full == place.city or before.short == place.province:
            return place
        return _Place(place.full, place.short, "county", before.province)
    if ctx is not None:
        province = ctx.province(start)
        if province is not None and province.short != place.province:
            return _Place(place.full, place.short, "county", province.short)
    return place


def _unknown_place(text: str, suffix_pos: int) -> _Place | None:
    """``成都市`` style names missing from the gazetteer, accepted only after a clear boundary."""
    suffix = text[suffix_pos]
    for size in (2, 3):
        start = suffix_pos - size
        if start < 0:
            break
        name = text[start:suffix_pos]
        if not all(_is_cjk(c) for c in name) or any(c in _COLLECTIVE or c in _TRIGGERS for c in name):
            continue
        if name in _RELATIVE_VERBS or name[-2:] in _RELATIVE_VERBS:
            continue
        if start == 0 or not _is_cjk(text[start - 1]) or text[start - 1] in _TRIGGERS:
            level = "city" if suffix in "市州盟" else "county"
            return _Place(full=name + suffix, short=name, level=level, province="")
    return None


def _resolve_prefix(text: str, pos: int, ctx: _Context | None, *, relative: bool = True) -> tuple[_Place | None, bool]:
    """The place named just before ``pos`` (``湖北省``/``十堰``/``省``/``市``); (place, was_explicit)."""
    place, _ = _place_before(text, pos, ctx)
    if place is not None:
        return place, True
    if pos == 0:
        return None, False
    c = text[pos - 1]
    b = text[pos - 2] if pos >= 2 else ""
    if c not in "省市州县区":
        return None, False
    if b and b in _COLLECTIVE and b not in "我本":
        return None, False
    bare = not b or not _is_cjk(b) or b in _TRIGGERS
    if bare:
        if not relative or ctx is None:
            return None, False
        if c == "省":
            return ctx.province(pos), False
        if c in "市州":
            return ctx.city(pos, c), False
        return None, False
    if c == "省":  # any other character before 省: still "the province's" (受到省红十字会)
        return (ctx.province(pos) if relative and ctx is not None else None), False
    if text[max(0, pos - 3) : pos - 1] in _RELATIVE_VERBS:
        if relative and ctx is not None and c in "市州":
            return ctx.city(pos, c), False
        return None, False
    unknown = _unknown_place(text, pos - 1)
    return unknown, unknown is not None


def _in_book_title(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, 10**9)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _rc_mention(place: _Place) -> OrgMention:
    return OrgMention(place.rc_name, "redcross", place.level, place.short, place.rc_parent)


def _explicit_mentions(text: str) -> list[tuple[int, OrgMention, _Place]]:
    """Red Cross societies named in full (used for the publisher string)."""
    out = []
    for m in re.finditer(_RC, text):
        place, explicit = _resolve_prefix(text, m.start(), None, relative=False)
        if place is not None and explicit and place.rc_name:
            out.append((m.start(), _rc_mention(place), place))
    return out


def find_organisations(text: str, *, publisher: str = "", subject_city: str = "", region: str = "") -> list[OrgMention]:
    """Organisations mentioned in ``text``, canonical names, deduplicated, in order of first mention.

    * Red Cross societies: ``湖北省红十字会``, ``十堰市红十字会``, ``杭州市上城区红十字会``,
      ``恩施州红十字会`` (→ 恩施土家族苗族自治州红十字会); relative ``省红十字会`` → the publisher's
      (or the page's) province, ``市红十字会``/``我市红十字会`` → the sentence's last named city,
      else ``subject_city``, else ``region``, else the publisher's city; ``我会`` → the publisher;
      ``总会``/``中国红十字会`` → 中国红十字会总会. Collective phrases (``全省红十字会``,
      ``各级红十字会``, ``县级红十字会``), ``红十字会员`` and names inside 《book titles》 are skipped.
    * ``region`` (a regional item's prefix such as ``宁波:``) names the reporting society, so
      its Red Cross society is listed first even when the text only says ``市红十字会``.
    * Government bodies from a short list (妇联, 公安局, 民政局, 卫健委, 消防救援总队…) with
      a place or a relative 省/市 before them: ``省妇联`` → 湖北省妇女联合会.
    * Hospitals: ``…医院`` with the name taken back to the nearest verb or function word
      (``联合中南医院`` → 中南医院); generic ones (定点医院, 人民医院 alone) are skipped.

    Names the gazetteer does not know (``成都市红十字会``) are accepted only right after a
    punctuation mark or a function word, so run-on phrases do not become organisations.
    """
    if not text:
        text = ""
    ctx = _Context(text, publisher, subject_city, region)
    found: list[tuple[int, int, OrgMention]] = []
    seq = 0

    def add(pos: int, mention: OrgMention) -> None:
        nonlocal seq
        found.append((pos, seq, mention))
        seq += 1

    if ctx.region is not None and ctx.region.rc_name:
        add(-1, _rc_mention(ctx.region))

    titles = [(m.start(), m.end()) for m in _BOOK_TITLE.finditer(text)]

    # Explicit places first, so relative names in the same sentence can use them.
    rc_hits: list[int] = []
    for m in re.finditer(_RC, text):
        pos = m.start()
        if text.startswith("员", m.end()) or _in_book_title(titles, pos):
            continue
        if text.startswith("中国", max(0, pos - 2)) or text.startswith("总会", m.end()):
            continue  # national, handled below
        place, explicit = _resolve_prefix(text, pos, None, relative=False)
        if place is not None and explicit:
            ctx.note(pos, place)
        rc_hits.append(pos)

    for pos in rc_hits:
        place, _ = _resolve_prefix(text, pos, ctx)
        if place is not None and place.rc_name:
            add(pos, _rc_mention(place))

    for m in _NATIONAL_RE.finditer(text):
        if _in_book_title(titles, m.start()):
            continue
        if m.group() == "总会":
            b = text[m.start() - 1] if m.start() else ""
            if b and _is_cjk(b) and b not in _TRIGGERS and b != "代":
                continue
            if text.startswith(("在", "有", "是", "要", "会", "能", "让", "把", "给"), m.end()):
                continue
        add(m.start(), OrgMention(NATIONAL_RC, "redcross", "national", "中国"))

    for m in _FIXED_RE.finditer(text):
        add(m.start(), _FIXED_ORGS[m.group()])

    if ctx.publisher_org is not None:
        for m in _WE_RE.finditer(text):
            add(m.start(), ctx.publisher_org)

    for m in _GOV_RE.finditer(text):
        if _in_book_title(titles, m.start()):
            continue
        place, _ = _resolve_prefix(text, m.start(), ctx)
        if place is None:
            continue
        body = _GOV_BODIES[m.group()]
        add(m.start(), OrgMention(place.prefix + body, "government", place.level, place.short))

    if "医院" in text:
        for pos, mention in _hospitals(text, ctx):
            add(pos, mention)

    found.sort(key=lambda item: (item[0], item[1]))
    result: dict[str, OrgMention] = {}
    for _, _, mention in found:
        result.setdefault(mention.name, mention)
    return list(result.values())


def _hospitals(text: str, ctx: _Context) -> list[tuple[int, OrgMention]]:
    out = []
    segmenter = get_segmenter()
    for m in re.finditer("医院", text):
        end = m.start()
        start = end
        while start > 0 and end - start < 24 and _is_cjk(text[start - 1]):
            start -= 1
        if start == end:
            continue
        words = segmenter.cut(text[start:end])
        kept: list[str] = []
        for word in reversed(words):
            if word in _HOSPITAL_STOP or (len(word) == 1 and word in _TRIGGERS):
                break
            kept.append(word)
        name = "".join(reversed(kept))
        if len(name) < 2 or len(name) > 20 or name in _HOSPITAL_GENERIC or name[-1] in "级甲":
            continue
        if name[0] in _COLLECTIVE and name[0] not in "省市":
            continue
        name_start = end - len(name)
        place = None
        if name[0] in "省市":
            place = ctx.province(name_start) if name[0] == "省" else ctx.city(name_start)
            if place is None:
                continue
            full = place.prefix + name[1:] + "医院"
        else:
            for size in range(min(len(name), _MAX_ALIAS), 1, -1):
                candidates = _ALIASES.get(name[:size])
                if candidates:
                    place = candidates[0]
                    break
            full = name + "医院"
            if place is not None and not name.startswith(place.full):
                # 湖北汽车工业学院附属医院: a place word in the name, not a provincial hospital
                out.append((name_start, OrgMention(full, "hospital", "other", place.short)))
                continue
        level = place.level if place is not None else "other"
        region = place.short if place is not None else ""
        out.append((name_start, OrgMention(full, "hospital", level, region)))
    return out
