"""Generic words that are never an article's keyword (``data/keyword_stopwords.txt``).

Pure Python (no Django). The list is data so an editor can extend it by the
rule written at the top of the file, without touching the code; it is read
once per process.

Why a stop list on top of TF-IDF: jieba's IDF table comes from general
Chinese text, where 社会, 统一 or 培训 are not common enough to be discounted;
in bulletins they stand in every article and crowd out the words that say
what an article is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .chinese_script import normalise

__all__ = ["STOPWORDS_PATH", "filter_keywords", "generic_words", "is_generic"]

STOPWORDS_PATH = Path(__file__).resolve().parent / "data" / "keyword_stopwords.txt"


def read_stopwords(path: str | Path) -> frozenset[str]:
    """The words of a stop-list file: whitespace-separated, ``#`` starts a comment, normal form."""
    words: set[str] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        words.update(normalise(word) for word in line.partition("#")[0].split())
    return frozenset(words)


@cache
def generic_words() -> frozenset[str]:
    """The archive's stop list, read once."""
    return read_stopwords(STOPWORDS_PATH)


def is_generic(word: str) -> bool:
    """True when ``word`` (in either script) is on the stop list."""
    return normalise(word.strip()) in generic_words()


def filter_keywords(words: Iterable[str], k: int | None = None) -> list[str]:
    """``words`` without generic ones (order kept, duplicates dropped), at most ``k`` of them."""
    stop = generic_words()
    out: list[str] = []
    for word in words:
        if normalise(word.strip()) not in stop and word not in out:
            out.append(word)
            if k is not None and len(out) >= k:
                break
    return out
