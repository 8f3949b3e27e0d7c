"""A bulletin printed in traditional script: parsed in simplified script, stored as printed.

Why parse the simplified form: the parser's words (``简讯``, ``红十字会``,
``编者按``, ``第…期``) are written once, in simplified script; matching every
pattern in both scripts would double them. Why not store it: a researcher must
see what was printed. So the text is converted (OpenCC t2s, which maps each
character to one character), parsed, and every text field of the result is
put back into the printed characters: a field found as it stands in the
converted text takes the printed characters at the same place; any other (a
paragraph joined across a page break, a cleaned headline) is put back
character by character with the pairs this document itself shows.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict

from ..chinese_script import to_simplified
from .results import ParsedIssue

__all__ = ["looks_traditional", "restore_printed_script", "simplified_for_parsing"]

# Characters that exist only in traditional script; a handful of them in a text is a
# cheap and reliable sign that it is printed in traditional script.
_TRADITIONAL_ONLY = frozenset(
    "會與國這們來時東說為於經報區書學發開關問題點實體間長門車見電話處應動組織機過還進運邊個義員際護籌災獻"
    "紅簡訊統產業歷務幫鄉縣衛愛團濟辦參導將從當對專讓寫號與萬億貧難傳聯絡際總務環節課師範層級訓練隊"
)
_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL_ONLY)) + "]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def looks_traditional(text: str) -> bool:
    """Is the text printed in traditional script? (A sample's share of traditional-only characters.)"""
    sample = text[:20000]
    if "紅十字" in sample:
        return True
    hits = len(_TRADITIONAL_RE.findall(sample))
    return hits >= 5 and hits * 50 >= len(_HAN_RE.findall(sample))


def simplified_for_parsing(text: str) -> str | None:
    """The text in simplified script when it is printed in traditional script and converts
    character for character; ``None`` when it should be parsed as it stands."""
    if not looks_traditional(text):
        return None
    simplified = to_simplified(text)
    return simplified if len(simplified) == len(text) and simplified != text else None


class _Restorer:
    """Puts strings cut from ``simplified`` back into the characters of ``printed`` (same length)."""

    def __init__(self, printed: str, simplified: str) -> None:
        self.printed = printed
        self.simplified = simplified
        pairs: dict[str, Counter] = defaultdict(Counter)
        for p, s in zip(printed, simplified, strict=True):
            pairs[s][p] += 1
        # A simplified character that stood for several printed ones (后: 後 or 后) takes the commonest reading.
        self.back = {s: found.most_common(1)[0][0] for s, found in pairs.items() if len(found) > 1 or s not in found}
        self.back = {s: p for s, p in self.back.items() if p != s}

    def string(self, value: str) -> str:
        if not value or not any(ch in self.back for ch in value):
            return value
        return "\n".join(self._line(line) for line in value.split("\n"))

    def _line(self, line: str) -> str:
        at = self.simplified.find(line) if line else -1
        if at >= 0:
            return self.printed[at : at + len(line)]
        return "".join(self.back.get(ch, ch) for ch in line)

    def value(self, value):
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.value(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            return dataclasses.replace(value, **changes)
        return value


# Fields the parser writes for the archive's own use, not from the text: they stay as the parser wrote them.
_OWN_FIELDS = ("review_reasons", "kind")


def restore_printed_script(issue: ParsedIssue, *, printed: str, simplified: str) -> ParsedIssue:
    """``issue`` (parsed from ``simplified``) with every text field in the characters of ``printed``."""
    restorer = _Restorer(printed, simplified)
    kept = {name: getattr(issue, name) for name in _OWN_FIELDS if hasattr(issue, name)}
    return dataclasses.replace(restorer.value(issue), **kept)
