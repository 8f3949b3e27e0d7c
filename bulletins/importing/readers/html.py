"""Read a bulletin reposted as a web article: the main content only, in the seeds' text form.

Main-content extraction is readability-lxml (the algorithm of Firefox's
reader view). trafilatura was weighed on the same test pages: it kept the
comment widget's heading, lost the photo captions and a feature page's
subtitle, and brings about twelve packages (date parsing, URL and language
libraries) where readability needs four. What readability keeps of the site
inside the article box (an "作者:佚名 发布时间:… 浏览:…" line, share and
print links, paging) is dropped here by the patterns below.
"""

from __future__ import annotations

import re

from .base import CorruptOriginal, Paragraph, ReadResult, compose_text, join_lines, normalise_cjk

__all__ = ["read_html"]

_BLOCKS = {"p", "div", "li", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption", "caption", "section", "article"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIP = {"script", "style", "noscript", "nav", "form", "button", "iframe", "svg", "select", "textarea"}
_SKIP |= {"header", "footer", "aside"}
# Site chrome that stays inside the article box: article info, view counts, share and print links, paging.
_CHROME_RE = re.compile(
    r"^\s*(?:(?:作者|来源|发布时间|发布日期|发布者|时间|日期|编辑|浏览(?:次数)?|点击(?:数|量)?|阅读(?:量|数)?)"
    r"\s*[:：]\s*\S*\s*){2,}$"
    r"|^\s*(?:浏览|点击|阅读)(?:次数|数|量)?\s*[:：]\s*\d+\s*次?\s*$"
    r"|^\s*(?:分享到|分享至|打印本页|打印|关闭窗口|关闭|收藏|返回顶部|【?\s*字[号体]\s*[:：]?\s*大\s*中\s*小\s*】?|"
    r"上一篇|下一篇|相关阅读|相关文章|扫一扫|网友评论|发表评论|我要评论)"
)
_INFO_PART_RE = re.compile(r"(?:作者|来源|发布时间|发布日期|浏览|点击|阅读)\s*[:：]")


def _is_chrome(text: str) -> bool:
    """A site's furniture line: several 'label: value' pairs of article info, counts, share or paging links."""
    if _CHROME_RE.match(text):
        return True
    return len(_INFO_PART_RE.findall(text)) >= 2 and len(text) <= 120


def _walk(element, out: list[tuple[int, str, bool]], photo: list[bool]) -> None:
    """Collect (level, text, after_photo) for each block, depth first, skipping site widgets."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP or _is_widget(element):
        return
    if tag == "img":
        photo[0] = True
        return
    if tag in _HEADINGS or (tag in _BLOCKS and not any(_is_block(child) for child in element)):
        text = _text_with_breaks(element)
        if text:
            out.append((_HEADINGS.get(tag, 0), text, photo[0]))
            photo[0] = False
        if element.find(".//img") is not None:
            photo[0] = True
        return
    for child in element:
        _walk(child, out, photo)


def _is_block(element) -> bool:
    return isinstance(element.tag, str) and (element.tag in _BLOCKS or element.tag in _HEADINGS)


def _is_widget(element) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return bool(re.search(r"share|comment|breadcrumb|crumb|bdshare|jiathis|social|pager|pagination|toolbar", marks))


def _text_with_breaks(element) -> str:
    """The element's text with ``<br>`` as line breaks, widgets inside it left out."""
    parts: list[str] = []

    def visit(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag not in _SKIP and (node is element or not _is_widget(node)):
            parts.append(node.text or "")
            for child in node:
                visit(child)
        if node is not element:
            parts.append(node.tail or "")

    visit(element)
    lines = [join_lines([line]) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def read_html(data: bytes, name: str) -> ReadResult:
    import lxml.html
    from readability import Document

    try:
        document = Document(data)
        summary = document.summary(html_partial=True)
        page_title = document.short_title() or ""
        tree = lxml.html.fromstring(summary)
        original = lxml.html.fromstring(data)
    except Exception as exc:  # lxml and readability raise their own types on markup that is not HTML at all
        raise CorruptOriginal(name, f"网页无法解析（{type(exc).__name__}）") from None
    blocks: list[tuple[int, str, bool]] = []
    _walk(tree, blocks, [False])
    blocks = [(level, text, photo) for level, text, photo in blocks if not _is_chrome(text)]
    texts = {text for _, text, _ in blocks}
    headline = next((text for h1 in original.iter("h1") if (text := _text_with_breaks(h1))), "")
    if headline and headline not in texts:
        # Readability keeps the article box; the headline often stands above it, in the page's h1.
        blocks.insert(0, (1, headline, False))
    paragraphs = [
        Paragraph(text=normalise_cjk(text), page=1, level=level, gap_before=3 if photo and i else 1)
        for i, (level, text, photo) in enumerate(blocks)
    ]
    if not paragraphs:
        raise CorruptOriginal(name, "网页中没有找到正文")
    return ReadResult(kind="html", text=compose_text(paragraphs), paragraphs=paragraphs, title=page_title)
