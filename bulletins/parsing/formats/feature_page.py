"""City feature pages (十堰, 石家庄): no masthead, one long article with bare subheadings and photo captions.

Accepts every text, so it is the last format tried. The page's city is the one
named in its title, else the one its text names most; its date is the latest
event it reports.
"""

from __future__ import annotations

import re

from bulletins.analysis.gazetteer import CITY_NAMES

from ..blocks import SKIPPED_KINDS, Block, mark_captions
from ..drafts import ArticleDraft, Assembled
from ..masthead import Masthead
from ..shapes import ORG_RE, headline_shaped, reporter_byline, signature_name
from ..text import clean_space

KIND = "feature"


def detect(head: Masthead, blocks: list[Block]) -> bool:
    return True


def assemble(head: Masthead, blocks: list[Block], full_text: str) -> Assembled:
    drafts, title = _feature_articles(blocks)
    subject_city = _subject_city(title, drafts[0].subtitle if drafts else "", full_text)
    return Assembled(
        kind=KIND,
        drafts=drafts,
        briefs=[],
        title=title,
        publisher=head.publisher or _feature_publisher(subject_city, full_text),
        subject_city=subject_city,
        date_from_text=True,
    )


def _title_block(blocks: list[Block]) -> tuple[str, str, str, int]:
    """Title, subtitle and unit byline of a page without masthead, plus the index after them.

    Leading headings or headline-shaped lines form the title block: the first is the
    title, a '——' line or later lines the subtitle, an organisation name the byline.
    """
    title, subtitles, byline = "", [], ""
    index = 0
    while index < len(blocks) and len(subtitles) < 2:
        block = blocks[index]
        text = clean_space(block.text)
        is_title_like = block.level or text.startswith(("——", "—")) or headline_shaped(text, max_len=50)
        if not is_title_like or block.kind or (title and block.gap_before >= 2 and not block.level):
            break  # body text, or a caption after the photo gap
        if not title:
            title = text
        elif ORG_RE.match(text) and not byline:
            byline = text
        else:
            subtitles.append(re.sub(r"^[—\-\s]+", "", text))
        index += 1
    return title, " ".join(subtitles), byline, index


def _subject_city(*texts: str) -> str:
    """City a page is about: named in its title first, else the city named most often."""
    for text in texts[:-1]:
        for city in CITY_NAMES:
            if city in text:
                return city
    body = texts[-1]
    counts = {city: body.count(city) for city in CITY_NAMES}
    best = max(counts, key=counts.get, default="")
    return best if best and counts[best] >= 2 else ""


def _feature_articles(blocks: list[Block]) -> tuple[list[ArticleDraft], str]:
    title, subtitle, unit, start = _title_block(blocks)
    for block in blocks[:start]:
        block.kind = "title"
    mark_captions(blocks)
    drafts: list[ArticleDraft] = []
    current = ArticleDraft(title=title or "（无标题）", subtitle=subtitle, byline=unit)
    top_level = blocks[0].level if blocks and blocks[0].level else 0
    content = [block for block in blocks[start:] if block.kind not in SKIPPED_KINDS]
    last = content[-1] if content else None
    for block in content:
        text = block.text
        if block.kind == "caption":
            current.captions.append(text)
            continue
        if top_level and block.level and block.level <= top_level and current.paragraphs:
            drafts.append(current)  # a second page title of the same rank: clearly a separate article
            current = ArticleDraft(title=clean_space(text))
            continue
        byline = reporter_byline(text)
        if byline and not current.byline:
            current.byline = byline
            continue
        if block is last and current.paragraphs and not current.open_paragraph and not current.byline:
            # A name or office closing the page ("（林雅琴）") signs it: the byline, not a last paragraph.
            signer = signature_name(text)
            if signer:
                current.byline = signer
                continue
        # Bare subheadings (加强党组织建设,把政治建设摆在首位) stay in the body, on their own;
        # a headline-shaped line right after one is content, e.g. a sentence cut by a photo.
        subheading = block.level or headline_shaped(text)
        if subheading and not current.open_paragraph and not current.last_was_heading:
            current.add_heading(clean_space(text))
        else:
            current.add_text(text)
    drafts.append(current)
    return drafts, title


def _feature_publisher(city: str, text: str) -> str:
    if not city:
        return ""
    name = f"{city}市红十字会"
    return name if name in text or "市红十字会" in text or "我市" in text else ""
