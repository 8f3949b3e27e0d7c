"""Tests for the bulletins.parsing package on the five real seeds and on small synthetic texts.

The parser is pure Python, so these tests need no Django settings and no database.
Seed assertions were checked line by line against seeds/*.txt: when one fails, fix
the parser, not the expectation.
"""

from __future__ import annotations

import datetime
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run with -p no:django, nothing else puts the project root on the path
    sys.path.insert(0, str(ROOT))

from bulletins.parsing.bulletin import LOST_DIGITS_REASON, _parse, parse_bulletin  # noqa: E402
from bulletins.parsing.dates import parse_date  # noqa: E402
from bulletins.parsing.decoding import decode_bytes  # noqa: E402

VARIANTS = Path(__file__).resolve().parent / "variants"
from bulletins.parsing.results import ParsedIssue, ParseError  # noqa: E402

SEEDS = ROOT / "seeds"
D = datetime.date


def _seed(prefix: str) -> ParsedIssue:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_bulletin(path.read_text(encoding="utf-8"), source_name=path.name)


@pytest.fixture(scope="module")
def hubei() -> ParsedIssue:
    return _seed("000")


@pytest.fixture(scope="module")
def zj370() -> ParsedIssue:
    return _seed("001")


@pytest.fixture(scope="module")
def shiyan() -> ParsedIssue:
    return _seed("002")


@pytest.fixture(scope="module")
def shijiazhuang() -> ParsedIssue:
    return _seed("003")


@pytest.fixture(scope="module")
def zj390() -> ParsedIssue:
    return _seed("004")


FOOTER_WORDS = ("分送", "联系电话", "责任编辑", "发：", "微博", "zjredcross", "内部资料", "主办")


def _all_bodies(issue: ParsedIssue) -> str:
    return "\n".join(a.body for a in issue.articles) + "\n".join(b.text for b in issue.briefs)


# --------------------------------------------------------------------------- 000 湖北


def test_hubei_masthead(hubei):
    """Plain-text masthead with spaces inside 第 4 期 and 2021 年 4 月 30 日."""
    assert hubei.publication == "湖北省红十字会简报"
    assert hubei.publisher == "湖北省红十字会"
    assert hubei.number == 4
    assert hubei.date == D(2021, 4, 30)
    assert hubei.year == 2021
    assert hubei.title == "湖北省红十字会简报 第4期"
    assert hubei.review_reasons == [LOST_DIGITS_REASON]  # "推进 年工作": the year's digits were lost (issue 14)
    assert hubei.kind == "bulletin"


def test_hubei_articles(hubei):
    """Bare headlines are found by shape: short, unpunctuated, followed by paragraphs."""
    assert [a.title for a in hubei.articles] == [
        "省红十字会赈济救护部 喜获“全省脱贫攻坚先进集体”荣誉称号",
        "省红十字会举办红十字应急救援推进 年工作专题研讨会",
        "省红十字会机关工会召开职工大会",
        "高勤书记带队到省妇联学习调研",
    ]
    assert [a.position for a in hubei.articles] == [1, 2, 3, 4]
    assert [a.date for a in hubei.articles] == [D(2021, 4, 15), D(2021, 4, 7), D(2021, 4, 12), D(2021, 4, 17)]
    assert all(a.section == "" and a.region == "" and a.captions == [] for a in hubei.articles)


def test_hubei_page_breaks_rejoined(hubei):
    """A paragraph cut by a page break continues in the next block."""
    first, second, _, fourth = hubei.articles
    assert "在深学细研中强思想、提站位。" in first.body
    assert "做好顶层设计、方案设计" in second.body
    assert "将体外除颤仪（AED）配置做成筹资项目" in second.body  # ）is not closing punctuation
    assert "作为省委领导下的群团组织" in fourth.body
    assert len(first.body.split("\n\n")) == 3
    assert len(second.body.split("\n\n")) == 7


