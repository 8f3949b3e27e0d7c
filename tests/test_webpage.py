"""Web reposts saved as text: which lines are the site's chrome, which stay, and the posting date.

Pure parsing: no Django settings, no database.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run with -p no:django, nothing else puts the project root on the path
    sys.path.insert(0, str(ROOT))

from bulletins.parsing.bulletin import parse_bulletin  # noqa: E402
from bulletins.parsing.text import normalise_lines  # noqa: E402
from bulletins.parsing.webpage import chrome_kind, read_web_page  # noqa: E402

D = datetime.date
SEEDS = ROOT / "seeds"
VARIANTS = ROOT / "tests" / "variants"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("首页 > 新闻动态 > 工作简报", "breadcrumb"),
        ("首页>>红会动态", "breadcrumb"),
        ("网站首页 » 工作动态", "breadcrumb"),
        ("当前位置：首页 > 通知公告", "breadcrumb"),
        ("您的位置: 红会要闻", "breadcrumb"),
        ("作者:佚名  发布时间:2021-06-02 09:15  浏览:356次", "meta"),
        ("作者:市慈善总会  来源:本站  发布时间:2022-09-08 16:40:12  浏览:128", "meta"),
        ("发布日期：2019年3月5日", "meta"),
        ("来源：县红十字会 点击数：1024", "meta"),
        ("【字体：大 中 小】【打印】【关闭】", "tools"),
        ("[打印本页] [关闭窗口]", "tools"),
        ("【我要评论】【返回顶部】", "tools"),
        ("打印本页 关闭窗口", "tools"),
        ("登录 | 注册 | 设为首页 | 加入收藏", "nav"),
        ("网站首页 | 联系我们 | 网站地图", "nav"),
        ("返回首页", "footer"),
        ("分享到：微信 微博 QQ空间", "footer"),
        ("分享到：", "footer"),
        ("分享到 微信 朋友圈", "footer"),
        ("上一篇：宜昌红十字简报（第6期）", "footer"),
        ("下一篇：没有了", "footer"),
        ("发表评论", "footer"),
        ("请登录后发表评论", "footer"),
        ("网友评论（0）", "footer"),
        ("我要评论", "footer"),
        ("相关新闻", "footer"),
        ("推荐阅读：", "footer"),
        ("Copyright © 咸宁市慈善总会 版权所有", "footer"),
        ("鄂ICP备12345678号", "footer"),
        ("技术支持：某某网络公司", "footer"),
    ],
)
def test_each_chrome_shape_is_recognised(line, kind):
    assert chrome_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        # Close to chrome, but bulletin text: a headline, a sentence, a byline, an article's own meta line.
        "首页工作会议召开",
        "首页新闻版面改版",
        "打印机捐赠仪式在市红十字会举行",
        "关闭危险化学品企业后的安置工作",
        "返回家乡参加志愿服务",
        "分享到场志愿者的服务经验",
        "上一篇文章中提到的救护培训已经完成",
        "下一步工作安排",
        "评论员文章：弘扬人道精神",
        "相关新闻报道显示，献血人数逐年增加。",
        "发布时间表明，通知已于当天下达各县市区。",
        "当前位置偏远的乡镇也建起了博爱家园",
        "公众号文章阅读量 12000",
        "访问 30 户困难家庭",
        "点击 进入报名页面",
        "浏览器中打开的志愿服务平台",
        "作者：金美玉",
        "来源：孝感市红十字会",
        "时间：2021-10-22 来源：孝感市红十字会",
        "【简讯】",
        "【工作动态】",
        "【打印机捐赠】",
        "版权保护宣传活动走进社区",
        "宜昌市红十字会",
        "（林雅琴）",
    ],
)
def test_bulletin_lines_that_look_like_chrome_are_not(line):
    assert chrome_kind(line) == ""


def _page(text: str):
    return read_web_page(normalise_lines(text))


def _kept(page) -> list[str]:
    """The lines kept, without the blank ones the end of the text leaves."""
    lines = list(page.lines)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def test_text_without_a_strong_sign_is_left_alone():
    """Weak shapes alone (a 返回首页, a 相关新闻) never make a bulletin a web page."""
    text = "工作简报\n第3期\n\n相关新闻\n\n市红十字会开展培训。\n\n返回首页\n"
    page = _page(text)
    assert page.lines == normalise_lines(text)
    assert page.posted is None and page.publisher == "" and page.dropped == []


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(VARIANTS.glob("*.txt")), ids=lambda p: p.name)
def test_only_web_reposts_lose_lines(path):
    """Seeds and variants that are no web page come out line for line as they went in."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    page = _page(text)
    if path.name.startswith(("v08_", "v09_", "v28_")):
        assert page.dropped
    else:
        assert page.lines == normalise_lines(text)


