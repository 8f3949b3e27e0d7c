"""TF-IDF keywords of a text from the words its segmentation already produced (no second jieba pass)."""

from __future__ import annotations

import re
from collections import Counter
from operator import mul
from pathlib import Path

import jieba

from ..keyword_stopwords import generic_words
from .tables import cached_weights
from .words import HAS_WORD, LOAD_LOCK, WORD_CACHE_SIZE, wordset

IDF_PATH = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"

# jieba's own keyword stop words (jieba/analyse/tfidf.py, KeywordExtractor.STOP_WORDS),
# copied so that importing jieba.analyse (which eagerly loads the 6 MB idf table) is avoided.
_JIEBA_STOP_WORDS = wordset(
    "the of is and to in that we for an are by be as on with can if from which you it "
    "this then at have all not one has or"
)
# Chinese function words, bulletin boilerplate and generic words: the archive's stop list in
# data/keyword_stopwords.txt (with the rule for adding to it).
_STOP_WORDS = _JIEBA_STOP_WORDS | generic_words()
_NUMBER_LIKE = re.compile(r"^(?:.*\d.*|[零〇一二三四五六七八九十百千万亿两几半第]+)$")

_IDF: tuple[dict[str, float], float] | None = None


def _read_idf() -> dict[str, float]:
    idf: dict[str, float] = {}
    with open(IDF_PATH, encoding="utf-8") as fh:
        for line in fh:
            word, _, value = line.strip().partition(" ")
            if value:
                idf[word] = float(value)
    return idf


def _load_idf() -> tuple[dict[str, float], float]:
    """jieba's bundled IDF table and its median (the weight of unknown words), loaded once (from the table cache)."""
    global _IDF
    if _IDF is None:
        with LOAD_LOCK:
            if _IDF is None:
                idf = cached_weights("jieba-idf", [IDF_PATH], _read_idf)
                values = sorted(idf.values())
                _IDF = (idf, values[len(values) // 2] if values else 10.0)
    return _IDF


def top_keywords(plain: list[str], k: int, weights: dict[str, float]) -> list[str]:
    """The ``k`` best keywords among a text's plain words (see :meth:`Segmenter.segmented`).

    Term frequencies are counted over the plain words (the inner words that
    search mode adds are not counted twice), weighted with jieba's bundled IDF
    table (median IDF for unknown words), like ``jieba.analyse.extract_tags``.
    Single characters, numbers and stop words (jieba's list plus the archive's, see
    :mod:`bulletins.keyword_stopwords`)
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