def test_hubei_briefs(hubei):
    """Nine ▲ items under 简 讯, each with its date; the last one is a range."""
    assert len(hubei.briefs) == 9
    assert [b.date.day for b in hubei.briefs] == [1, 2, 9, 12, 15, 19, 20, 25, 26]
    assert all(b.date.month == 4 and b.date.year == 2021 for b in hubei.briefs)
    assert hubei.briefs[-1].end_date == D(2021, 4, 27)
    assert all(b.end_date is None for b in hubei.briefs[:-1])
    assert not any(b.text.startswith("▲") for b in hubei.briefs)
    assert "院长助理梁辰参加活动" in hubei.briefs[5].text  # split mid-name by a page break
    assert hubei.briefs[5].text.endswith("李丽主持会议。")


def test_hubei_footer_dropped(hubei):
    text = _all_bodies(hubei)
    for word in ("分送", "联系电话", "责任编辑", "省直有关单位", "退休老干部"):
        assert word not in text


# --------------------------------------------------------------------------- 001 浙江红十字 第370期


def test_zj370_masthead(zj370):
    """Markdown masthead; weibo, website and e-mail lines are noise."""
    assert (zj370.publication, zj370.publisher, zj370.number) == ("浙江红十字", "浙江省红十字会", 370)
    assert zj370.date == D(2020, 6, 24)
    assert zj370.review_reasons == []


def test_zj370_articles(zj370):
    got = [(a.title, a.section, a.byline, a.region) for a in zj370.articles]
    assert got == [
        ("省红十字会传达学习省委十四届七次全会精神", "", "通讯员 浙江", ""),
        ("王平来浙调研红十字会参与无偿献血工作", "", "通讯员 贺佳晶", ""),
        ("拉高标杆 提升标准 争做建设“重要窗口”第一方阵排头兵", "", "通讯员 徐文杰", ""),
        ("红十字救援队积极参与温岭槽罐车爆炸事故救援", "", "通讯员 程金", ""),
        # signed commentary: its title and author are printed after the body
        ("为「重要窗口」增添红十字元素", "学习贯彻总书记浙江考察重要讲话精神", "沈宏轩", ""),
        ("宁波:开展当好浙江建设“重要窗口”模范生大讨论", "每月要览", "通讯员 邱磊", "宁波"),
        ("绍兴:联合市公安局设立“平安(义警)基金”", "每月要览", "通讯员 郑耀", "绍兴"),
        ("金华:应急救护培训基地建设再结硕果", "每月要览", "通讯员 应炉平", "金华"),
    ]
    assert [a.date for a in zj370.articles] == [
        D(2020, 6, 19),
        D(2020, 6, 14),
        None,  # 6月上旬 is vague
        D(2020, 6, 13),
        None,
        D(2020, 6, 9),
        None,  # 近日
        D(2020, 6, 11),
    ]


def test_zj370_bodies(zj370):
    rescue = zj370.articles[3]
    assert rescue.captions == ["永康市红十字救援队在救援现场参与救援。"]
    assert "永康市红十字救援队在救援现场参与救援。" not in rescue.body
    assert "调派2辆救援车和1辆救护车" in rescue.body
    assert "破拆、救护、照明" in rescue.body
    commentary = zj370.articles[4]
    assert "沈宏轩" not in commentary.body and "增添红十字元素\n" not in commentary.body
    assert commentary.body.endswith("打造红十字工作标杆省份。")
    assert "□" not in _all_bodies(zj370)
    assert "通讯员" not in _all_bodies(zj370)
    assert "取得新进展。" in zj370.articles[2].body
    for word in FOOTER_WORDS:
        assert word not in _all_bodies(zj370)
    assert "  " not in _all_bodies(zj370)  # markdown trailing double spaces stripped


# --------------------------------------------------------------------------- 004 浙江红十字 第390期


