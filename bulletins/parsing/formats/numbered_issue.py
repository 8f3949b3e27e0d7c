"""Numbered bulletins with a masthead (湖北省红十字会简报, 浙江红十字 …), plain or markdown-like.

The masthead gives the publication, publisher, number and date; the body is
headlines, section headings, paragraphs cut by page breaks, bylines and
signatures, and a 简讯 section of brief items. One pass over the blocks
(:class:`_Assembler`) builds the articles and brief items.
"""

from __future__ import annotations

import re

from bulletins.analysis.gazetteer import CITY_NAMES

from ..blocks import SKIPPED_KINDS, Block, mark_captions
from ..dates import DATE_ONLY_RE, DATE_RE
from ..drafts import ArticleDraft, Assembled
from ..masthead import Masthead
from ..shapes import (
    BRIEF_BULLET_RE,
    BRIEF_NUMBER_RE,
    BRIEF_OPEN_RE,
    BULLET_RE,
    KNOWN_SECTIONS,
    NAME_RE,
    headline_shaped,
    is_terminated,
    numbered_heading,
    reporter_byline,
    section_shaped,
    signature_name,
)
from ..text import clean_space, han_count

KIND = "bulletin"


def detect(head: Masthead, blocks: list[Block]) -> bool:
    """A masthead was found: an issue number, a date or a periodical's name at the top."""
    return head.found


def assemble(head: Masthead, blocks: list[Block], full_text: str) -> Assembled:
    mark_captions(blocks)
    markdown = sum(1 for b in blocks if b.level) >= 2
    assembler = _Assembler(blocks, markdown=markdown)
    assembler.run()
    publisher = head.publisher
    city = re.match(rf"^({'|'.join(CITY_NAMES)})市红十字会", publisher)
    return Assembled(
        kind=KIND,
        drafts=assembler.articles,
        briefs=assembler.briefs,
        title=head.publication + (f" 第{head.number}期" if head.number is not None else ""),
        publication=head.publication,
        publisher=publisher,
        subject_city=city.group(1) if city else "",
        expects_publication=True,
    )


def _is_body_text(block: Block | None) -> bool:
    """An ordinary paragraph: not a heading, not headline-shaped, not a bullet or credit line."""
    if block is None or block.level:
        return False
    text = block.text
    return not headline_shaped(text) and not BRIEF_BULLET_RE.match(text) and not reporter_byline(text)


