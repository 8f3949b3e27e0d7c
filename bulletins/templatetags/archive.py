"""Template helpers for the public pages.

Why ``snippet`` builds HTML itself: bulletin text is data, never markup. The
text is escaped piece by piece and only the ``<mark>`` tags this code writes
are left unescaped, so a bulletin containing ``<script>`` shows as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bulletins import query_syntax
from bulletins.query_syntax import ParsedQuery

from ..citations import without_leading_date

register = template.Library()

SNIPPET_WIDTH = 120
SNIPPET_LEAD = 30  # characters kept before the first match
ELLIPSIS = "…"


def _pattern(terms) -> re.Pattern | None:
    words = sorted({str(t).strip() for t in terms or () if str(t).strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def highlight(text: str, terms, width: int = SNIPPET_WIDTH) -> SafeString:
    """About ``width`` characters of ``text`` around the first matched term, each match in ``<mark>``."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    pattern = _pattern(terms)
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - SNIPPET_LEAD) if first else 0
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    window = text[start:end]
    parts = [ELLIPSIS] if start > 0 else []
    cursor = 0
    for match in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[cursor : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        cursor = match.end()
    parts.append(escape(window[cursor:]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return mark_safe("".join(parts))  # every piece of bulletin text above went through escape()


@register.filter
def snippet(text, terms):
    """``{{ text|snippet:terms }}``: a highlighted, escaped excerpt around what was asked.

    With a parsed query (the search page) the excerpt is taken around a whole
    phrase and marks it as one ``<mark>``, in the text's own script
    (:func:`bulletins.query_syntax.snippet`, which escapes every piece itself);
    a plain list of words is marked as typed.
    """
    if isinstance(terms, ParsedQuery):
        return mark_safe(query_syntax.snippet(text, terms, SNIPPET_WIDTH))
    return highlight(text, terms)


@register.simple_tag
def page_range(page_obj):
    """Page numbers with ellipses for long lists: 1 2 … 7 8 9 … 40 41."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@register.filter
def ymd(value) -> str:
    """A date as 2021年4月30日; unknown dates as 日期不详."""
    if not value:
        return _("日期不详")
    return _("%(year)d年%(month)d月%(day)d日") % {"year": value.year, "month": value.month, "day": value.day}


@register.simple_tag
def select_options(options) -> SafeString:
    """A select's ``<option>`` elements with their counts, built in one pass.

    Why not a template loop: a search or list page carries up to three
    hundred options, and four variable look-ups plus a filter per option made
    the loop a large share of the page's rendering time. Every value and
    label is escaped by ``format_html_join``.
    """
    return format_html_join(
        "",
        '<option value="{}"{}>{}（{}）</option>',
        ((o.value, mark_safe(" selected") if o.selected else "", o.label, str(o.count)) for o in options),
    )


@register.filter
def date_span(start, end=None) -> str:
    """A date or a range, the year and month written once: 2021年4月26日至27日, 2021年4月30日至5月2日."""
    if not start:
        return _("日期不详")
    if not end or end == start:
        return ymd(start)
    if end.year != start.year:
        tail = ymd(end)
    elif end.month != start.month:
        tail = _("%(month)d月%(day)d日") % {"month": end.month, "day": end.day}
    else:
        tail = _("%(day)d日") % {"day": end.day}
    return _("%(start)s至%(end)s") % {"start": ymd(start), "end": tail}


@register.filter
def brief_body(brief) -> str:
    """A brief item's text for a page that prints its date in front: the date printed in the text is dropped.

    Only when the item has a date of its own (taken from that very prefix at
    import); an undated item keeps its text whole.
    """
    return without_leading_date(brief.text) if brief.date else brief.text


@dataclass
class TocGroup:
    section: str
    start: int
    articles: list


@register.simple_tag
def toc_groups(articles) -> list[TocGroup]:
    """Articles grouped by consecutive section, each group numbered on from the last.

    Why: a contents list numbers articles only; a section heading is a label
    over its group, so 1, 2, 3 … runs on without gaps across sections.
    """
    groups: list[TocGroup] = []
    number = 1
    for article in articles:
        if not groups or groups[-1].section != article.section:
            groups.append(TocGroup(article.section, number, []))
        groups[-1].articles.append(article)
        number += 1
    return groups
