"""Layout rules of issue 14, one at a time, on real lines of the shapes bulletins print.

Pure parsing: no Django, no database. Each rule is a shape (punctuation, length,
position), so the lines here are the kind every bulletin prints, not one file's words.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run with -p no:django, nothing else puts the project root on the path
    sys.path.insert(0, str(ROOT))

from bulletins.parsing.bulletin import LOST_DIGITS_REASON, parse_bulletin  # noqa: E402
from bulletins.parsing.dates import lost_digits  # noqa: E402

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
