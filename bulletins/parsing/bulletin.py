"""Parse one bulletin's text: normalise, read the masthead, split blocks, let its format assemble, date it."""

from __future__ import annotations

import datetime

from .blocks import dateline_date, mark_footer_and_noise, split_blocks
from .dates import all_dates, brief_date, lost_digits, parse_date, year_from_text
from .drafts import ArticleDraft, Assembled
from .formats.registry import find_format
from .masthead import Masthead, read_masthead
from .results import ParsedArticle, ParsedBrief, ParsedIssue, ParseError
from .script import restore_printed_script, simplified_for_parsing
from .shapes import brief_source, region_of
from .text import han_count, normalise_lines
from .webpage import read_web_page


def parse_bulletin(text: str, *, source_name: str = "") -> ParsedIssue:
    """Parse one bulletin's text; raises ParseError (only) when there is nothing usable.

    A text printed in traditional script is parsed in simplified script and
    comes back in its printed characters (see :mod:`.script`).
    """
    if not isinstance(text, str):
        raise ParseError("输入不是文本")
    try:
        simplified = simplified_for_parsing(text)
        if simplified is not None:
            parsed = _parse(simplified, source_name=source_name)
            return restore_printed_script(parsed, printed=text, simplified=simplified)
        return _parse(text, source_name=source_name)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not crash an import run: report it as a bad file
        raise ParseError(f"解析失败（{type(exc).__name__}: {exc}）") from exc


def _parse(text: str, *, source_name: str = "") -> ParsedIssue:
    if han_count(text) < 2:
        raise ParseError("没有可识别的正文（没有中文内容）")
    page = read_web_page(normalise_lines(text))  # a repost saved from a web page: the site's chrome out
    lines = page.lines
    head = read_masthead(lines)
    blocks = split_blocks(lines[head.body_start :])
    mark_footer_and_noise(blocks)
    full_text = "\n".join(lines)
    assembled = find_format(head, blocks).assemble(head, blocks, full_text)
    drafts = [d for d in assembled.drafts if d.paragraphs or d.captions]
    if not drafts and not assembled.briefs:
        raise ParseError("没有可识别的正文（找不到文章或简讯）")

    reasons: list[str] = []
    posted = page.posted or dateline_date(blocks)
    year, issue_date = _year_and_date(head, assembled, full_text, reasons, posted=posted)
    if not assembled.publication and assembled.expects_publication:
        reasons.append("没有刊名")
    issue_month = head.date.month if head.date else None

    articles = [_finish_article(i, d, year, issue_month) for i, d in enumerate(drafts, start=1)]
    if any(a.title == "（无标题）" for a in articles):
        reasons.append("有无标题的文章")
    if head.lost_digits or _lost_digits_in(articles, assembled.briefs):
        reasons.append(LOST_DIGITS_REASON)
    briefs = []
    for position, item in enumerate(assembled.briefs, start=1):
        brief, source = brief_source(item)
        start, end = brief_date(brief, year, issue_month)
        briefs.append(ParsedBrief(position=position, text=brief, date=start, end_date=end, source=source))
    return ParsedIssue(
        publication=assembled.publication,
        publisher=assembled.publisher or page.publisher,
        number=head.number,
        total_number=head.total_number,
        date=issue_date,
        title=assembled.title or (articles[0].title if articles else "") or source_name,
        subject_city=assembled.subject_city,
        articles=articles,
        briefs=briefs,
        review_reasons=reasons,
        year=year,
        kind=assembled.kind,
    )


def _year_and_date(
    head: Masthead, assembled: Assembled, full_text: str, reasons: list[str], *, posted: datetime.date | None = None
) -> tuple[int | None, datetime.date | None]:
    """The issue's year and date from its masthead, else from its text; what is missing goes to ``reasons``.

    ``posted``, the date a web page was posted (its page meta line or a 时间/发布日期 line), dates the
    issue only when its masthead gives no date: a repost goes up days or years after the bulletin, but
    it is a surer date than the latest event reported.
    """
    issue_date = head.date
    year = issue_date.year if issue_date else None
    if year is None:
        year = year_from_text(full_text)
        if year is not None:
            reasons.append("年份取自正文")
        elif posted is not None:
            year = posted.year
        else:
            reasons.append("没有年份")
    if head.number is None:
        reasons.append("没有期号")
    if issue_date is None and posted is not None:
        issue_date = posted
        reasons.append("出版日期取自网页发布日期")
    elif issue_date is None:
        dates = all_dates(full_text, year) if assembled.date_from_text else []
        if dates:
            issue_date = max(dates)  # a page without masthead appears after the latest event it reports
            reasons.append("出版日期取自正文最晚日期")
        else:
            reasons.append("没有出版日期")
    return year, issue_date


LOST_DIGITS_REASON = "缺字（日期的数字在 PDF 提取时丢失）"


def _lost_digits_in(articles: list[ParsedArticle], briefs: list[str]) -> bool:
    """A date whose digits PDF extraction dropped ("推进 年工作"): the original must be read again."""
    texts = [text for a in articles for text in (a.title, a.subtitle, a.body)] + briefs
    return any(lost_digits(text) for text in texts)


def _finish_article(position: int, draft: ArticleDraft, year: int | None, issue_month: int | None) -> ParsedArticle:
    body = "\n\n".join(p.strip() for p in draft.paragraphs if p.strip())
    title = draft.title or "（无标题）"
    date, _ = parse_date(body, year=year, issue_month=issue_month)
    return ParsedArticle(
        position=position,
        title=title,
        subtitle=draft.subtitle,
        section=draft.section,
        byline=draft.byline,
        region=region_of(title),
        body=body,
        date=date,
        captions=list(draft.captions),
    )
