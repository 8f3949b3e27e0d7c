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

import re
import threading

__all__ = ["normalise", "normalise_with_map", "to_simplified"]

_LOCK = threading.Lock()
_CONVERTER = None

_FOLD = str.maketrans(
    {chr(0xFF01 + i): chr(0x21 + i).lower() for i in range(0x5E) if chr(0x21 + i).isalnum()}
    | {chr(0x41 + i): chr(0x61 + i) for i in range(26)}
    | {"\u3000": " ", "\u00a0": " "}
)
# Runs converted separately when the whole text changed length: OpenCC's phrases never cross these.
_RUN_RE = re.compile(r"[^\s\u3000-\u303f\uff00-\uffef,.;:!?()\[\]\"'<>]+|.", re.DOTALL)


def _converter():
    """The process-wide OpenCC t2s converter, built on first use (loading its dictionaries costs ~15 ms)."""
    global _CONVERTER
    if _CONVERTER is None:
        with _LOCK:
            if _CONVERTER is None:
                from opencc import OpenCC

                _CONVERTER = OpenCC("t2s")
    return _CONVERTER


def to_simplified(text: str) -> str:
    """``text`` in simplified script (OpenCC t2s); simplified text comes back unchanged."""
    if not text:
        return ""
    return _converter().convert(text)


def normalise(text: str) -> str:
    """The search form of ``text``: simplified script, ASCII letters and digits, lower-case ASCII."""
    return to_simplified(text).translate(_FOLD) if text else ""


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
