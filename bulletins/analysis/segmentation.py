"""Chinese word segmentation with jieba: one private tokenizer per process, search-mode tokens.

* :func:`get_segmenter` — one private ``jieba.Tokenizer`` per process, loaded
  lazily with ``data/userdict.txt`` (organisation names and Red Cross terms).
* :class:`Segmenter` — search-mode tokens for the PostgreSQL ``simple`` tsvector,
  the same treatment for visitors' queries, and the plain words behind the
  tokens, from which keywords (:mod:`.keywords`) and topics (:mod:`.topics`)
  are computed without a second jieba pass.
"""

from __future__ import annotations

import itertools
import logging
import operator
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import jieba

from .keywords import top_keywords
from .segmenter_backends import word_cutter
from .tables import cache_dir, cached_weights, cached_words
from .words import HAS_WORD, LOAD_LOCK, WORD_CACHE_SIZE

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"

# Full-width ASCII letters and digits (and NUL, ideographic space) folded before
# segmentation so that "２０２１" and "2021", "ＡＥＤ" and "AED" index alike.
# Full-width punctuation is left alone: jieba treats it as punctuation anyway.
_FULLWIDTH_RE = re.compile("[\x00\u3000\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c).isalnum()}
_FULLWIDTH_TABLE.update({0x3000: " ", 0x00: " "})

# Characters kept inside a query term; everything else (tsquery operators & | ! : * < > ( ),
# quotes, backslashes, NUL...) splits the term.
_QUERY_SPLIT = re.compile(r"[^\w.+#%\-]+")

_SEGMENTER: Segmenter | None = None
# The three parts of a word's share of Segmented (see Segmenter._word_parts).
_TOKENS, _PLAIN, _EMITTED = (operator.itemgetter(i) for i in range(3))


JIEBA_DICT = Path(jieba.__file__).resolve().parent / "dict.txt"
_REFERENCE_LOCK = threading.Lock()


class _Reference:
    """jieba's own tokenizer with the user dictionary, loaded on first use.

    Why lazily: with the fast cutter (:mod:`.segmenter_backends`) it is needed
    only to re-cut the rare ASCII word with punctuation, and loading its
    prefix dictionary (1-2 s) was most of an import worker's start-up.
    """

    def __init__(self, user_dict: str | Path | None) -> None:
        self._user_dict = user_dict
        self._tokenizer: jieba.Tokenizer | None = None

    def loaded(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with _REFERENCE_LOCK:
                if self._tokenizer is None:
                    tokenizer = jieba.Tokenizer()
                    tokenizer.tmp_dir = cache_dir()
                    tokenizer.initialize()
                    if self._user_dict is not None and Path(self._user_dict).is_file():
                        tokenizer.load_userdict(str(self._user_dict))
                    self._tokenizer = tokenizer
        return self._tokenizer

    def __getattr__(self, name):
        return getattr(self.loaded(), name)


def _sources(user_dict: str | Path | None) -> list[Path | None]:
    return [JIEBA_DICT, Path(user_dict) if user_dict is not None and Path(user_dict).is_file() else None]


def dictionary_words(reference: _Reference, user_dict: str | Path | None) -> frozenset[str]:
    """Every word of jieba's dictionary and the user dictionary (frequency above zero), from the table cache."""
    words = cached_words(
        "jieba-words", _sources(user_dict), lambda: sorted(word for word, freq in reference.FREQ.items() if freq)
    )
    return frozenset(words)


# The key under which the ASCII table keeps jieba's total frequency (no dictionary word is empty).
_TOTAL = ""


def ascii_reference(reference: _Reference, user_dict: str | Path | None) -> jieba.Tokenizer:
    """jieba's tokenizer for text made only of ASCII characters, loaded from the ASCII part of its dictionary.

    Why it cuts such text exactly as the whole tokenizer does: jieba looks up
    only pieces of the text it cuts (to build the word graph and to score each
    route, scaled by its total frequency), and every piece of an ASCII text is
    ASCII; so the few dozen ASCII entries of the dictionaries and the total
    decide the result. Loading the whole 500,000-entry dictionary instead cost
    each import worker 1.5-2.5 s on its first ASCII run with punctuation.
    The table is taken from the whole tokenizer once and kept in the table cache.
    """

    def build() -> dict[str, float]:
        table = {word: float(freq) for word, freq in reference.FREQ.items() if word.isascii()}
        return table | {_TOTAL: float(reference.total)}

    table = cached_weights("jieba-ascii", _sources(user_dict), build)
    tokenizer = jieba.Tokenizer()
    tokenizer.total = int(table.pop(_TOTAL))
    tokenizer.FREQ = {word: int(freq) for word, freq in table.items()}
    tokenizer.initialized = True
    return tokenizer


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
        reference = _Reference(user_dict)
        # jieba's words, cut faster where possible
        self._tokenizer = word_cutter(reference, user_dict, lambda: ascii_reference(reference, user_dict))
        self._words: frozenset[str] = dictionary_words(reference, user_dict)
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._parts_cache: dict[str, tuple[tuple, tuple, tuple]] = {}
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
        words = self._words
        out: list[str] = []
        for size in range(2, n):
            if size == 4 and n <= 4:
                break
            for i in range(n - size + 1):
                gram = word[i : i + size]
                if gram in words:
                    out.append(gram)
            if size == 3 and n <= 4:
                break
        return tuple(out)

    def _word_tokens(self, word: str) -> tuple[str, ...]:
        """What one plain word contributes to :meth:`tokens` (inner words, then itself), cached."""
        cached = self._word_cache.get(word)
        if cached is None:
            out = [g.lower() if g.isascii() else g for g in self._grams(word) if HAS_WORD(g)] if len(word) > 2 else []
            if HAS_WORD(word):
                out.append(word.lower() if word.isascii() else word)
            cached = tuple(out)
            if len(self._word_cache) < WORD_CACHE_SIZE:
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

    def _word_parts(self, word: str) -> tuple[tuple, tuple, tuple]:
        """What one cut word adds to each list of :class:`Segmented` (tokens, plain words, emitted), cached."""
        parts = self._parts_cache.get(word)
        if parts is None:
            emitted = self._word_tokens(word)
            if not emitted:
                parts = ((), (), ())
            elif emitted[-1] == word or HAS_WORD(word):
                parts = (emitted, (emitted[-1],), (emitted,))
            else:  # punctuation around letters: its pieces are words of their own, as in :meth:`words`
                parts = (emitted, emitted, tuple((piece,) for piece in emitted))
            if len(self._parts_cache) < WORD_CACHE_SIZE:
                self._parts_cache[word] = parts
        return parts

    def segmented(self, text: str) -> Segmented:
        """:meth:`tokens` and :meth:`words` of ``text`` from one jieba pass.

        Why: the importer needs both (tokens for the search vector, plain words
        for keywords and topics); recovering the words from the tokens again
        would cost a second walk over every token. Each word's share of the
        three lists is looked up whole (:meth:`_word_parts`) and the lists are
        chained at C speed: a Python loop over every word was a third of
        segmenting a text.
        """
        if not text:
            return Segmented([], [], [])
        words = self._tokenizer.lcut(self._normalise(text), HMM=True)
        parts = list(map(self._parts_cache.get, words))
        if None in parts:
            compute = self._word_parts
            parts = [compute(word) if found is None else found for word, found in zip(words, parts, strict=True)]
        chain = itertools.chain.from_iterable
        return Segmented(
            list(chain(map(_TOKENS, parts))), list(chain(map(_PLAIN, parts))), list(chain(map(_EMITTED, parts)))
        )

    def as_segmented(self, tokens: list[str] | Segmented) -> Segmented:
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
                if piece and HAS_WORD(piece):
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

        See :func:`~bulletins.analysis.keywords.top_keywords`; this segmenter keeps the IDF weights it looked up.
        """
        return top_keywords(self.as_segmented(tokens).plain, k, self._idf_cache)

    def keyword_words(self, keyword: str) -> tuple[str, ...]:
        """How a topic keyword segments (plain words, lower-cased), cached."""
        cached = self._kw_cache.get(keyword)
        if cached is None:
            cached = tuple(
                w.lower() if w.isascii() else w
                for w in self._tokenizer.cut(self._normalise(keyword), HMM=True)
                if HAS_WORD(w)
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
        with LOAD_LOCK:
            if _SEGMENTER is None:
                _SEGMENTER = Segmenter()
    return _SEGMENTER
