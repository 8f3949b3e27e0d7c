"""What a visitor's search means: required words, exact phrases, exclusions, field scope and order.

Pure Python (no Django), shared by the search page, the API and the CSV export.

Syntax (the note under the search box says it in Chinese)::

    应急救护 培训          both words, anywhere (several words mean all of them)
    "应急救护"  “应急救护”  「应急救护」   the exact phrase, characters in a row
    -疫情  －疫情  -"新冠肺炎"     leave out items containing it

Every part keeps what was typed (``text``, for the page) and its normal form
(``normalised``: simplified script, ASCII folded; see :mod:`bulletins.chinese_script`),
so a query in either script matches texts in both.

:func:`to_tsquery` writes the PostgreSQL ``tsquery`` text from the parsed query
and the segmenter's words; :func:`snippet` is the highlighter. Field scopes and
sort orders are described by :data:`SCOPES` and :data:`SORTS` for the FilterSet.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .analysis.segmentation import get_segmenter
from .chinese_script import normalise, normalise_with_map

__all__ = [
    "DEFAULT_SCOPE",
    "DEFAULT_SORT",
    "SCOPES",
    "SCOPE_CHOICES",
    "SORTS",
    "SORT_CHOICES",
    "ParsedQuery",
    "Part",
    "Scope",
    "Sort",
    "parse_query",
    "passes_substring_check",
    "scope_for",
    "snippet",
    "sort_for",
    "to_tsquery",
]

MAX_QUERY_CHARS = 200
MAX_PARTS = 16  # more parts than this are ignored: a pasted paragraph is not a query


def gettext_noop(message: str) -> str:
    """Marks a label for translation (``makemessages`` finds it); the caller translates it when shown."""
    return message


# --------------------------------------------------------------------------- parsing

# Each opening quote and the quotes that may close it (a phrase typed with one ASCII and one curly quote still closes).
_OPEN_QUOTES = {'"': '"\u201d', "\u201c": '\u201d"', "\u201d": '\u201d"', "\u300c": "\u300d", "\u300e": "\u300f"}
_MINUS = "-\uff0d\u2212"  # ASCII hyphen-minus, full-width hyphen-minus, minus sign
_SPACE = re.compile(r"[\s\u3000]+")
# What a part is trimmed of at its ends (punctuation typed around a word, never inside it).
_TRIM = " \t\u3000,，、;；:：.。!！?？()（）[]【】<>《》'\"“”‘’「」『』"
# Characters that may stand in a tsquery lexeme; everything else splits it (operators, quotes, backslashes...).
_LEXEME_SPLIT = re.compile(r"[^\w.+#%\-]+")
_HAS_WORD = re.compile(r"[^\W_]").search
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class Part:
    """One word or phrase of a query: as typed, and in normal form."""

    text: str
    normalised: str
    phrase: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into what must match, what must match in a row, and what must not match.

    ``needs_substring_check`` is true when the query has phrases: the tsquery's
    ``<N>`` sequences follow how jieba cut the *query*, and jieba may cut the
    same characters differently inside a text (or a sequence may straddle
    punctuation), so the caller keeps only rows whose normalised text contains
    each of ``substrings`` (and none of ``excluded_substrings``).
    """

    terms: tuple[Part, ...] = ()
    phrases: tuple[Part, ...] = ()
    exclusions: tuple[Part, ...] = ()
    raw: str = ""

    @property
    def positive(self) -> tuple[Part, ...]:
        """Terms and phrases, in the order the highlighter prefers them (phrases, then longest first)."""
        return (*self.phrases, *sorted(self.terms, key=lambda p: -len(p.normalised)))

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no term and no phrase (exclusions alone select nothing)."""
        return not self.terms and not self.phrases

    @property
    def needs_substring_check(self) -> bool:
        return bool(self.phrases)

    @property
    def substrings(self) -> tuple[str, ...]:
        return tuple(p.normalised for p in self.phrases)

    @property
    def excluded_substrings(self) -> tuple[str, ...]:
        return tuple(p.normalised for p in self.exclusions)

    def display(self) -> str:
        """The query rewritten in canonical syntax (ASCII quotes and minus), for the page and cache keys."""
        out = [f'"{p.text}"' for p in self.phrases] + [p.text for p in self.terms]
        out += [f'-"{p.text}"' if p.phrase else f"-{p.text}" for p in self.exclusions]
        return " ".join(out)


def _part(text: str, *, phrase: bool) -> Part | None:
    text = text.strip(_TRIM) if not phrase else text.strip()
    normalised = normalise(text)
    if not _HAS_WORD(normalised):
        return None
    if not phrase:
        return Part(text, normalised)
    # Spaces inside a phrase are kept as one where printed text has them (between Latin words) and
    # dropped between Chinese characters, which are printed without them.
    return Part(_SPACE.sub(" ", text), _CJK_GAP.sub("", _SPACE.sub(" ", normalised)), True)


def parse_query(q: str) -> ParsedQuery:
    """Split a visitor's query into terms, phrases and exclusions (never raises).

    An unclosed quote runs to the end of the query. A minus counts only at the
    start of a word (``COVID-19`` is one term); a lone minus is ignored.
    Duplicates are dropped by normal form, so ``紅十字會 红十字会`` is one term.
    """
    q = (q or "").replace("\x00", "")[:MAX_QUERY_CHARS]
    terms: list[Part] = []
    phrases: list[Part] = []
    exclusions: list[Part] = []
    seen: set[tuple[bool, str]] = set()
    i, n = 0, len(q)
    while i < n and len(seen) < MAX_PARTS:
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        negated = ch in _MINUS and i + 1 < n and not q[i + 1].isspace()
        if negated:
            i += 1
            ch = q[i]
        if ch in _OPEN_QUOTES:
            end = next((k for k in range(i + 1, n) if q[k] in _OPEN_QUOTES[ch]), n)
            part = _part(q[i + 1 : end], phrase=True)
            i = end + 1
        else:
            match = _SPACE.search(q, i)
            end = match.start() if match else n
            # A quote glued to a word starts a phrase of its own: 培训"应急救护" is a term and a phrase.
            quote = next((k for k in range(i + 1, end) if q[k] in _OPEN_QUOTES), end)
            part = _part(q[i:quote], phrase=False)
            i = quote
        if part is None:
            continue
        key = (negated, part.normalised)
        if key in seen:
            continue
        seen.add(key)
        if negated:
            exclusions.append(part)
        elif part.phrase:
            phrases.append(part)
        else:
            terms.append(part)
    return ParsedQuery(tuple(terms), tuple(phrases), tuple(exclusions), q.strip())


# --------------------------------------------------------------------------- tsquery

# How the segmenter cut a text: (word, number of search-mode tokens it emitted, the word itself last).
Words = list[tuple[str, int]]


def _default_words(text: str) -> Words:
    segmented = get_segmenter().segmented(text)
    return [(word, len(emitted)) for word, emitted in zip(segmented.plain, segmented.emitted, strict=True)]


def _lexemes(word: str) -> list[str]:
    pieces = (piece.strip(".-+#%_") for piece in _LEXEME_SPLIT.split(word))
    return [piece for piece in pieces if piece and _HAS_WORD(piece)]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "").replace("'", "''") + "'"


def _sequence(text: str, words: Callable[[str], Words], *, strict: bool) -> str:
    """A part as tsquery: its words in a row (``<N>``) when ``strict``, else all of them (``&``).

    Search mode writes a long word's inner dictionary words before the word
    itself (``红十字 十字会 红十字会``), so the next word of a phrase stands
    as many positions further as it emitted tokens: ``'培训' <4> '红十字会'``.
    """
    items: list[tuple[str, int]] = []
    for word, emitted in words(text):
        lexemes = _lexemes(word)
        for k, lexeme in enumerate(lexemes):
            items.append((lexeme, emitted if k == 0 else 1))
    if not items:
        return ""
    if len(items) == 1:
        return _quote(items[0][0])
    if not strict:
        return "(" + " & ".join(dict.fromkeys(_quote(lexeme) for lexeme, _ in items)) + ")"
    out = _quote(items[0][0])
    for lexeme, distance in items[1:]:
        out += f" <{distance}> " + _quote(lexeme)
    return "(" + out + ")"


def to_tsquery(
    parsed: ParsedQuery, *, words: Callable[[str], Words] | None = None, strict_phrases: bool = True
) -> str | None:
    """The ``to_tsquery('simple', …)`` text for ``parsed``, or ``None`` when it asks for nothing.

    Terms are ANDed (each one's jieba words ANDed, as today's search does);
    phrases become ``<N>`` sequences of their jieba words (``strict_phrases``)
    or, for a candidate set that does not depend on jieba cutting the text as
    it cut the query, plain ANDs; exclusions are ANDed as ``!``. Phrases always
    leave a substring check to the caller (:attr:`ParsedQuery.needs_substring_check`).
    ``words`` is how the documents were segmented (default: the archive's segmenter).
    """
    if parsed.is_empty:
        return None
    words = words or _default_words
    positive = [_sequence(p.normalised, words, strict=False) for p in parsed.terms]
    positive += [_sequence(p.normalised, words, strict=strict_phrases) for p in parsed.phrases]
    positive = [s for s in positive if s]
    if not positive:
        return None
    negative = [_sequence(p.normalised, words, strict=p.phrase) for p in parsed.exclusions]
    return " & ".join([*positive, *(f"!{s}" for s in negative if s)])


# --------------------------------------------------------------------------- scopes and sorts


@dataclass(frozen=True)
class Scope:
    """Where a search looks. ``article_fields`` / ``brief_fields`` are model field paths; an empty
    tuple means that kind has nothing to search in this scope (brief items have no title or byline)."""

    name: str
    label: str
    article_fields: tuple[str, ...]
    brief_fields: tuple[str, ...]
    uses_index: bool = False  # True: the full-text index (search_vector); else a substring match on the fields


@dataclass(frozen=True)
class Sort:
    """An order of the results. ``order_by`` holds field names (empty: by relevance, the rank);
    undated items go last in either direction, so the caller writes ``F("day").asc/desc(nulls_last=True)``."""

    name: str
    label: str
    order_by: tuple[str, ...] = field(default=())


SCOPES: dict[str, Scope] = {
    scope.name: scope
    for scope in (
        Scope("all", gettext_noop("全文"), ("title", "subtitle", "body"), ("text",), uses_index=True),
        Scope("title", gettext_noop("标题"), ("title", "subtitle"), ()),
        Scope("byline", gettext_noop("作者"), ("byline",), ()),
        Scope("organisation", gettext_noop("机构"), ("organisations__name",), ("organisations__name",)),
    )
}
DEFAULT_SCOPE = "all"

SORTS: dict[str, Sort] = {
    sort.name: sort
    for sort in (
        Sort("relevance", gettext_noop("相关度")),
        Sort("newest", gettext_noop("日期：新到旧"), ("-day", "-issue_id", "position")),
        Sort("oldest", gettext_noop("日期：旧到新"), ("day", "issue_id", "position")),
    )
}
DEFAULT_SORT = "relevance"
SCOPE_CHOICES = [(scope.name, scope.label) for scope in SCOPES.values()]
SORT_CHOICES = [(sort.name, sort.label) for sort in SORTS.values()]


def scope_for(value: str | None) -> Scope:
    """The scope named by a query parameter; anything unknown or empty means the default (全文)."""
    return SCOPES.get(value or "", SCOPES[DEFAULT_SCOPE])


def sort_for(value: str | None) -> Sort:
    """The sort named by a query parameter; anything unknown or empty means the default (relevance)."""
    return SORTS.get(value or "", SORTS[DEFAULT_SORT])


def passes_substring_check(parsed: ParsedQuery, text: str, *, normalised: bool = False) -> bool:
    """Does ``text`` hold every phrase in a row and none of the exclusions? (See ``needs_substring_check``.)

    For a post-filter over a bounded candidate list; ``normalised=True`` when
    ``text`` is already in normal form (a stored normalised column), so it is
    not converted again.
    """
    norm = text if normalised else normalise(text or "")
    return all(s in norm for s in parsed.substrings) and not any(s in norm for s in parsed.excluded_substrings)


# --------------------------------------------------------------------------- snippets

SNIPPET_WIDTH = 120
SNIPPET_LEAD = 30  # characters shown before the occurrence the window is built around
ELLIPSIS = "…"


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    spans, at = [], haystack.find(needle)
    while needle and at >= 0:
        spans.append((at, at + len(needle)))
        at = haystack.find(needle, at + len(needle))
    return spans


def _marks(norm: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of the needles in ``norm``, longer needles first where they overlap."""
    taken: list[tuple[int, int]] = []
    for needle in sorted(set(needles), key=len, reverse=True):
        for start, end in _occurrences(norm, needle):
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
    return sorted(taken)


def _default_pieces(text: str) -> list[str]:
    return get_segmenter().tokens(text)


def _highlight_targets(norm: str, parsed: ParsedQuery, pieces: Callable[[str], list[str]] | None) -> tuple[list, list]:
    """(whole parts found in the text, pieces of the parts that were not found), normal form.

    The pieces are the search-mode tokens of a part (its jieba words and the
    dictionary words inside them), so ``应急`` is a piece of ``应急救护``.
    """
    whole = [p.normalised for p in parsed.positive if p.normalised in norm]
    found: list[str] = []
    for part in parsed.positive:
        if part.normalised not in norm:
            cut = (pieces or _default_pieces)(part.normalised)
            found.extend(w for w in cut if len(w) > 1 and _HAS_WORD(w) and w in norm)  # single characters: noise
    return whole, found


def snippet(
    text: str,
    query: ParsedQuery | str,
    width: int = SNIPPET_WIDTH,
    *,
    pieces: Callable[[str], list[str]] | None = None,
) -> str:
    """About ``width`` characters of ``text`` around what was asked, as escaped HTML with ``<mark>`` tags.

    The window is built around the first occurrence of a whole phrase (else of
    a whole term) and each occurrence of a whole phrase or term is one
    ``<mark>``; the parts of a phrase or term (its jieba words) are marked only
    when it does not occur at all. Matching is done on the normal form, so a
    simplified query marks the traditional characters of a text printed in
    traditional script, and the marks show the text as printed.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    text = _SPACE.sub(" ", str(text or "")).strip()
    norm, positions = normalise_with_map(text)
    whole, parts = _highlight_targets(norm, parsed, pieces)
    spans = _marks(norm, [*whole, *parts])
    # The window goes around the first whole phrase if one occurs, else the first whole term, else any piece.
    first_whole = next(iter(whole), None)
    anchor = next((s for s in spans if norm[s[0] : s[1]] == first_whole), spans[0] if spans else None)

    def printed(pos: int) -> int:
        return pos if positions is None else positions[pos]

    if anchor is None:
        start, end = 0, min(len(text), width)
    else:
        a_start, a_end = printed(anchor[0]), printed(anchor[1])
        start = max(0, a_start - SNIPPET_LEAD)
        end = min(len(text), max(start + width, a_end))
        start = max(0, min(start, end - width))
    out = [ELLIPSIS] if start > 0 else []
    cursor = start
    for s, e in spans:
        s, e = printed(s), printed(e)
        if s < cursor or e > end:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    if end < len(text):
        out.append(ELLIPSIS)
    return "".join(out)