def test_zj390_masthead(zj390):
    assert (zj390.publication, zj390.number, zj390.date) == ("浙江红十字", 390, D(2022, 1, 21))
    assert zj390.title == "浙江红十字 第390期"


def test_zj390_articles(zj390):
    """Nine articles: two under 每月要览, three without section, four under 综合报道."""
    got = [(a.title, a.section, a.byline, a.region) for a in zj390.articles]
    assert got == [
        ("省红十字会消防救援专项基金正式设立", "每月要览", "通讯员 李伊平", ""),
        ("省红十字会新增遗体捐献宣传登记点", "每月要览", "通讯员 浙江", ""),
        ("感谢有你 一起向未来", "", "浙江省红十字会", ""),  # a letter signed by the society
        ("全省群团工作会议暨数智群团建设推进会在杭召开", "", "浙江", ""),  # trailing signature line
        ("“博”撒真情 “爱”暖人心", "", "", ""),
        ("杭州:联合“芝麻工作证”开展免费救护培训", "综合报道", "通讯员 肖彩霞", "杭州"),
        ("湖州:召开急救救护师复训暨教学研讨会", "综合报道", "通讯员 李汝婷", "湖州"),
        ("临海:开展CPR+AED专场培训", "综合报道", "通讯员 罗茜", "临海"),
        ("龙泉:开展红色根脉爱相随“致敬英雄”活动", "综合报道", "通讯员 李廖珍", "龙泉"),
    ]
    assert [a.subtitle for a in zj390.articles[2:5]] == [
        "致全省红十字工作者、会员、志愿者和社会各界爱心人士的感谢信",
        "",
        "省红十字会开展2022年“红十字博爱送万家”活动",
    ]
    assert zj390.articles[0].date == D(2022, 1, 19)
    assert zj390.articles[3].date == D(2022, 1, 11)
    assert zj390.articles[4].date is None  # 日前
    assert zj390.articles[8].date == D(2022, 1, 11)  # 1月11日至15日


def test_zj390_bodies(zj390):
    letter, meeting, visit = zj390.articles[2:5]
    assert letter.body.startswith("全省红十字工作者、会员、志愿者和社会各界爱心人士:")
    assert letter.body.endswith("祝大家新年快乐,阖家幸福!")
    assert "2022年1月" not in letter.body
    assert meeting.body.endswith("全面从严治会向纵深发展。")
    assert "擦亮“数智群团”金字招牌。" in meeting.body
    assert "及时帮助他们解决实际困难。" in visit.body  # rejoined across three blank lines
    assert visit.body.endswith("据统计,自2000年1月以")  # truncated sentence kept as is
    assert "综合报道" not in visit.body
    assert "学习心肺复苏、AED使用" in zj390.articles[5].body
    assert all(a.captions == [] for a in zj390.articles)


# --------------------------------------------------------------------------- feature pages


def test_shiyan_feature_page(shiyan):
    """No masthead: one article, seven photo captions, city from the text, flagged for review."""
    assert shiyan.kind == "feature"
    assert shiyan.publication == ""
    assert shiyan.number is None and shiyan.date is None and shiyan.year is None
    assert shiyan.subject_city == "十堰"
    assert shiyan.publisher == "十堰市红十字会"
    assert shiyan.title == "创一流 争第一 干唯一"
    assert {"没有期号", "没有出版日期", "没有年份"} <= set(shiyan.review_reasons)
    (article,) = shiyan.articles
    assert article.subtitle == "全市能力作风建设半年晒成效"
    assert article.byline == "市红十字会"
    assert article.captions == [
        "成立红十字会心理救援志愿服务队",
        "开展急救培训",
        "紧急运送捐献器官",
        "开展无偿献血宣传",
        "慰问困难群众",
        "成立红十字青少年工作基地",
        "迎接造血干细胞捐献志愿者",
    ]
    assert "开展急救培训" not in article.body
    assert "开展无偿献血宣传动员和表彰工作,无偿献血理念深入人心。" in article.body
    assert article.body.count("——这五年") == 8


