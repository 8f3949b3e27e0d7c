"""A bulletin saved from a web page: the site's chrome taken out, the page's posting date and publisher kept.

Why a step of its own, before the masthead is read: a repost saved as text
carries the site around the bulletin (a login bar, the site's name, a
breadcrumb ``首页 > 新闻动态``, the post's meta line ``作者:… 发布时间:…
浏览:…``, ``【打印】【关闭】``, share buttons, previous/next links, comment
prompts, a copyright line). Left in, these lines become the issue's title or
article text. Taken out here, every later step sees the bulletin alone.

Why conservative: a line of bulletin text must never be lost. So a text is
taken for a web page only when a line near its top or bottom has a shape no
bulletin prints (a breadcrumb starting at 首页, a meta line with a posting time
or a view count, a row of bracketed page tools); only then do the weaker shapes
(``返回首页``, ``登录 | 注册``, ``分享到:``, ``相关新闻`` and the links under it)
count, and only near the top or bottom, and each is a whole line of a fixed
form. A removed run of lines leaves one blank line, so the page title above a
meta line stays apart from the body below it.

Lines are matched in simplified script (OpenCC, one call for the lines looked
at), so a page in traditional script (``首頁``, ``發佈時間``, ``【關閉窗口】``)
is read the same. What the page says about the bulletin is returned beside the
lines: the posting date, used by the parser only when the bulletin itself has
no date, and the publishing body the page names (its site name above the
breadcrumb, or an organisation as the post's 来源 or 作者).
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass, field

from ..chinese_script import to_simplified
from .dates import masthead_date
from .shapes import ORG_RE
from .text import clean_space, word_list

__all__ = ["WebPage", "chrome_kind", "read_web_page"]

# How many non-blank lines at the top and at the bottom of a text are looked at: a page's header
# (navigation, site name, breadcrumb, title, meta line, tools) and footer (share, previous/next,
# related links, comments, copyright) are short; the bulletin in between is never touched.
HEAD_LINES = 15
TAIL_LINES = 25
_MAX_CHROME_LEN = 100

_SEPARATOR = r"(?:>>?|＞|»|›|→|》|/|-+>)"
_BREADCRUMB_RE = re.compile(
    rf"^(?:(?:当前|您的|你的|所在)(?:的)?位置\s*[:：].*|(?:(?:当前|您的|你的|所在)位置\s*[:：]?\s*)?(?:网站)?首页\s*{_SEPARATOR}.*)$"
)
# Fields only a web page's meta line has: when the post went up, how often it was read.
_POSTED_FIELD_RE = re.compile(r"(?:^|\s)(?:发布|发表|发稿|更新|上传|录入|添加)\s*(?:时间|日期)\s*[:：]\s*(?=[0-9])")
_COUNT_FIELD_RE = re.compile(
    r"(?:^|\s)(?:(?:浏览|点击|阅读|访问|查看)\s*(?:次数|量|数|率)?\s*[:：]\s*[0-9]+"
    r"|(?:浏览|点击|阅读)\s*[0-9]+\s*次(?:\s|$))"
)
# The fields of a meta line that may name the publishing body.
_NAMING_FIELD_RE = re.compile(r"(?:^|\s)(?:信息来源|来源|作者|发布单位|发布者|供稿单位)\s*[:：]\s*([^\s:：]+)")
# A meta line split over several lines: a line of naming fields only (来源：… 作者：…) beside a meta line.
_FIELDS_ONLY_RE = re.compile(r"^(?:(?:信息来源|来源|作者|发布单位|发布者|供稿单位|编辑|责任编辑)\s*[:：]\s*\S*\s*)+$")
# One page tool in brackets: 【字体：大 中 小】 【打印本页】 [关闭窗口] 【返回顶部】 【我要评论】.
_TOOL = (
    r"(?:(?:字体|字号)\s*[:：]?[大中小\s]*|大\s*中\s*小|放大|缩小|顶部|(?:发表|我要)?评论|返回(?:顶部|首页|列表)?"
    r"|(?:打印|关闭|收藏|保存|复制|分享|推荐|纠错)(?:本页|此页|此文|本文|文章|窗口|网页)?)"
)
_TOOLS_RE = re.compile(
    rf"^(?:[【\[［]\s*{_TOOL}\s*[】\]］]\s*)+$"
    r"|^(?:打印本页|打印此文|关闭窗口|收藏本页|返回顶部)(?:\s+(?:打印本页|打印此文|关闭窗口|收藏本页|返回顶部))+$"
)
_NAV_WORDS = frozenset(
    word_list(
        """登录 注册 退出 设为首页 加入收藏 收藏本站 网站首页 首页 联系我们 网站地图 帮助 English 繁体 简体 繁体版
        简体版 繁体中文 简体中文 无障碍 无障碍浏览 会员中心 用户中心 找回密码 忘记密码"""
    )
)
_NAV_SPLIT_RE = re.compile(r"[|｜丨·•/\s]+")
_SHARE_PLACES = r"(?:微信|微博|朋友圈|QQ空间|QQ|新浪微博|腾讯微博|豆瓣|人人网|百度|更多)"
_FOOTER_RE = re.compile(
    r"^(?:返回(?:首页|顶部|列表|上一页|上页|目录|栏目)"
    r"|关闭窗口|关闭本页|打印本页|打印此文|收藏本页"
    rf"|分享到\s*(?:[:：].*)?|分享到(?:\s*{_SHARE_PLACES})+"
    r"|(?:上|下)一(?:篇|条|页)\s*(?:[:：].*)?"
    r"|(?:发表|我要|查看|网友|全部|最新)评论\s*(?:[(（]\s*[0-9]*\s*[)）])?"
    r"|请(?:先)?登录后(?:再)?(?:发表|进行)?评论.*"
    r"|(?:相关|推荐|热门|最新|延伸)(?:新闻|文章|链接|阅读|信息|资讯|内容)\s*[:：]?"
    r"|(?:Copyright|版权所有|©).*|.*(?:ICP备|ICP证|公网安备).*"
    r"|技术支持\s*[:：].*|(?:您是|你是)第\s*[0-9]+\s*位访问者.*|扫一扫.*(?:分享|手机|二维码).*"
    r")$",
    re.IGNORECASE,
)
_RELATED_RE = re.compile(r"^(?:相关|推荐|热门|最新|延伸)(?:新闻|文章|链接|阅读|信息|资讯|内容)\s*[:：]?$")
_RELATIVE_RE = re.compile(r"^(?:省|市|州|县|区|旗|镇|乡|本|我|该|总)")


@dataclass
class WebPage:
    """The text's lines without the site's chrome, and what the page says about the bulletin."""

    lines: list[str]
    posted: datetime.date | None = None  # the page's posting date (发布时间)
    publisher: str = ""  # the body the page names: site name, or an organisation as 来源/作者
    dropped: list[str] = field(default_factory=list)  # the chrome lines, as printed


def chrome_kind(line: str) -> str:
    """The kind of chrome a line (in simplified script) is: "breadcrumb", "meta", "tools",
    "nav", "footer", or "" for a line that is not chrome.

    The first three are signs of a web page on their own; "nav" and "footer" count
    only on a page that shows one of them.
    """
    text = clean_space(line)
    if not text or len(text) > _MAX_CHROME_LEN or "。" in text:
        return ""
    strong = _strong_kind(text)
    if strong:
        return strong
    parts = [part for part in _NAV_SPLIT_RE.split(text) if part]
    if parts and all(part in _NAV_WORDS for part in parts):
        return "nav"
    if _FOOTER_RE.match(text):
        return "footer"
    return ""


def _shows_web_page(text: str, *, at_top: bool) -> bool:
    if len(text) > _MAX_CHROME_LEN or "。" in text:
        return False
    sign = _strong_kind(text)
    return bool(sign) and (sign != "breadcrumb" or at_top)


def _strong_kind(text: str) -> str:
    """The kind of a line that alone shows a web page ("breadcrumb", "meta", "tools"), else ""."""
    if _BREADCRUMB_RE.match(text):
        return "breadcrumb"
    if _POSTED_FIELD_RE.search(text) or _COUNT_FIELD_RE.search(text):
        return "meta"
    if _TOOLS_RE.match(text):
        return "tools"
    return ""


def read_web_page(lines: list[str]) -> WebPage:
    """``lines`` without the chrome of the web page they were saved from; unchanged when they are no web page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    looked_at = sorted(set(filled[:HEAD_LINES]) | set(filled[-TAIL_LINES:]))
    if not looked_at:
        return WebPage(lines)
    simplified = to_simplified("\n".join(clean_space(lines[i]) for i in looked_at)).split("\n")
    if len(simplified) != len(looked_at):  # a conversion that changed the line count: read the lines as printed
        simplified = [clean_space(lines[i]) for i in looked_at]
    form = dict(zip(looked_at, simplified, strict=True))
    head = set(filled[:HEAD_LINES])
    # Checked first and cheaply, since almost every text is no web page. A path such as
    # 首页→献血服务 at the bottom is a bulletin's how-to, not navigation.
    if not any(_shows_web_page(text, at_top=i in head) for i, text in form.items()):
        return WebPage(lines)
    kinds = {i: chrome_kind(text) for i, text in form.items()}
    for i in looked_at:
        if kinds[i] == "breadcrumb" and i not in head:
            kinds[i] = ""

    _join_split_meta(filled[:HEAD_LINES], kinds, form)
    page = WebPage(lines)
    chrome = {i for i, kind in kinds.items() if kind}
    chrome |= _site_header(filled, head, kinds, form, page)
    chrome |= _related_links(filled[-TAIL_LINES:], kinds, form)
    chrome |= _repeated_title(lines, filled, head, kinds, chrome, form)
    _read_meta([form[i] for i in looked_at if kinds[i] == "meta"], page)
    page.lines = _without(lines, chrome)
    page.dropped = [lines[i] for i in sorted(chrome)]
    return page