def test_a_path_at_the_bottom_is_no_breadcrumb():
    body = [f"第{n}段正文，介绍献血的意义和流程。" for n in range(1, 30)]
    text = "\n\n".join(["献血服务指南", *body, "首页→献血服务→预约献血", "返回首页"]) + "\n"
    page = _page(text)
    assert page.lines == normalise_lines(text)


def test_site_header_breadcrumb_meta_tools_and_footer_go():
    page = _page(
        "登录 | 注册\n咸宁市慈善总会\n首页 > 新闻动态\n市慈善总会开展中秋慰问活动\n"
        "作者:市慈善总会  来源:本站  发布时间:2022-09-08 16:40:12  浏览:128\n【打印】【关闭】\n"
        "9月7日，市慈善总会走访慰问困难家庭50户。\n分享到：\n相关新闻\n市慈善总会召开理事会\n"
        "市慈善总会表彰爱心企业\n网友评论（0）\n返回首页\nCopyright © 咸宁市慈善总会 版权所有\n"
    )
    assert _kept(page) == ["市慈善总会开展中秋慰问活动", "", "9月7日，市慈善总会走访慰问困难家庭50户。"]
    assert page.posted == D(2022, 9, 8)
    assert page.publisher == "咸宁市慈善总会"  # the site's name: 市慈善总会 in the meta line is relative


def test_related_links_end_at_a_sentence():
    page = _page(
        "首页 > 动态\n标题行\n发布时间：2021-01-02\n正文一句。\n相关文章\n另一篇文章的标题\n这是正文的一句话。\n"
    )
    assert "另一篇文章的标题" not in page.lines
    assert "这是正文的一句话。" in page.lines


def test_page_title_repeated_by_the_masthead_goes():
    page = _page("首页 > 工作简报\n宜昌红十字简报（第7期）\n发布时间:2021-06-02\n\n宜昌红十字简报\n第7期\n\n正文。\n")
    assert "宜昌红十字简报（第7期）" not in page.lines
    assert page.lines[:3] == ["", "宜昌红十字简报", "第7期"]


def test_page_title_not_repeated_stays_as_the_headline():
    page = _page("首页 > 新闻\n县红十字会开展培训\n发布时间:2021-06-02 浏览:3\n6月1日，县红十字会开展培训。\n")
    assert _kept(page) == ["县红十字会开展培训", "", "6月1日，县红十字会开展培训。"]


def test_meta_split_over_lines_and_publisher_from_source():
    page = _page("首页 > 动态\n标题\n来源：德化县红十字会\n发布时间：2020-11-20\n浏览次数：89\n正文。\n")
    assert _kept(page) == ["标题", "", "正文。"]
    assert page.publisher == "德化县红十字会"
    assert page.posted == D(2020, 11, 20)


def test_a_lone_author_line_under_the_tools_is_a_byline_and_stays():
    page = _page("首页 > 动态\n标题\n发布时间：2020-11-20\n【打印】\n\n作者：金美玉\n\n正文。\n")
    assert "作者：金美玉" in page.lines


def test_traditional_script_chrome():
    page = _page(
        "首頁 > 僑鄉動態\n德化縣紅十字會開展培訓\n作者：德化縣紅十字會  發佈時間：2020-11-20  瀏覽次數：89\n"
        "【打印本頁】【關閉窗口】\n11月18日，德化縣紅十字會舉辦培訓班。\n分享到：微信 微博\n返回首頁\n"
    )
    assert _kept(page) == ["德化縣紅十字會開展培訓", "", "11月18日，德化縣紅十字會舉辦培訓班。"]
    assert page.posted == D(2020, 11, 20)
    assert page.publisher == "德化县红十字会"


def test_bulletin_date_wins_over_posting_date():
    issue = parse_bulletin((VARIANTS / "v08_web_repost_with_masthead.txt").read_text(encoding="utf-8"))
    assert issue.date == D(2021, 5, 28)
    assert not any("发布日期" in reason for reason in issue.review_reasons)
    assert (issue.publication, issue.number) == ("宜昌红十字简报", 7)


def test_posting_date_dates_a_repost_without_its_own_and_says_so():
    issue = parse_bulletin((VARIANTS / "v09_web_repost_posting_date_only.txt").read_text(encoding="utf-8"))
    assert issue.date == D(2022, 9, 8)
    assert issue.year == 2022
    assert "出版日期取自网页发布日期" in issue.review_reasons
    assert "没有年份" not in issue.review_reasons
    assert issue.publisher == "咸宁市慈善总会"
    assert [a.title for a in issue.articles] == ["市慈善总会开展中秋慰问活动"]


def test_traditional_repost_keeps_its_script():
    issue = parse_bulletin((VARIANTS / "v28_traditional_county_repost.txt").read_text(encoding="utf-8"))
    assert issue.date == D(2020, 11, 20)
    assert "出版日期取自网页发布日期" in issue.review_reasons
    (article,) = issue.articles
    assert article.title == "德化縣紅十字會開展救護員培訓"
    assert article.byline == "林雅琴"
    assert "首頁" not in article.body and "（林雅琴）" not in article.body