class _Assembler:
    """Walks the classified blocks once and builds article drafts and brief items."""

    def __init__(self, blocks: list[Block], *, markdown: bool):
        self.blocks = [b for b in blocks if b.kind not in SKIPPED_KINDS]
        self.markdown = markdown  # headlines are marked, so bare headline-shaped lines are subheadings
        # following[i]: index of the next non-caption block after i, precomputed so look-ahead is O(1)
        self.following: list[int | None] = [None] * len(self.blocks)
        upcoming: int | None = None
        for i in range(len(self.blocks) - 1, -1, -1):
            self.following[i] = upcoming
            if self.blocks[i].kind != "caption":
                upcoming = i
        self.articles: list[ArticleDraft] = []
        self.briefs: list[str] = []
        self.current: ArticleDraft | None = None
        self.section = ""
        self.section_level = 0
        self.in_briefs = False
        self.brief_open = False  # last brief was cut by a page break
        self.skip = 0

    # -- look-ahead helpers (captions are transparent to them)

    def _next_index(self, index: int, step: int = 1) -> int | None:
        """Index of the step-th following block, captions skipped (they never break a paragraph)."""
        for _ in range(step):
            index = self.following[index] if index is not None and index < len(self.following) else None
            if index is None:
                return None
        return index

    def _next(self, index: int, step: int = 1) -> Block | None:
        found = self._next_index(index, step)
        return None if found is None else self.blocks[found]

    def _starts_article(self, block: Block | None) -> bool:
        """Does this block open something new (heading, section, end of text)?"""
        if block is None:
            return True
        text = block.text
        return bool(block.level) or text in KNOWN_SECTIONS or bool(BRIEF_OPEN_RE.match(text))

    def _is_bare_headline(self, index: int | None) -> bool:
        """A bare line that opens an article: headline-shaped and followed by body text.

        Body text may come after a subtitle or a byline line.  In markdown documents
        headlines are marked with #, so bare headline-shaped lines there are subheadings.
        """
        if index is None:
            return False
        block = self.blocks[index]
        if block.level or block.kind or self.markdown or not headline_shaped(block.text):
            return False
        following = self._next(index)
        if _is_body_text(following):
            return True
        if following is None or following.level:
            return False
        if headline_shaped(following.text) or reporter_byline(following.text):
            after = self._next(index, 2)
            return _is_body_text(after) or (after is not None and bool(reporter_byline(after.text)))
        return False

    # -- main loop

    def run(self) -> None:
        for index, block in enumerate(self.blocks):
            if self.skip:
                self.skip -= 1
                continue
            if block.kind == "caption":
                if self.current is not None:
                    self.current.captions.append(block.text)
                else:
                    self._start_article("")
                    self.current.captions.append(block.text)
                continue
            self._handle(index, block)
        self._close_article()

    def _handle(self, index: int, block: Block) -> None:
        text = block.text
        if BRIEF_OPEN_RE.match(text):
            self._close_article()
            self.in_briefs = True
            return
        if block.level:
            self._handle_heading(index, block)
            return
        if BULLET_RE.match(text) or (self.in_briefs and BRIEF_BULLET_RE.match(text)):
            self._add_brief(BRIEF_BULLET_RE.sub("", text))
            return
        if self._is_bare_section(index, block):
            self._set_section(text, 0)
            return
        if self.in_briefs and not self._is_bare_headline(index):
            numbered = BRIEF_NUMBER_RE.match(text)
            if numbered or not self.briefs or (not self.brief_open and DATE_RE.match(text)):
                self._add_brief(text[numbered.end() :] if numbered else text)  # an item without ▲
            else:
                self.briefs[-1] += text  # the item's own continuation after a page break
                self.brief_open = not is_terminated(self.briefs[-1])
            return
        self._handle_text(index, block)

    def _handle_heading(self, index: int, block: Block) -> None:
        text = clean_space(block.text)
        following = self._next(index)
        deeper_follows = following is not None and following.level > block.level
        if text in KNOWN_SECTIONS or (deeper_follows and section_shaped(text)):
            self._set_section(text, block.level)
            return
        if self.section and self.section_level and block.level <= self.section_level:
            self.section, self.section_level = "", 0
        self._start_article(text)

    def _is_bare_section(self, index: int, block: Block) -> bool:
        text = block.text
        if text in KNOWN_SECTIONS:
            return True
        if not (4 <= len(text) <= 8 and han_count(text) == len(text)):
            return False
        following = self._next(index)
        return following is not None and (following.level > 0 or self._is_bare_headline(self._next_index(index)))

    def _set_section(self, text: str, level: int) -> None:
        self._close_article()
        self.in_briefs = False
        self.section, self.section_level = text, level

    def _handle_text(self, index: int, block: Block) -> None:
        text = block.text
        byline = reporter_byline(text)
        if byline and self.current is not None and not self.current.byline:
            self.current.byline = byline
            return
        if self._signed_commentary(index, block):
            return
        if self._signature(index, block):
            return
        if self._numbered_heading_inside(text):
            self.current.add_heading(clean_space(text))
            return
        if self._is_bare_headline(index) and not (self.current and self.current.open_paragraph and len(text) < 6):
            self.in_briefs = False
            self._start_article(clean_space(text))
            return
        current = self.current
        if current is not None and not current.paragraphs and not current.subtitle and self._subtitle_shaped(index):
            current.subtitle = clean_space(re.sub(r"^[—\-\s]+", "", text))
            return
        if current is None:
            self._start_article("")
        self.current.add_text(text)

    def _numbered_heading_inside(self, text: str) -> bool:
        """A numbered heading of the article being read (一、 （一） 1.), not the headline of a new one.

        A report numbers its parts: "一、" right after the article's own paragraphs opens
        its first part, and "二、" follows an "一、" already in its body. Articles numbered
        in the issue's own order ("一、全市工作会议召开" / body / "二、…") keep the number
        in the title, so their "二、" finds no "一、" in the body and starts an article.
        Lower ranks ((一), 1.) never start an article; unpunctuated, they are headings.
        """
        current = self.current
        numbered = numbered_heading(text)
        if current is None or numbered is None or not current.paragraphs or current.open_paragraph:
            return False
        if len(text) > 40 or is_terminated(text):
            return False  # "1. 开展救护员培训。全市共举办…": a numbered paragraph, not a heading
        rank, number = numbered
        if rank > 1:
            return True
        if number == 1:
            return numbered_heading(current.title) is None
        return any(numbered_heading(p) == (1, number - 1) for p in current.paragraphs)

    def _subtitle_shaped(self, index: int) -> bool:
        block = self.blocks[index]
        text = block.text
        if text.startswith(("——", "—", "--")):
            return True
        return headline_shaped(text, max_len=50) and self._next(index) is not None

    def _signed_commentary(self, index: int, block: Block) -> bool:
        """Title and author printed after the body: '…正文。' / '为「重要窗口」增添红十字元素' / '沈宏轩'."""
        current = self.current
        if current is None or not current.paragraphs or current.open_paragraph:
            return False
        author = self._next(index)
        if author is None or not headline_shaped(block.text) or not NAME_RE.match(author.text):
            return False
        if author.text in KNOWN_SECTIONS or not self._starts_article(self._next(index, 2)):
            return False
        if not current.section:
            current.section = current.title  # the printed heading was the column's name
        current.title = clean_space(block.text)
        current.byline = author.text
        self.skip = 1
        self._close_article()
        return True

    def _signature(self, index: int, block: Block) -> bool:
        """A name (or organisation, maybe with a date line) closing an article: '浙江', '浙江省红十字会 / 2022年1月'.

        Also in brackets on its own line: '（校工会办公室）'.
        """
        current = self.current
        if current is None or not current.paragraphs or current.open_paragraph:
            return False
        lines = [clean_space(line) for line in block.lines if line.strip()]
        if len(lines) > 1 and DATE_ONLY_RE.match(lines[-1]):
            lines = lines[:-1]
        if len(lines) != 1:
            return False
        name = signature_name(lines[0])
        if not name:
            return False
        following = self._next(index)
        if not (self._starts_article(following) or self._is_bare_headline(self._next_index(index))):
            return False
        if not current.byline:
            current.byline = name
        self._close_article()
        return True

    def _start_article(self, title: str) -> None:
        self._close_article()
        self.in_briefs = False
        self.current = ArticleDraft(title=title, section=self.section)

    def _close_article(self) -> None:
        if self.current is not None and (self.current.paragraphs or self.current.title):
            self.articles.append(self.current)
        self.current = None

    def _add_brief(self, text: str) -> None:
        self._close_article()
        self.in_briefs = True
        if text:
            self.briefs.append(text)
            self.brief_open = not is_terminated(text)
