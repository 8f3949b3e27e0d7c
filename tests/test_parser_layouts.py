"""Layout rules of issue 14, one at a time, on real lines of the shapes bulletins print.

Pure parsing: no Django, no database. Each rule is a shape (punctuation, length,
position), so the lines here are the kind every bulletin prints, not one file's words.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run with -p no:django, nothing else puts the project root on the path
    sys.path.insert(0, str(ROOT))

from bulletins.parsing.blocks import mark_footer_and_noise, split_blocks  # noqa: E402
from bulletins.parsing.bulletin import LOST_DIGITS_REASON, parse_bulletin  # noqa: E402
from bulletins.parsing.dates import lost_digits  # noqa: E402
from bulletins.parsing.shapes import numbered_heading, signature_name, split_run_in_headline  # noqa: E402

MASTHEAD = "黄冈红十字\n第3期\n黄冈市红十字会                          2020年6月5日\n\n"


# --------------------------------------------------------------------------- lost digits (缺字)


def test_a_space_where_a_dates_digits_were_lost_is_a_gap():
    assert lost_digits("省红十字会举办红十字应急救援推进 年工作专题研讨会")
    assert lost_digits("会议于 月 日在武汉召开。")
    assert lost_digits("20 年3月18日")


def test_dates_with_their_digits_are_no_gap():
    assert not lost_digits("2021 年 4 月 30 日")
    assert not lost_digits("4 月 15 日，全省脱贫攻坚总结表彰大会隆重举行。")
    assert not lost_digits("大会听取了 2020 年度工会工作报告，红十字会成立 20 年来")
    assert not lost_digits("节 日 快 乐")  # letter-spaced, not a gap


def test_a_headline_with_lost_digits_is_flagged():
    issue = parse_bulletin(MASTHEAD + "市红十字会部署推进 年重点工作\n\n6月3日，市红十字会召开会议，部署全年工作。\n")
    assert LOST_DIGITS_REASON in issue.review_reasons
    assert issue.articles[0].title == "市红十字会部署推进 年重点工作"


def test_a_masthead_date_line_with_lost_digits_is_flagged_not_an_article():
    text = "黄冈红十字\n第3期\n黄冈市红十字会\n\n20 年6月5日\n\n市红十字会召开理事会\n\n6月3日，市红十字会召开理事会。"
    issue = parse_bulletin(text)
    assert issue.date is None and issue.number == 3
    assert LOST_DIGITS_REASON in issue.review_reasons
    assert [a.title for a in issue.articles] == ["市红十字会召开理事会"]


def test_an_issue_without_gaps_is_not_flagged():
    issue = parse_bulletin(MASTHEAD + "市红十字会召开理事会\n\n6月3日，市红十字会召开理事会。\n")
    assert LOST_DIGITS_REASON not in issue.review_reasons


# --------------------------------------------------------------------------- a signature in brackets


def test_signature_names_bare_or_in_brackets():
    assert signature_name("（校工会办公室）") == "校工会办公室"
    assert signature_name("(张明)") == "张明"
    assert signature_name("沈宏轩") == "沈宏轩"
    assert signature_name("（一）") == ""
    assert signature_name("（下转第二版）") == ""


def test_a_department_in_brackets_closing_an_article_is_its_byline():
    text = MASTHEAD + (
        "区妇联开展家庭教育讲座\n\n6月2日，区妇联在社区开展家庭教育讲座。\n\n（区妇联宣传部）\n\n"
        "区残联走访残疾人家庭\n\n6月3日，区残联走访慰问残疾人家庭20户。\n"
    )
    first, second = parse_bulletin(text).articles
    assert (first.byline, first.body) == ("区妇联宣传部", "6月2日，区妇联在社区开展家庭教育讲座。")
    assert second.title == "区残联走访残疾人家庭"


def test_a_bracketed_line_inside_an_article_stays_in_its_body():
    text = (
        MASTHEAD
        + "区妇联开展家庭教育讲座\n\n6月2日，区妇联开展讲座。\n\n（区妇联宣传部）\n\n"
        + "讲座结束后，家长们纷纷表示受益匪浅，希望多举办此类活动，帮助家长提升家庭教育水平。\n"
    )
    (article,) = parse_bulletin(text).articles
    assert article.byline == "" and "（区妇联宣传部）" in article.body


# --------------------------------------------------------------------------- numbered headings in a report


def test_heading_numbers_and_their_rank():
    assert numbered_heading("二、存在的问题") == (1, 2)
    assert numbered_heading("十二、其他") == (1, 12)
    assert numbered_heading("（三）人道救助扎实开展") == (2, 3)
    assert numbered_heading("2. 开展普及培训。") == (3, 2)
    assert numbered_heading("一是加强基层组织建设") is None
    assert numbered_heading("3.5万人次参加培训") is None


REPORT = MASTHEAD + (
    "市红十字会上半年工作情况\n\n今年以来，市红十字会扎实推进各项工作，现将有关情况报告如下。\n\n"
    "一、主要工作\n\n（一）救护培训\n\n1. 培训救护员。全市培训救护员800人。\n\n"
    "（二）人道救助\n\n全市救助困难群众300户。\n\n"
    "二、存在问题\n\n基层工作力量薄弱。\n\n三、下步打算\n\n一是加强组织建设；二是推进救护培训。\n"
)


def test_numbered_headings_stay_inside_the_report_as_headings():
    (report,) = parse_bulletin(REPORT).articles
    paragraphs = report.body.split("\n\n")
    for heading in ("一、主要工作", "（一）救护培训", "（二）人道救助", "二、存在问题", "三、下步打算"):
        assert heading in paragraphs  # a paragraph of its own, not glued to the next one
    assert "1. 培训救护员。全市培训救护员800人。" in paragraphs


def test_articles_numbered_in_the_issue_stay_separate_articles():
    text = MASTHEAD + (
        "一、全市红十字工作会议召开\n\n6月1日，全市红十字工作会议召开。\n\n"
        "二、市红十字会开展救护培训\n\n6月2日，市红十字会开展救护培训。\n"
    )
    titles = [a.title for a in parse_bulletin(text).articles]
    assert titles == ["一、全市红十字工作会议召开", "二、市红十字会开展救护培训"]


# --------------------------------------------------------------------------- a headline run into its body


def test_a_headline_run_into_its_body_is_split_off():
    line = "区红十字会开展世界急救日宣传 9月10日，区红十字会在中心广场开展急救知识宣传，市民300余人参加。"
    assert split_run_in_headline(line) == (
        "区红十字会开展世界急救日宣传",
        "9月10日，区红十字会在中心广场开展急救知识宣传，市民300余人参加。",
    )


def test_sentences_with_a_date_after_a_space_are_not_split():
    assert split_run_in_headline("4 月 15 日，全省脱贫攻坚总结表彰大会隆重举行。") is None
    assert split_run_in_headline("会长张明 9月10日，带队到社区检查救护站建设情况，提出具体要求。") is None
    assert split_run_in_headline("会上，区红十字会负责人 9月10日，介绍了全年工作安排和重点任务。") is None
    assert split_run_in_headline("省红十字会赈济救护部 喜获“全省脱贫攻坚先进集体”荣誉称号") is None
    assert split_run_in_headline("区红十字会开展世界急救日宣传 9月10日，区红十字会在中心广场") is None  # cut


def test_run_in_headlines_become_articles():
    text = MASTHEAD + (
        "区红十字会开展世界急救日宣传 9月10日，区红十字会在中心广场开展急救知识宣传，市民300余人参加。\n\n"
        "县红十字会慰问困难家庭 9月12日，县红十字会走访慰问困难家庭20户，送去生活物资。\n"
    )
    articles = parse_bulletin(text).articles
    assert [a.title for a in articles] == ["区红十字会开展世界急救日宣传", "县红十字会慰问困难家庭"]
    assert articles[1].body == "9月12日，县红十字会走访慰问困难家庭20户，送去生活物资。"


# --------------------------------------------------------------------------- texts without blank lines


def _block_texts(text: str) -> list[tuple[str, str]]:
    blocks = split_blocks(text.splitlines())
    mark_footer_and_noise(blocks)
    return [(b.kind, b.text) for b in blocks]


def test_consecutive_lines_are_told_apart_by_shape():
    text = (
        "市总工会举办职工技能大赛\n——全市20支代表队同台竞技\n时间：2022-05-20 来源：市总工会\n"
        "5月18日，市总工会举办职工技能大赛，全市20支代表队参赛。\n比赛分理论和实操两个环节。\n"
    )
    assert _block_texts(text) == [
        ("", "市总工会举办职工技能大赛"),
        ("", "——全市20支代表队同台竞技"),
        ("dateline", "时间：2022-05-20 来源：市总工会"),
        ("", "5月18日，市总工会举办职工技能大赛，全市20支代表队参赛。"),
        ("", "比赛分理论和实操两个环节。"),
    ]


def test_a_headline_on_two_lines_and_a_wrapped_paragraph_stay_one_block():
    text = (
        "市红十字会联合市卫健委\n开展造血干细胞捐献志愿者招募活动\n"
        "6月12日，市红十字会联合市卫健委在市中心血站开展招募活动，\n当天共有86名献血者加入中华骨髓库。\n"
    )
    assert [t for _, t in _block_texts(text)] == [
        "市红十字会联合市卫健委开展造血干细胞捐献志愿者招募活动",
        "6月12日，市红十字会联合市卫健委在市中心血站开展招募活动，当天共有86名献血者加入中华骨髓库。",
    ]


def test_a_distribution_footer_runs_on_after_a_full_stop():
    text = "抄送：市政府办公室，县委办公室。\n县政府办公室                2017年11月2日印发\n"
    assert [k for k, _ in _block_texts(text)] == ["footer"]


def test_a_web_page_without_blank_lines_gives_publisher_title_subtitle_and_date():
    text = (
        "市总工会\n市总工会举办职工技能大赛\n——全市20支代表队同台竞技\n时间：2022-05-20 来源：市总工会\n"
        "5月18日，市总工会举办职工技能大赛，全市20支代表队参赛。\n比赛分理论和实操两个环节。\n"
    )
    issue = parse_bulletin(text)
    assert (issue.publisher, issue.date) == ("市总工会", datetime.date(2022, 5, 20))
    assert "出版日期取自网页发布日期" in issue.review_reasons
    (article,) = issue.articles
    assert (article.title, article.subtitle) == ("市总工会举办职工技能大赛", "全市20支代表队同台竞技")
    assert article.body.split("\n\n") == [
        "5月18日，市总工会举办职工技能大赛，全市20支代表队参赛。",
        "比赛分理论和实操两个环节。",
    ]
    assert article.date == datetime.date(2022, 5, 18)


def test_a_first_line_naming_an_organisation_above_body_text_is_the_title():
    issue = parse_bulletin("市红十字会召开理事会\n\n5月18日，市红十字会召开理事会，审议年度工作报告。\n")
    assert issue.articles[0].title == "市红十字会召开理事会"