def test_shijiazhuang_feature_page(shijiazhuang):
    issue = shijiazhuang
    assert issue.kind == "feature"
    assert issue.subject_city == "石家庄"
    assert issue.publisher == "石家庄市红十字会"
    assert issue.year == 2021
    assert issue.date == D(2021, 12, 10)  # latest precise date in the text
    assert "年份取自正文" in issue.review_reasons and "没有期号" in issue.review_reasons
    (article,) = issue.articles
    assert article.title == "用爱心凝聚人道力量 用行动弘扬红十字精神"
    assert article.subtitle == "石家庄市红十字事业发展回眸"
    assert article.byline == "张雷"
    assert article.date == D(2021, 12, 10)
    assert len(article.captions) == 5
    assert article.captions[2] == "石家庄市红十字会领导看望造血干细胞捐献者。"
    paragraphs = article.body.split("\n\n")
    assert "加强党组织建设,把政治建设摆在首位" in paragraphs  # subheading kept, on its own
    assert "吸引更多的爱心人士、爱心企业加入红十字公益事业。" in article.body  # joined across captions
    assert "文/图" not in article.body and "张雷" not in article.body
    assert "贡献了红十字力量。" in article.body


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("4月1日", {"year": 2021}, (D(2021, 4, 1), None)),
        ("4月26日至27日", {"year": 2021}, (D(2021, 4, 26), D(2021, 4, 27))),
        ("4月30日至5月2日", {"year": 2021}, (D(2021, 4, 30), D(2021, 5, 2))),
        ("12月30日至1月2日", {"year": 2021}, (D(2021, 12, 30), D(2022, 1, 2))),
        ("1月11日-15日", {"year": 2022}, (D(2022, 1, 11), D(2022, 1, 15))),
        ("2021 年 4 月 12 日", {}, (D(2021, 4, 12), None)),
        ("２０２１年４月３０日", {}, (D(2021, 4, 30), None)),
        ("二〇二一年四月三十日", {}, (D(2021, 4, 30), None)),
        ("2020年6月24日 星期三", {}, (D(2020, 6, 24), None)),
        ("12月28日", {"year": 2022, "issue_month": 1}, (D(2021, 12, 28), None)),
        ("日前", {"year": 2021}, (None, None)),
        ("6月上旬", {"year": 2021}, (None, None)),
        ("4月1日", {}, (None, None)),  # no year known: unknown, not guessed
        ("2月30日", {"year": 2021}, (None, None)),
        ("", {"year": 2021}, (None, None)),
    ],
)
def test_parse_date(text, kwargs, expected):
    assert parse_date(text, **kwargs) == expected


# --------------------------------------------------------------------------- synthetic bulletins

SMALL = """湖北省红十字会简报
第四十四期
湖北省红十字会办公室 二〇二一年四月三十日

全省红十字会召开工作会议

4月7日，全省红十字会召开工作会议。会议部署了全年工作。

简讯

▲4月1日，咸宁市红十字会开展活动。
"""


def test_chinese_numerals_and_office_date_line():
    issue = parse_bulletin(SMALL)
    assert issue.number == 44
    assert issue.date == D(2021, 4, 30)
    assert issue.publisher == "湖北省红十字会"
    assert [a.title for a in issue.articles] == ["全省红十字会召开工作会议"]
    assert issue.articles[0].date == D(2021, 4, 7)
    assert issue.briefs[0].date == D(2021, 4, 1)


def test_fullwidth_digits_and_spaces():
    text = SMALL.replace("第四十四期", "第 ４４ 期").replace("二〇二一年四月三十日", "２０２１ 年 ４ 月 ３０ 日")
    issue = parse_bulletin(text)
    assert (issue.number, issue.date) == (44, D(2021, 4, 30))