def _join_split_meta(head: list[int], kinds: dict[int, str], form: dict[int, str]) -> None:
    """Lines of naming fields only (来源：…, 作者：…) next to a meta line at the top are part of it.

    Why only beside one: alone, ``作者：金美玉`` is an article's byline.
    """
    for order in (head, head[::-1]):
        for before, line in itertools.pairwise(order):
            if not kinds[line] and kinds[before] == "meta" and _FIELDS_ONLY_RE.match(form[line]):
                kinds[line] = "meta"


def _site_header(filled: list[int], head: set[int], kinds: dict[int, str], form: dict[int, str], page: WebPage):
    """Short lines above the first breadcrumb at the top: the site's name, slogan and menus.

    The site's name (an organisation's name) is the page's publisher unless its meta line names one.
    """
    crumbs = [i for i in filled if i in head and kinds[i] == "breadcrumb"]
    if not crumbs:
        return set()
    above = [i for i in filled if i < crumbs[0]]
    if any(len(form[i]) > 30 or "。" in form[i] for i in above):
        return set()  # text above the breadcrumb: not a site header, keep it
    for i in above:
        if ORG_RE.match(form[i]) and not _RELATIVE_RE.match(form[i]):
            page.publisher = form[i]
    return set(above)


def _related_links(tail: list[int], kinds: dict[int, str], form: dict[int, str]) -> set[int]:
    """The list of links under a 相关新闻 heading at the bottom: short, unpunctuated lines up to the next chrome."""
    links: set[int] = set()
    in_list = False
    for i in tail:
        text = form[i]
        if kinds[i]:
            in_list = bool(_RELATED_RE.match(text))
        elif in_list and len(text) <= 40 and text[-1] not in "。！？；":
            links.add(i)
        else:
            in_list = False
    return links


