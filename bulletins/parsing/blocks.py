"""Blocks: runs of non-blank lines, and the passes that classify them (footer, noise, photo captions)."""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from dataclasses import dataclass

from .dates import masthead_date
from .shapes import (
    BRIEF_NUMBER_RE,
    BULLETS,
    HEADLINE_BAD_END,
    KNOWN_SECTIONS,
    NOISE_RE,
    ends_sentence,
    headline_shaped,
    is_dateline,
    is_terminated,
    reporter_byline,
    split_run_in_headline,
)
from .text import han_count

_HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
# Lines that open the distribution/contact footer: everything short after them is footer too.
# The colon is required: "印发《改革方案》后…" is a sentence, "印发：…" a footer.
_FOOTER_OPEN_RE = re.compile(r"^\s*(?:分\s*送|报\s*送|抄\s*送|主\s*送|印\s*发|报|发|送)\s*[:：]")
# Single footer lines (editor, phone, ...), dropped wherever they stand.
_FOOTER_LINE_RE = re.compile(
    r"^\s*(?:(?:签\s*发|编\s*校|责任编辑|编\s*辑|主\s*编|审\s*核|校\s*对|联系电话|联系人|电\s*话|地\s*址)\s*[:：]"
    r"|[(（]?\s*(?:本期)?共印\s*[0-9]+\s*份)"
)


# Blocks the formats leave out of articles: distribution footers, contact noise, web date lines.
SKIPPED_KINDS = frozenset({"footer", "noise", "dateline"})


@dataclass
class Block:
    """A run of non-blank lines; headings are always a block of their own."""

    lines: list[str]
    gap_before: int  # blank lines before this block (page breaks and photos leave several)
    level: int = 0  # markdown heading level, 0 for plain text
    gap_after: int = 0
    kind: str = ""  # filled by the classification passes

    @functools.cached_property
    def text(self) -> str:
        """Read only after the block is complete, so caching is safe (and saves re-joining)."""
        return _join_lines(self.lines)


def _join_lines(lines: list[str]) -> str:
    """Lines of one block were wrapped by the PDF layout: join without spaces, except between Latin words."""
    out = ""
    for line in lines:
        line = line.strip()
        if out and line and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


_ELEMENT_MARK_RE = re.compile(rf"^\s*(?:——|[{BULLETS}])")


def _starts_element(line: str) -> bool:
    """Lines that always begin something new without a blank line before them (bullets, bylines, footers, dates)."""
    if _ELEMENT_MARK_RE.match(line) or reporter_byline(line) is not None or is_dateline(line):
        return True
    return bool(_FOOTER_OPEN_RE.match(line) or _FOOTER_LINE_RE.match(line))


def _ends_block(block: Block, line: str) -> bool:
    """Does ``line`` begin a new block although no blank line stands before it?

    Texts without blank lines (web pages, copied PDF text) put headline, subtitle, date
    line and paragraphs on consecutive lines; their shape tells them apart. After a full
    stop a paragraph has ended; after a headline (or a —— subtitle), a longer line that
    is no headline (punctuated at its end, or too long) opens the body, while a
    headline's second line is headline-shaped itself. A distribution footer runs on
    whatever its lines end with.
    """
    last = block.lines[-1]
    if reporter_byline(last) or is_dateline(last):
        return True
    if _FOOTER_OPEN_RE.match(block.lines[0]):
        return False
    if ends_sentence(last):
        return True
    title_like = headline_shaped(last) or headline_shaped(last.lstrip("—- "))
    return title_like and not headline_shaped(line) and len(line.strip()) > len(last.strip())


def split_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    gap = 0
    current: Block | None = None
    for line in lines:
        if not line.strip():
            gap += 1
            current = None
            continue
        heading = _HEADING_RE.match(line.strip())
        if heading and heading.group(2):
            blocks.append(Block([heading.group(2)], gap, level=len(heading.group(1))))
            current = None
        elif (
            current is None
            or _starts_element(line)
            or _ends_block(current, line)
            or (BRIEF_NUMBER_RE.match(line) and is_terminated(current.lines[-1]))
        ):
            run_in = split_run_in_headline(line)
            if run_in:  # "headline 5月8日，…。" on one line: the headline is a block of its own
                blocks.append(Block([run_in[0]], gap))
                gap, line = 0, run_in[1]
            current = Block([line], gap)  # a marker line (——, □, ▲) or a byline ends the block before it
            blocks.append(current)
        else:
            current.lines.append(line)
        gap = 0
    for block, following in itertools.pairwise(blocks):
        block.gap_after = following.gap_before
    if blocks:
        blocks[-1].gap_after = 99  # the end of the text counts as a big gap
    return blocks


def mark_footer_and_noise(blocks: list[Block]) -> None:
    """Distribution lists (分送/报/发) run to the end once they start; contact and date lines go wherever they are."""
    in_footer = False
    for block in blocks:
        text = block.text
        if in_footer and (block.level or len(text) > 80 or not is_terminated(text)):
            in_footer = False  # an unpunctuated line is a headline: the footer was not at the end
        if _FOOTER_OPEN_RE.match(text) and len(text) <= 200:
            in_footer = True
        if in_footer or (_FOOTER_LINE_RE.match(text) and len(text) <= 80):
            block.kind = "footer"
        elif not block.level and NOISE_RE.search(text) and len(text) <= 60:
            block.kind = "noise"
        elif not block.level and is_dateline(text):
            block.kind = "dateline"


def dateline_date(blocks: list[Block]) -> datetime.date | None:
    """The date a web page's date line prints (时间：2021-10-22), for a text whose masthead gives none."""
    for block in blocks:
        if block.kind == "dateline":
            date, _, _ = masthead_date(block.text)
            if date is not None:
                return date
    return None


def _caption_shaped(block: Block) -> bool:
    text = block.text
    if block.level or block.kind or len(block.lines) > 2 or not 4 <= len(text) <= 60:
        return False
    if text[0] in BULLETS + "—-(（" or text in KNOWN_SECTIONS or reporter_byline(text):
        return False
    if text.count("。") > 1 or ("。" in text and not text.endswith("。")):
        return False
    if text[-1] in HEADLINE_BAD_END and not text.endswith("。"):
        return False
    return han_count(text) >= len(text) // 2


def mark_captions(blocks: list[Block]) -> None:
    """Photo captions: short stand-alone lines after a wide gap (the photo), often in runs.

    A caption ending in 。 needs only the gap before it; an unpunctuated one could be a
    headline, so it also needs a gap after it or a caption neighbour.  A lone, very
    short line after a paragraph cut mid-sentence is that paragraph's tail, not a caption.
    """
    n = len(blocks)
    strong = [_caption_shaped(b) and b.gap_before >= 2 for b in blocks]
    index = 0
    while index < n:
        if not strong[index]:
            index += 1
            continue
        end = index
        while end + 1 < n and strong[end + 1]:
            end += 1
        run = blocks[index : end + 1]
        previous = _previous_text_block(blocks, index)
        tail_of_cut = previous is not None and not is_terminated(previous.text) and len(previous.text) > 40
        for offset, block in enumerate(run):
            text = block.text
            if not text.endswith("。") and len(run) == 1 and block.gap_after < 2:
                continue  # a headline after a page gap, not a photo caption
            if len(run) == 1 and tail_of_cut and offset == 0 and len(text) < 15:
                continue  # "…及时帮助他们解决" + gap + "实际困难。"
            block.kind = "caption"
        index = end + 1


def _previous_text_block(blocks: list[Block], index: int) -> Block | None:
    for j in range(index - 1, -1, -1):
        if not blocks[j].kind:
            return blocks[j]
    return None