def test_crlf_and_weekday():
    text = (
        "# 浙江红十字\r\n\r\n第12期\r\n2020年6月24日 星期三\r\n浙江省红十字会主办\r\n\r\n"
        "## 标题一则新闻报道\r\n\r\n6月1日,举行活动。\r\n"
    )
    issue = parse_bulletin(text)
    assert (issue.number, issue.date, issue.publisher) == (12, D(2020, 6, 24), "浙江省红十字会")
    assert issue.articles[0].body == "6月1日,举行活动。"


def test_missing_number_and_date_are_review_reasons():
    issue = parse_bulletin("某某红十字会简报\n\n2021年第一季度工作总结会议\n\n3月5日，会议召开。会议总结工作。\n")
    assert issue.number is None
    assert "没有期号" in issue.review_reasons
    assert "没有出版日期" in issue.review_reasons
    assert issue.year == 2021 and "年份取自正文" in issue.review_reasons


def test_december_event_in_january_issue():
    text = "某省红十字会简报\n第1期\n2022年1月10日\n\n年终慰问活动圆满结束\n\n12月28日，开展慰问。\n"
    issue = parse_bulletin(text)
    assert issue.articles[0].date == D(2021, 12, 28)


PLAIN = """某市红十字会简报
第 7 期（总第 120 期）
某市红十字会办公室          2021年5月10日

市红十字会召开应急救护培训工作会议
——部署全年培训任务
□通讯员 王小明

5月6日，市红十字会召开应急救护培训工作会议。会议要求各县区红十字会扎实推进培

训工作。

基层动态

宁波：开展造血干细胞捐献宣传
李华/供稿

5月8日，宁波市红十字会在广场开展宣传活动。(文/图:赵六)

简 讯

1. 5月3日，某县红十字会开展义诊。
2. 近日，某区红十字会开展慰问。

抄送：省红十字会。
编校：办公室
"""


def test_plain_bulletin_generalises():
    """Subtitle with dashes, □ byline, bare section, full-width colon region, X/供稿, numbered briefs."""
    issue = parse_bulletin(PLAIN)
    assert (issue.number, issue.date, issue.publisher) == (7, D(2021, 5, 10), "某市红十字会")
    first, second = issue.articles
    assert (first.title, first.subtitle, first.byline, first.section) == (
        "市红十字会召开应急救护培训工作会议",
        "部署全年培训任务",
        "通讯员 王小明",
        "",
    )
    assert first.body.endswith("扎实推进培训工作。")
    assert (second.region, second.section, second.byline) == ("宁波", "基层动态", "李华")
    assert second.body == "5月8日，宁波市红十字会在广场开展宣传活动。"
    assert [b.text for b in issue.briefs] == ["5月3日，某县红十字会开展义诊。", "近日，某区红十字会开展慰问。"]
    assert [b.date for b in issue.briefs] == [D(2021, 5, 3), None]
    assert "抄送" not in _all_bodies(issue) and "编校" not in _all_bodies(issue)


def test_sentence_starting_like_a_footer_is_kept():
    text = "某省红十字会简报\n第2期\n2021年3月1日\n\n改革方案印发实施\n\n印发《改革方案》后，各地积极落实。\n"
    issue = parse_bulletin(text)
    assert issue.articles[0].body == "印发《改革方案》后，各地积极落实。"


def test_total_number_only():
    issue = parse_bulletin("某省红十字会简报\n总第120期\n2021年3月1日\n\n一则新闻标题在此\n\n3月1日，开会。\n")
    assert issue.number == 120


def test_traditional_text_is_parsed_and_kept_as_printed():
    """Parsed in simplified script (the parser's words are simplified), every field back in the printed script."""
    text = "臺北市紅十字會簡訊\n第3期\n2021年3月1日\n\n紅十字會舉辦急救訓練\n\n3月1日，紅十字會舉辦急救訓練。\n"
    issue = parse_bulletin(decode_bytes(text.encode("big5")))
    assert issue.publication == "臺北市紅十字會簡訊"
    assert issue.number == 3
    assert issue.articles[0].title == "紅十字會舉辦急救訓練"
    assert issue.articles[0].body == "3月1日，紅十字會舉辦急救訓練。"


