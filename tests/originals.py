"""Build originals (PDF, DOCX, HTML) from the seed texts and from texts of our own, for the reader tests.

Why build them instead of shipping files: each original is made from a text
whose parse is known, so a test can demand that reading the original gives
the same issue, field by field. The layouts imitate real bulletins: a red
masthead, larger bold headlines, first-line indents, photos with captions, a
running head, page numbers, and a two-column page.

A seed is first turned into :class:`Item` s (heading, line, paragraph,
photo-gap), and every builder draws those items in its own way.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@dataclass
class Item:
    kind: str  # "heading", "line" (a short line of its own, e.g. in the masthead) or "para"
    text: str
    level: int = 0  # heading level, 1 = masthead
    gap: bool = False  # a photo (or another wide blank) stands before it


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def seed_items(text: str, *, headlines: tuple[str, ...] = (), masthead: str = "") -> list[Item]:
    """The seed as drawable items; ``headlines`` (bare headlines of a plain-text seed) are drawn as level 2.

    A block of several lines (markdown line breaks in a masthead or a two-line
    subtitle) stays one item of kind "lines", drawn centred line by line.
    """
    items: list[Item] = []
    blanks, block = 0, []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            block.append(line.strip())
            continue
        if block:
            items.append(_item(block, gap=bool(items) and blanks >= 2, headlines=headlines, masthead=masthead))
            block, blanks = [], 0
        blanks += 1
    return items


def _item(lines: list[str], *, gap: bool, headlines: tuple[str, ...], masthead: str) -> Item:
    heading = re.match(r"^(#{1,6})\s*(.*?)\s*#*$", lines[0])
    if heading:
        return Item("heading", heading.group(2), level=len(heading.group(1)), gap=gap)
    if lines[0] == masthead:
        return Item("heading", lines[0], level=1, gap=gap)
    if lines[0] in headlines:
        return Item("heading", lines[0], level=2, gap=gap)
    if len(lines) > 1:
        return Item("lines", "\n".join(lines), gap=gap)
    return Item("para", lines[0], gap=gap)


def items_text(items: list[Item]) -> str:
    """What a perfect reader would return for these items (the reader's text form)."""
    out = []
    for item in items:
        if out:
            out.append("\n\n\n\n" if item.gap else "\n\n")
        out.append(("#" * item.level + " " if item.kind == "heading" else "") + item.text)
    return "".join(out) + "\n"


# --------------------------------------------------------------------------- PDF drawn with reportlab

HEADING_SIZES = {1: 26, 2: 18, 3: 15, 4: 13, 5: 12, 6: 12}
BODY_SIZE = 11
CJK_FONT = "STSong-Light"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _wrap(text: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for ch in text:
        if current and stringWidth(current + ch, CJK_FONT, size) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines


def _flowables(items: list[Item], width: float):
    """Platypus flowables for the items: bold (fill + stroke) centred headlines, indented paragraphs, photos."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

    class Centred(Flowable):
        def __init__(self, text: str, size: float, *, bold: bool, red: bool = False):
            super().__init__()
            self.lines = [line for part in text.split("\n") for line in _wrap(part, size, width * 0.9)]
            self.size, self.bold, self.red = size, bold, red

        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            return avail_width, self.size * 1.45 * len(self.lines) + self.size * 0.4

        def draw(self):
            canvas = self.canv
            canvas.saveState()
            canvas.setFillColor(colors.HexColor("#c00000") if self.red else colors.black)
            canvas.setStrokeColor(colors.HexColor("#c00000") if self.red else colors.black)
            canvas.setLineWidth(self.size / 30)
            y = self.size * 1.45 * len(self.lines) - self.size * 1.1
            for line in self.lines:
                text = canvas.beginText()
                text.setFont(CJK_FONT, self.size)
                text.setTextRenderMode(2 if self.bold else 0)
                from reportlab.pdfbase.pdfmetrics import stringWidth

                text.setTextOrigin((self.width - stringWidth(line, CJK_FONT, self.size)) / 2, y)
                text.textOut(line)
                canvas.drawText(text)
                y -= self.size * 1.45
            canvas.restoreState()

    class Photo(Flowable):
        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            return avail_width, 110

        def draw(self):
            self.canv.setFillColor(colors.HexColor("#b8c4cc"))
            self.canv.rect(self.width * 0.2, 8, self.width * 0.6, 96, stroke=0, fill=1)

    body = ParagraphStyle(
        "body", fontName=CJK_FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.6, firstLineIndent=BODY_SIZE * 2
    )
    body.wordWrap = "CJK"
    caption = ParagraphStyle("caption", parent=body, fontSize=9, leading=13, firstLineIndent=0, alignment=TA_CENTER)
    out = []
    for item in items:
        short = item.kind == "para" and len(item.text) <= 60
        if item.gap and short:  # a photo and its caption stay on one page
            out.append(KeepTogether([Photo(), Paragraph(_escape(item.text), caption)]))
            continue
        if item.gap:
            out.append(Spacer(width, 60))
        if item.kind == "heading":
            out.append(Centred(item.text, HEADING_SIZES[item.level], bold=True, red=item.level == 1))
        elif item.kind == "lines":
            out.append(Centred(item.text, BODY_SIZE, bold=False))
        else:
            out.append(Paragraph(_escape(item.text), body))
        out.append(Spacer(width, 4))
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reportlab_pdf(
    items: list[Item], *, running_head: str = "", two_column_from: int | None = None, **doc_options
) -> bytes:
    """A PDF of the items: A4, running head and "— N —" page numbers; items from ``two_column_from`` in two columns."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

    _register_font()
    page_w, page_h = A4
    margin = 56

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont(CJK_FONT, 9)
        canvas.setFillColor(colors.grey)
        if running_head and doc.page > 1:
            canvas.drawString(margin, page_h - 36, running_head)
            canvas.line(margin, page_h - 40, page_w - margin, page_h - 40)
        number = f"— {doc.page} —"
        canvas.drawString((page_w - stringWidth(number, CJK_FONT, 9)) / 2, 28, number)
        canvas.restoreState()

    width, height = page_w - 2 * margin, page_h - 2 * margin
    one = PageTemplate("one", [Frame(margin, margin, width, height, id="body")], onPage=furniture)
    column = (width - 24) / 2
    two = PageTemplate(
        "two",
        [
            # The columns fill the upper part of the page, as a 简讯 box does: both get text.
            Frame(margin, page_h - margin - 330, column, 330, id="left"),
            Frame(margin + column + 24, page_h - margin - 330, column, 330, id="right"),
        ],
        onPage=furniture,
    )
    story = _flowables(items, width if two_column_from is None else column)
    if two_column_from is not None:
        head = _flowables(items[:two_column_from], width)
        story = [*head, NextPageTemplate("two"), PageBreak(), *_flowables(items[two_column_from:], column)]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, pageTemplates=[one, two], **doc_options)
    doc.build(story)
    return buffer.getvalue()


# --------------------------------------------------------------------------- HTML, and PDF printed from it by Chromium

_CSS = """
body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 11pt; line-height: 1.7; }
h1 { color: #c00000; font-size: 26pt; text-align: center; margin: 0.3em 0; }
h2 { font-size: 18pt; text-align: center; font-weight: bold; margin: 0.6em 0 0.4em; }
h3 { font-size: 15pt; text-align: center; font-weight: bold; margin: 0.5em 0 0.3em; }
h4 { font-size: 13pt; text-align: center; font-weight: bold; margin: 0.5em 0 0.3em; }
p { text-indent: 2em; margin: 0.25em 0; text-align: justify; }
p.lines { text-indent: 0; text-align: center; }
figure { margin: 1.2em auto 0.2em; text-align: center; }
figure img { width: 60%; height: 110px; background: #b8c4cc; }
p.caption { text-indent: 0; text-align: center; font-size: 9pt; }
.columns { column-count: 2; column-gap: 3em; }
"""


# A one-pixel GIF, drawn as a grey photo-sized box: readability keeps images, not empty boxes.
PHOTO = '<figure><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==" alt=""></figure>'


def _html_blocks(items: list[Item]) -> str:
    import html

    out = []
    for item in items:
        text = html.escape(item.text).replace("\n", "<br>")
        short = item.kind == "para" and len(item.text) <= 60
        if item.gap:
            out.append(PHOTO if short else '<div style="height: 80px"></div>')
        if item.kind == "heading":
            out.append(f"<h{min(item.level, 4)}>{text}</h{min(item.level, 4)}>")
        elif item.kind == "lines":
            out.append(f'<p class="lines">{text}</p>')
        else:
            out.append(f'<p class="caption">{text}</p>' if item.gap and short else f"<p>{text}</p>")
    return "\n".join(out)


def print_html(items: list[Item], *, running_head: str = "", two_column_from: int | None = None) -> str:
    """The HTML that Chromium prints: the items, the tail from ``two_column_from`` in two columns on a new page."""
    head = items if two_column_from is None else items[:two_column_from]
    body = _html_blocks(head)
    if two_column_from is not None:
        columns = _html_blocks(items[two_column_from:])
        body += f'\n<div class="columns" style="break-before: page">{columns}</div>'
    head_html = f'<head><meta charset="utf-8"><style>{_CSS}</style></head>'
    return f'<!doctype html><html lang="zh-CN">{head_html}<body>{body}</body></html>'


def chromium_pdf(browser, items: list[Item], *, running_head: str = "", two_column_from: int | None = None) -> bytes:
    """Print the items to PDF in headless Chromium, with a running head and "第 N 页" page numbers."""
    page = browser.new_page()
    try:
        page.set_content(print_html(items, two_column_from=two_column_from))
        small = "font-size: 8pt; width: 100%; color: #666; font-family: 'Noto Sans CJK SC', sans-serif;"
        return page.pdf(
            format="A4",
            margin={"top": "22mm", "bottom": "20mm", "left": "20mm", "right": "20mm"},
            display_header_footer=True,
            header_template=f'<div style="{small} padding-left: 20mm;">{running_head}</div>',
            footer_template=f'<div style="{small} text-align: center;">第 <span class="pageNumber"></span> 页</div>',
            print_background=True,
        )
    finally:
        page.close()


def site_page(items: list[Item], *, title: str) -> bytes:
    """The items reposted as an article on an organisation's web site, with all the usual site chrome."""
    import html

    nav = "".join(
        f'<li><a href="/c/{i}">{name}</a></li>'
        for i, name in enumerate(["首页", "新闻动态", "通知公告", "救护培训", "无偿献血", "捐赠公示", "联系我们"])
    )
    chrome_top = (
        f'<div id="top"><div class="logo"><a href="/"><img src="/logo.png" alt="某市红十字会"></a></div>'
        f'<ul class="nav">{nav}</ul><form class="search"><input name="q"><button>搜索</button></form></div>'
        '<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/c/1">新闻动态</a> &gt; 正文</div>'
    )
    sidebar = (
        '<div class="sidebar"><h3>热点新闻</h3><ul><li><a href="/n/1">市红十字会开展造血干细胞捐献宣传活动</a></li>'
        '<li><a href="/n/2">红十字应急救护培训走进社区</a></li>'
        '<li><a href="/n/3">关于公布2021年度捐赠款物使用情况的公告</a></li></ul></div>'
    )
    chrome_after = (
        '<div class="share bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>'
        '<div class="print">【<a href="javascript:window.print()">打印本页</a>】'
        '【<a href="javascript:window.close()">关闭窗口</a>】</div>'
        '<div class="pages"><p>上一篇：<a href="/n/7">市红十字会召开年度工作会议</a></p>'
        '<p>下一篇：<a href="/n/9">春节慰问困难群众</a></p></div>'
        '<div id="comment" class="comment-box"><h4>网友评论</h4><textarea></textarea><button>发表评论</button>'
        "<p>暂无评论</p></div>"
    )
    footer = (
        '<div class="footer"><p>主办：某市红十字会 地址：某市某路1号 电话：0000-1234567</p>'
        "<p>备案号：某ICP备00000000号</p></div>"
    )
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}_某市红十字会</title>"
        f'<script>var _hmt = _hmt || [];</script></head><body>{chrome_top}<div class="main">{sidebar}'
        '<div class="article"><div class="content" id="zoom">'
        '<p class="info">作者:佚名  发布时间:2022-02-08 09:31  浏览:1024</p>'
        f"{_html_blocks(items)}</div>{chrome_after}</div></div>{footer}</body></html>"
    )
    return page.encode("utf-8")


