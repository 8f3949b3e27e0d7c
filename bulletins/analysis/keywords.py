"""TF-IDF keywords of a text from the words its segmentation already produced (no second jieba pass)."""

from __future__ import annotations

import re
from collections import Counter
from operator import mul
from pathlib import Path

import jieba

from .words import HAS_WORD, LOAD_LOCK, WORD_CACHE_SIZE, wordset

IDF_PATH = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"

# jieba's own keyword stop words (jieba/analyse/tfidf.py, KeywordExtractor.STOP_WORDS),
# copied so that importing jieba.analyse (which eagerly loads the 6 MB idf table) is avoided.
_JIEBA_STOP_WORDS = wordset(
    "the of is and to in that we for an are by be as on with can if from which you it "
    "this then at have all not one has or"
)
# Chinese function words and bulletin boilerplate that jieba ships no list for.
_CHINESE_STOP_WORDS = wordset(
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

_IDF: tuple[dict[str, float], float] | None = None


def _load_idf() -> tuple[dict[str, float], float]:
    """jieba's bundled IDF table and its median (the weight of unknown words), loaded once."""
    global _IDF
    if _IDF is None:
        with LOAD_LOCK:
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


def top_keywords(plain: list[str], k: int, weights: dict[str, float]) -> list[str]:
    """The ``k`` best keywords among a text's plain words (see :meth:`Segmenter.segmented`).

    Term frequencies are counted over the plain words (the inner words that
    search mode adds are not counted twice), weighted with jieba's bundled IDF
    table (median IDF for unknown words), like ``jieba.analyse.extract_tags``.
    Single characters, numbers and stop words (jieba's list plus a Chinese one)
    are skipped. Ties keep first-occurrence order. ``weights`` caches each
    word's weight across calls.
    """
    if not plain or k <= 0:
        return []
    counts = Counter(plain)
    found = list(map(weights.get, counts))
    if None in found:
        found = [_idf_weight(word, weights) if w is None else w for word, w in zip(counts, found, strict=True)]
    # Count times IDF: dividing every score by the same total word count would change no order.
    scored = dict(zip(counts, map(mul, counts.values(), found), strict=True))
    best = sorted(scored, key=scored.__getitem__, reverse=True)[:k]
    return [word for word in best if scored[word] > 0]


def _idf_weight(word: str, weights: dict[str, float]) -> float:
    """A word's IDF, or 0.0 for words that are never keywords (stop words, numbers, single characters); cached."""
    if len(word) < 2 or word in _STOP_WORDS or _NUMBER_LIKE.match(word) or not HAS_WORD(word):
        weight = 0.0
    else:
        idf, median = _load_idf()
        weight = idf.get(word, median)
    if len(weights) < WORD_CACHE_SIZE:
        weights[word] = weight
    return weight