def _key(text: str) -> str:
    """Letters and digits only: a page title and the masthead it repeats differ in brackets and spacing."""
    return "".join(ch for ch in text if ch.isalnum())


def _repeated_title(
    lines: list[str], filled: list[int], head: set[int], kinds: dict[int, str], chrome: set[int], form: dict[int, str]
) -> set[int]:
    """The page's own title, dropped when the bulletin under the header repeats it (its masthead or headline).

    The title is the line just above the meta line; kept otherwise, it is the article's headline.
    """
    metas = [i for i in filled if i in head and kinds[i] == "meta"]
    if not metas:
        return set()
    above = [i for i in filled if i < metas[0] and i not in chrome]
    if not above:
        return set()
    title = above[-1]
    following = [i for i in filled if i > metas[0] and i not in chrome][:3]
    opening = _key("".join(form.get(i, lines[i]) for i in following))
    wanted = _key(form[title])
    return {title} if wanted and opening.startswith(wanted) else set()


def _read_meta(metas: list[str], page: WebPage) -> None:
    """The posting date and an organisation named as 来源 or 作者, from the page's meta lines."""
    named_here = False
    for text in metas:
        posted = _POSTED_FIELD_RE.search(text)
        date, _, _ = masthead_date(text[posted.end() :] if posted else text)
        if date is not None and page.posted is None:
            page.posted = date
        named = [m.group(1) for m in _NAMING_FIELD_RE.finditer(text)]
        organisations = [name for name in named if ORG_RE.match(name) and not _RELATIVE_RE.match(name)]
        if organisations and not named_here:
            page.publisher = organisations[0]  # the post's own source wins over the site's name
            named_here = True


def _without(lines: list[str], chrome: set[int]) -> list[str]:
    """``lines`` without the ``chrome`` lines; a removed run leaves one blank line (a photo gap is two)."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i not in chrome:
            kept.append(line)
        elif kept and kept[-1].strip():
            kept.append("")
    return kept
