"""A faster word cutter with jieba's exact output, behind the tokenizer interface the segmenter uses.

Why: jieba's pure-Python cut is most of an import's CPU time (docs/BENCHMARKS.md).
rjieba binds jieba-rs, a Rust port of the same algorithm with the same
dictionary and HMM model; it cuts about 20× faster. Measured on the five seeds
and a 200-issue corpus (604,682 words), its words differ from jieba's in one way
only: an ASCII run holding ``.`` or ``-`` (``www.example.org.cn``, ``2021-2025``)
stays whole, where jieba splits off the punctuation. Such words are cut again by
jieba's own algorithm here, so the output is jieba's, word for word
(``tests/test_segmenter_backends.py``).

jieba stays the reference: its dictionary gives the search-mode pieces (through
the table cache of :mod:`.tables`), a jieba tokenizer holding its ASCII entries
cuts the ASCII runs (:func:`.segmentation.ascii_reference`, exact for ASCII
text), the tests compare with its whole tokenizer, and
``ARCHIVE_SEGMENTER=jieba`` switches the fast cutter off. Without the rjieba
package the segmenter uses jieba alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

try:
    import rjieba
except ImportError:  # the package is optional: jieba alone gives the same words, slower
    rjieba = None

# ASCII punctuation: a text without any is cut by rjieba exactly as by jieba.
_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


class FastTokenizer:
    """``cut``/``lcut`` by rjieba with the same user dictionary; anything else from the jieba tokenizer."""

    def __init__(self, reference, user_dict: str | Path | None, ascii_reference=None) -> None:
        self._reference = reference
        # What re-cuts the ASCII words: jieba's tokenizer, or one that knows only its ASCII words (same result).
        self._ascii = ascii_reference or reference
        self._fast = rjieba.Jieba()
        if user_dict is not None and Path(user_dict).is_file():
            for line in Path(user_dict).read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if parts:
                    freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                    self._fast.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
        self._recut: dict[str, list[str]] = {}

    def __getattr__(self, name):
        return getattr(self._reference, name)

    def cut(self, text: str, HMM: bool = True) -> list[str]:  # jieba's own keyword name
        words = self._fast.cut(text, HMM)
        if not _ASCII_PUNCTUATION.search(text):
            return words
        # The ASCII words are picked out at C speed; only texts with one to cut again are rebuilt.
        again = {
            word
            for word in filter(str.isascii, words)
            if len(word) > 1 and _ASCII_PUNCTUATION.search(word) and not word.isspace()
        }
        if not again:
            return words
        out: list[str] = []
        for word in words:
            if word in again:
                pieces = self._recut.get(word)
                if pieces is None:
                    pieces = self._recut[word] = list(self._ascii.cut(word, HMM=HMM))
                out.extend(pieces)
            else:
                out.append(word)
        return out

    lcut = cut


def word_cutter(reference, user_dict: str | Path | None, ascii_reference: Callable[[], object] | None = None):
    """The fastest cutter that gives ``reference``'s (a loaded ``jieba.Tokenizer``) words.

    ``ascii_reference`` makes a tokenizer that cuts ASCII text as ``reference``
    does, cheaper to load; called only when the fast cutter is used.
    """
    if rjieba is None or os.environ.get("ARCHIVE_SEGMENTER", "").lower() == "jieba":
        return reference
    return FastTokenizer(reference, user_dict, ascii_reference() if ascii_reference else None)
