"""What a line or block looks like: headline, section heading, byline, regional prefix, brief item.

The patterns are shared by the block classification and by every bulletin
format; each is a plain function of the text, no state.
"""

from __future__ import annotations

import re

from .dates import cn_to_int
from .text import clean_space, han_count, word_list

_PARA_END = "。！？!?…；;：:”」』"  # a paragraph ending with one of these is complete; "（AED）" is not
HEADLINE_BAD_END = "。！？!?…；;：:，,、"  # a headline never ends with these
NOISE_RE = re.compile(
    r"内部资料|免费交流|注意保存|微\s*博|网\s*址|邮\s*箱|e-?mail|https?://|www\.|@|传\s*真|邮\s*编|公众号|微信",
    re.IGNORECASE,
)
BRIEF_OPEN_RE = re.compile(r"^[【\[]?\s*(?:简\s*讯|动\s*态|近期工作)\s*[】\]]?\s*[:：]?$")
BULLETS = "▲△●◆■★☆○◇□"
# A bullet that opens a brief item wherever it stands; □ is a reporter's mark (□通讯员), not one.
BULLET_RE = re.compile(r"^\s*[▲△●◆■★☆○◇](?!\s*(?:通讯员|记者))\s*")
BRIEF_BULLET_RE = BULLET_RE
BRIEF_NUMBER_RE = re.compile(r"^\s*(?:[0-9]{1,2}\s*[.、．](?![0-9])|[(（]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）])\s*")
# Numbered headings of a report, by rank: 一、 (1), （一） (2), 1. / （1） (3).
_NUMBERED_HEADING_RES = (
    (1, re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、．.]")),
    (2, re.compile(r"^\s*[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]")),
    (3, re.compile(r"^\s*(?:([0-9]{1,2})\s*[.、．](?![0-9])|[(（]\s*([0-9]{1,2})\s*[)）])")),
)


KNOWN_SECTIONS = frozenset(
    word_list(
        """每月要览 综合报道 工作动态 要闻 要闻速递 本会要闻 基层动态 地方动态 各地动态 市州动态 县市动态 会务动态
    本会动态 总会动态 红十字动态 工作交流 经验交流 信息交流 领导讲话 重要讲话 图片新闻 媒体聚焦 媒体报道
    他山之石 特别关注 专题报道 党建工作 党建园地 志愿服务 应急救护 人道救助 三献工作 基层风采 理论研究
    调研报告 工作研究 通知公告 一周要闻 工作简讯 信息快递 本期关注 专题 特稿 评论"""
    )
)

NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
ORG_RE = re.compile(r"^[\u4e00-\u9fff()（）]{3,20}(?:会|办公室|中心|部|局|委员会|协会|院|站|队)$")
_REPORTER_RE = re.compile(r"^(通讯员|特约通讯员|记者|特约记者|见习记者)\s*[:：]?\s*([\u4e00-\u9fff·、， ,]{2,30})$")
_CREDIT_RE = re.compile(
    r"^(?:文\s*/\s*图|图\s*/\s*文|文图|文|图|摄影|摄|供稿|来源|作者|撰稿)\s*[:：/]?\s*([\u4e00-\u9fff·、， ,]{2,30})$"
)
_SUPPLIED_BY_RE = re.compile(r"^([\u4e00-\u9fff·、， ,]{2,30})\s*/\s*(?:供稿|供图|文|图)$")
# A credit in parentheses, usually glued to the end of the last paragraph: (文/图:张雷)
_INLINE_CREDIT_RE = re.compile(
    r"[(（]\s*(?:文\s*/\s*图|图\s*/\s*文|文图|文|图|摄影|通讯员|记者|供稿|作者)\s*[:：/]\s*([^()（）\n]{1,30}?)\s*[)）]\s*$"
    # or a bare name or office closing the last sentence: …万元。（柳志刚）
    r"|(?<=[。！？”])\s*[(（]\s*([\u4e00-\u9fff·]{2,4}|[\u4e00-\u9fff]{2,10}(?:办公室|部|中心|科))\s*[)）]\s*$"
)
# The reporter in brackets at the end of a brief item: …宣传。（赵红）
_BRIEF_SOURCE_RE = re.compile(r"(?<=[。！？”])\s*[(（]\s*([\u4e00-\u9fff·]{2,4})\s*[)）]\s*$")
_REGION_RE = re.compile(r"^([\u4e00-\u9fff]{2,5})\s*[:：]\s*(\S.*)$")
_NOT_REGIONS = frozenset(
    word_list("快讯 简讯 专访 评论 特稿 观察 聚焦 关注 视点 声音 公告 通知 导读 提示 按语 编者按 图片新闻 短评")
)


# A web page's date line under a headline: "时间：2021-10-22 来源：孝感市红十字会", "发布日期：2021年10月22日".
_DATELINE_RE = re.compile(r"^\s*(?:发布|更新)?(?:时间|日期)\s*[:：]\s*(?:19|20)[0-9]{2}\s*[-/.年]")
_SENTENCE_END_RE = re.compile(r"[。！？!?…][”’」』）)]*\s*$")


def is_dateline(text: str) -> bool:
    """A line that only dates (and credits) the article on a web page: metadata, not text."""
    return len(text.strip()) <= 80 and bool(_DATELINE_RE.match(text))