# --------------------------------------------------------------------------- DOCX


def docx_file(items: list[Item], *, styles: bool) -> bytes:
    """A Word file of the items: headings as heading styles, or (``styles=False``) as bold larger runs only."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(BODY_SIZE)
    for item in items:
        if item.gap:
            document.add_paragraph()
            document.add_paragraph()
        if item.kind == "heading" and styles:
            document.add_heading(item.text, level=item.level)
            continue
        paragraph = document.add_paragraph()
        for index, line in enumerate(item.text.split("\n")):
            if index:
                paragraph.runs[-1].add_break()
            run = paragraph.add_run(line)
            if item.kind == "heading":
                run.bold = True
                run.font.size = Pt(HEADING_SIZES[item.level])
                if item.level == 1:
                    run.font.color.rgb = RGBColor(0xC0, 0, 0)
        if item.kind in ("heading", "lines"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- our own bulletin, with a two-column page

OWN_TEXT = """# 江城市红十字会简报

第 12 期

江城市红十字会办公室

2023 年 5 月 8 日

## 市红十字会召开2023年度工作会议

□通讯员 王明

5月4日，市红十字会召开2023年度工作会议，总结2022年工作，部署2023年重点任务。市红十字会党组书记、常务副会长李华出席会议并讲话，各县（市、区）红十字会负责人、机关各部室和直属单位负责人参加会议。会议指出，过去一年，全市红十字系统坚持围绕中心、服务大局，在应急救护培训、人道救助、无偿献血和造血干细胞捐献等方面取得明显成效，全年开展应急救护普及培训八万余人次，救助困难群众两千余户。