def test_traditional_variant_keeps_its_brief_items_and_script():
    """v19 (☆ items in traditional script) parses like its simplified form: the brief section is found."""
    issue = parse_bulletin(decode_bytes((VARIANTS / "v19_briefs_open_star_circle_traditional.txt").read_bytes()))
    assert issue.publication == "泉州慈善通訊"
    assert issue.briefs and "慈善總會" in issue.briefs[0].text


# --------------------------------------------------------------------------- decode_bytes


def test_decode_utf8_bom_and_crlf():
    assert decode_bytes("\ufeff红十字会\r\n简报\r第4期".encode()) == "红十字会\n简报\n第4期"


def test_decode_gb18030():
    text = "湖北省红十字会简报\n第4期\n省红十字会举办应急救护培训。"
    assert decode_bytes(text.encode("gb18030")) == text


def test_decode_big5_keeps_the_printed_script():
    data = "中華民國紅十字會總會簡訊\n第四十四期\n各縣市紅十字會舉辦急救訓練。".encode("big5")
    assert decode_bytes(data) == "中華民國紅十字會總會簡訊\n第四十四期\n各縣市紅十字會舉辦急救訓練。"


def test_decode_keeps_simplified_text_unchanged():
    text = "湖北省红十字会简报\n省红十字会召开会议。"
    assert decode_bytes(text.encode()) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"  \n\t\r\n ", "文件为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
        (bytes(range(1, 32)) * 20, "二进制"),
        (b"\x81\x30\xff\xfe\x80\x80\xff" * 3, "编码"),
    ],
)
def test_decode_bad_input(data, message):
    with pytest.raises(ParseError, match=message):
        decode_bytes(data)


# --------------------------------------------------------------------------- bad or random text


@pytest.mark.parametrize("text", ["", "   \n\n", "hello world\n1234", "第4期\n2021年4月30日\n"])
def test_nothing_usable_raises(text):
    with pytest.raises(ParseError, match="没有可识别的正文"):
        parse_bulletin(text)


ALPHABET = [
    *"红十字会简报第期年月日至讯▲□#:：，。、“”()（）—\n\n\n 0123456789一二三四五六七八九十〇通讯员文/图",
    "  \n",
    "## ",
    "简 讯",
]


def test_random_texts_never_crash():
    """The internal parser, without the safety net, only ever raises ParseError."""
    rng = random.Random(20240601)
    for _ in range(300):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 400)))
        try:
            issue = _parse(text)
        except ParseError:
            continue
        assert isinstance(issue, ParsedIssue)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(ALPHABET), st.characters()), max_size=300).map("".join))
def test_property_parse_returns_issue_or_parse_error(text):
    try:
        issue = _parse(text)
    except ParseError:
        return
    assert isinstance(issue, ParsedIssue)
    assert all(a.position == i for i, a in enumerate(issue.articles, start=1))
    assert all(b.position == i for i, b in enumerate(issue.briefs, start=1))


def test_a_lone_surrogate_is_parsed_around_not_a_crash():
    """A str can hold a lone surrogate (not a decoded file; text handed in from elsewhere): the script
    conversion keeps it and converts the rest, so parsing goes on (found by the property test above)."""
    from bulletins.chinese_script import normalise, to_simplified

    assert to_simplified("紅\ud800會\udfff\ud800x紅") == "红\ud800会\udfff\ud800x红"
    assert normalise("Ａ紅\ud800") == "a红\ud800"
    issue = _parse("红红\ud800")
    assert [a.body for a in issue.articles] == ["红红\ud800"]


def test_parser_does_not_import_django():
    import subprocess

    code = "import sys, bulletins.parsing.bulletin, bulletins.parsing.decoding; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