def ends_sentence(text: str) -> bool:
    """Ends with a full stop (maybe inside quotes): stricter than :func:`is_terminated`.

    Line breaks of a wrapped paragraph fall after commas and closing quotes too; after a
    full stop, a break in a text without blank lines is taken for a paragraph's end.
    """
    return bool(_SENTENCE_END_RE.search(text))


def is_terminated(text: str) -> bool:
    """True when a paragraph ends with closing punctuation, i.e. was not cut by a page break."""
    return bool(text) and text.rstrip()[-1] in _PARA_END


def headline_shaped(text: str, max_len: int = 40) -> bool:
    """Short, unpunctuated at the end, mostly Chinese: how a bare headline looks."""
    text = text.strip()
    if not 4 <= len(text) <= max_len or text[-1] in HEADLINE_BAD_END:
        return False
    if text[0] in BULLETS + "(（-—" or "。" in text:
        return False
    return han_count(text) >= max(3, len(text) // 2)


# How a news paragraph opens: its date and a comma ("5月8日，", "4月26日至27日，"), or 近日，/日前，.
_NEWS_LEAD_RE = re.compile(
    r"^(?:(?:(?:19|20)[0-9]{2}\s*年\s*)?[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]"
    r"(?:\s*(?:至|到|[-—–~～])\s*(?:[0-9]{1,2}\s*月\s*)?[0-9]{1,2}\s*[日号])?|近日|日前)\s*[，,]"
)
_CLAUSE_MARKS_RE = re.compile(r"[，,。：:；;]")


def split_run_in_headline(line: str) -> tuple[str, str] | None:
    """(headline, paragraph) of a headline run into its body on one line, else None.

    "市红十字会开展博爱周活动 5月8日，市红十字会在…。": a headline-shaped stretch, a space,
    and a complete paragraph opening with its date. Only the first space before such a
    lead is tried. A sentence whose subject stands before its date ("张明 5月8日，带队…",
    "会上，会长 5月8日，…") has a subject shorter than a headline or a comma before the
    date, and stays a sentence; the paragraph must be complete and longer than the headline.
    """
    for gap in re.finditer(r"\s+", line.strip()):
        head, body = line.strip()[: gap.start()], line.strip()[gap.end() :]
        if not _NEWS_LEAD_RE.match(body):
            continue
        if len(head) < 8 or _CLAUSE_MARKS_RE.search(head) or not headline_shaped(head):
            return None
        if not is_terminated(body) or len(body) <= len(head):
            return None
        return clean_space(head), body
    return None


def section_shaped(text: str) -> bool:
    return text in KNOWN_SECTIONS or (4 <= len(text) <= 8 and han_count(text) == len(text))


def numbered_heading(text: str) -> tuple[int, int] | None:
    """(rank, number) of a line opening with a heading number: "二、存在的问题" -> (1, 2); else None."""
    for rank, pattern in _NUMBERED_HEADING_RES:
        match = pattern.match(text)
        if match:
            number = cn_to_int(next(group for group in match.groups() if group))
            return (rank, number) if number is not None else None
    return None


def reporter_byline(text: str) -> str | None:
    """Byline from a stand-alone credit line, or None if the line is not one.

    Reporter lines keep their role ("通讯员 贺佳晶"); other credits give the bare name.
    """
    text = clean_space(text)
    if text.startswith("□"):
        rest = clean_space(text.lstrip("□"))
        if rest and len(rest) <= 30 and not any(ch in rest for ch in "。！？"):
            match = _REPORTER_RE.match(rest)
            return f"{match.group(1)} {clean_space(match.group(2))}" if match else rest
        return None
    match = _REPORTER_RE.match(text)
    if match:
        return f"{match.group(1)} {clean_space(match.group(2))}"
    match = _CREDIT_RE.match(text.strip("()（）")) or _SUPPLIED_BY_RE.match(text.strip("()（）"))
    if match:
        return clean_space(match.group(1))
    return None


_BRACKETED_RE = re.compile(r"^[(（]\s*([^()（）]+?)\s*[)）]$")


def signature_name(text: str) -> str:
    """The person or body signing an article on a line of its own ("沈宏轩", "（校工会办公室）"), else "".

    Brackets are how many bulletins set a signature apart from the last paragraph.
    """
    text = clean_space(text)
    bracketed = _BRACKETED_RE.match(text)
    name = bracketed.group(1) if bracketed else text
    if name in KNOWN_SECTIONS or not (NAME_RE.match(name) or ORG_RE.match(name)):
        return ""
    return name


def region_of(title: str) -> str:
    match = _REGION_RE.match(title)
    if not match or match.group(1) in _NOT_REGIONS:
        return ""
    region = match.group(1)
    return region[:-1] if region.endswith("市") and len(region) > 2 else region


def strip_inline_credit(text: str) -> tuple[str, str]:
    match = _INLINE_CREDIT_RE.search(text)
    if not match:
        return text, ""
    return text[: match.start()].rstrip(), clean_space(match.group(1) or match.group(2))


def brief_source(text: str) -> tuple[str, str]:
    """A brief item's text without the reporter named in brackets at its end, and that reporter."""
    match = _BRIEF_SOURCE_RE.search(text)
    if not match:
        return text, ""
    return text[: match.start()].rstrip(), match.group(1)