会议强调，2023年要坚持以党建为引领，深化红十字会改革，加强基层组织建设，提升应急救援能力，做好“三救”“三献”核心业务，推动全市红十字事业高质量发展。会议还对年度重点工作进行了分解，明确了责任部门和完成时限，要求各单位细化措施、压实责任，确保各项任务落到实处。

## 红十字应急救护培训走进校园

□通讯员 陈静

5月6日，市红十字会在江城第一中学举办应急救护培训，三百余名师生参加。培训老师结合案例讲解了心肺复苏、气道异物梗阻急救和创伤包扎等知识，并指导师生使用自动体外除颤器进行实操练习。学校负责人表示，将把应急救护知识纳入安全教育课程，让更多学生掌握自救互救本领。

## 简 讯

▲5月2日，市红十字会向城东社区捐赠家庭应急包一百个，用于社区困难家庭防灾减灾。

▲5月3日，市红十字会组织志愿者开展无偿献血宣传活动，现场发放宣传资料五百余份。

▲5月5日，江城县红十字会召开第三次会员代表大会，选举产生新一届理事会和监事会。

▲5月6日，市红十字会与市教育局联合举办中小学教师应急救护师资培训班，四十名教师参训。

▲5月7日，市红十字会走访慰问两名造血干细胞捐献者，送上慰问金和鲜花。

▲5月8日，市红十字会召开机关党支部党员大会，开展主题教育集中学习研讨。

分送：省红十字会，市委办公室、市政府办公室，各县（市、区）红十字会。
"""
OWN_HEADLINES = ("市红十字会召开2023年度工作会议", "红十字应急救护培训走进校园")


def own_items() -> list[Item]:
    return seed_items(OWN_TEXT)


def own_two_column_from(items: list[Item]) -> int:
    """Index of the 简讯 section: from there on the bulletin is set in two columns."""
    return next(i for i, item in enumerate(items) if item.text == "简 讯")
