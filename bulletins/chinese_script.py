"""One normal form for Chinese text in either script, and the way back to the printed text.

Pure Python (no Django). A bulletin is stored as printed (traditional or
simplified); its search index and a visitor's query both use the normal form
made here, so a query in either script finds texts in both:

* traditional characters become simplified (OpenCC ``t2s``, one converter per process);
* full-width ASCII letters and digits, the ideographic space and NBSP become ASCII;
* ASCII letters are lower-cased (only ASCII: ``str.lower`` may change a string's length).

Every step maps one character to one character in practice, so a position in
the normal form is the same position in the printed text. :func:`normalise_with_map`
checks that and, for the rare conversion that changes length, aligns the two
texts run by run so highlights still land on the printed characters.
"""

from __future__ import annotations

import os
import re
import threading

__all__ = ["normalise", "normalise_with_map", "search_form", "to_simplified"]

_LOCK = threading.Lock()
_CONVERTER = None

_FOLD = str.maketrans(
    {chr(0xFF01 + i): chr(0x21 + i).lower() for i in range(0x5E) if chr(0x21 + i).isalnum()}
    | {chr(0x41 + i): chr(0x61 + i) for i in range(26)}
    | {"\u3000": " ", "\u00a0": " "}
)
# Lone surrogates: a str may hold them (not a decoded file), UTF-8 cannot.
_SURROGATES_RE = re.compile("([\ud800-\udfff]+)")
# Runs of the characters _FOLD changes.
_FOLDED = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]+")
# Runs converted separately when the whole text changed length: OpenCC's phrases never cross these.
_RUN_RE = re.compile(r"[^\s\u3000-\u303f\uff00-\uffef,.;:!?()\[\]\"'<>]+|.", re.DOTALL)


class _NativeConverter:
    """OpenCC's C++ library through the binding the ``opencc`` wheel ships (about 8 M characters/s)."""

    def __init__(self, config: str) -> None:
        import opencc.clib
        from opencc.clib.opencc_clib import _OpenCC

        self._converter = _OpenCC(os.path.join(os.path.dirname(opencc.clib.__file__), "share", "opencc", config))

    def convert(self, text: str) -> str:
        """``text`` converted; lone surrogates (no character, so not UTF-8) are kept as they are, around it."""
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            parts = _SURROGATES_RE.split(text)  # text, surrogates, text, ...: the odd ones are surrogates
            return "".join(part if i % 2 else self.convert(part) for i, part in enumerate(parts))
        return self._converter.convert(text, size)


def _converter():
    """The process-wide OpenCC t2s converter, built on first use (loading its dictionaries costs ~15 ms).

    Why the binding rather than ``opencc.OpenCC``: where the pure-Python
    ``opencc-python-reimplemented`` is also installed it takes over the
    ``opencc`` package name and converts about 60 times slower; the native
    library is pinned, so it is always there.
    """
    global _CONVERTER
    if _CONVERTER is None:
        with _LOCK:
            if _CONVERTER is None:
                _CONVERTER = _NativeConverter("t2s.json")
    return _CONVERTER


def to_simplified(text: str) -> str:
    """``text`` in simplified script (OpenCC t2s); simplified text comes back unchanged."""
    if not text:
        return ""
    return _converter().convert(text)


def _fold(match: re.Match) -> str:
    return match.group().translate(_FOLD)


def normalise(text: str) -> str:
    """The search form of ``text``: simplified script, ASCII letters and digits, lower-case ASCII.

    Why only the runs of folded characters are translated: ``str.translate``
    looks every character of a Chinese text up in the table (most of the cost
    of normalising), while such a text holds a few capitals or full-width
    digits at most; the regular expression finds them at C speed.
    """
    return _FOLDED.sub(_fold, to_simplified(text)) if text else ""


def search_form(*parts: str) -> str:
    """The normal form of ``parts`` joined by one space each, or ``""`` when it is the printed text itself.

    What the archive stores beside a text for substring search (``search_text``):
    empty for the usual simplified, lower-case text, so only texts that differ
    from their normal form (traditional script, capitals, full-width letters) pay
    for a second copy.
    """
    printed = " ".join(parts)
    norm = normalise(printed)
    return "" if norm == printed else norm


def normalise_with_map(text: str) -> tuple[str, list[int] | None]:
    """``(normal form, positions)``: ``positions[i]`` is where normal-form character ``i`` stands in ``text``.

    ``positions`` is ``None`` when the two have the same length, which means
    position ``i`` is ``i`` in both (the usual case; the text is converted once).
    Otherwise each run between punctuation and spaces is converted on its own
    and a run whose length changed is mapped proportionally onto its printed
    characters; ``positions`` then has one extra entry, ``len(text)``.
    """
    converted = normalise(text)
    if len(converted) == len(text):
        return converted, None
    parts: list[str] = []
    positions: list[int] = []
    for match in _RUN_RE.finditer(text):
        start, end = match.span()
        run = normalise(match.group())
        parts.append(run)
        if len(run) == end - start:
            positions.extend(range(start, end))
        else:
            positions.extend(start + (k * (end - start)) // max(len(run), 1) for k in range(len(run)))
    positions.append(len(text))
    return "".join(parts), positions
