"""Parse the plain text of a Red Cross bulletin (简报) into dataclasses.

Pure Python on purpose: no Django import, so the parser can be tested on seed text
and reused by the importer, the benchmarks and the command line alike.

The input is text extracted from PDFs, in three broad shapes (see DESIGN.md §2):

* plain-text bulletins (湖北省红十字会简报): masthead lines, bare headlines, paragraphs,
  a ``简 讯`` section of ``▲`` items and a distribution footer;
* markdown-like bulletins (浙江红十字): ``#`` headings, section headings such as
  ``每月要览``, ``□通讯员`` bylines, regional headlines ``宁波:…``;
* city feature pages (十堰, 石家庄): no masthead at all, one long article with bare
  subheadings and runs of photo captions.

The pipeline is: normalise text -> split into blank-line separated *blocks* ->
read the masthead line by line -> drop footers, noise and captions -> walk the
remaining blocks once, building articles and brief items.  Every pass is linear in
the number of blocks, so parsing stays far cheaper than word segmentation.

Conventions worth knowing when reading the output:

* ``ParsedArticle.title`` is the headline as printed, a regional prefix included
  (``宁波:开展…``); the prefix is also copied, without ``市``, into ``region``.
* ``ParsedArticle.byline`` keeps the role for reporter lines (``□通讯员 贺佳晶`` ->
  ``通讯员 贺佳晶``) and is the bare name for credits and signatures
  (``(文/图:张雷)`` -> ``张雷``, a trailing ``沈宏轩`` -> ``沈宏轩``).
* ``body`` paragraphs are separated by one blank line; subheadings of a feature page
  stay in the body as paragraphs of their own.
* A signed commentary whose title and author follow its body takes that title; the
  heading printed above it (a column name) becomes its ``section``.
* ``ParsedIssue.kind`` is "bulletin" (masthead found: number, date or a periodical's
  name) or "feature"; a feature page's ``date`` is the latest precise date in its
  text, flagged in ``review_reasons``.

Known limits: inside numbered bulletins a bare subheading is indistinguishable from
the first half of a paragraph cut by a page break, so it is joined to the next block
(page-break repair matters more); a caption is recognised only by the photo gap (two
or more blank lines) before it.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

__all__ = [
    "ParseError",
    "ParsedArticle",
    "ParsedBrief",
    "ParsedIssue",
    "decode_bytes",
    "parse_bulletin",
    "parse_date",
]


class ParseError(ValueError):
    """The input cannot be turned into an issue; the message is shown to the user as is."""


# --------------------------------------------------------------------------- results


@dataclass
class ParsedBrief:
    position: int  # 1-based within the issue
    text: str  # without the leading ▲
    date: datetime.date | None
    end_date: datetime.date | None  # for ranges like 4月26日至27日


@dataclass
class ParsedArticle:
    position: int  # 1-based within the issue
    title: str
    subtitle: str = ""
    section: str = ""
    byline: str = ""
    region: str = ""
    body: str = ""
    date: datetime.date | None = None
    captions: list[str] = field(default_factory=list)


@dataclass
class ParsedIssue:
    publication: str
    publisher: str
    number: int | None
    date: datetime.date | None
    title: str
    subject_city: str = ""
    articles: list[ParsedArticle] = field(default_factory=list)
    briefs: list[ParsedBrief] = field(default_factory=list)
    review_reasons: list[str] = field(default_factory=list)
    year: int | None = None
    # Added: "bulletin" for a numbered issue with a masthead, "feature" for a page without one.
    kind: str = "bulletin"


# --------------------------------------------------------------------------- decoding

# Characters that exist only in traditional script; a handful of them in a text is a
# cheap and reliable sign that it needs t2s conversion (no dictionary lookup needed).
_TRADITIONAL_ONLY = frozenset(
    "會與國這們來時東說為於經報區書學發開關問題點實體間長門車見電話處應動組織機過還進運邊個義員際護籌災獻"
    "紅簡訊統產業歷務幫鄉縣衛愛團濟辦參導將從當對專讓寫號與萬億貧難傳聯絡際總務環節課師範層級訓練隊"
)
# Characters common in bulletins in both scripts: used to choose between GB and Big5
# when both decode without error (one of them then yields mojibake).
_COMMON_HAN = frozenset(
    "的一是在不了有和人中大上年月日十字会會红紅省市县縣工作开開展救护護为為全各级級动動志愿願服务務党黨"
    "会议議学學习習组組织織发發部长長主席开开社区區活民生命健康献獻血捐赠贈"
)


# Counting through a regex character class: the same test as a loop over the characters, several times faster.
_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL_ONLY)) + "]")
_CONTROL_RE = re.compile("[\x00-\x08\x0d-\x1f]")  # control characters other than \t \n \v \f


def decode_bytes(data: bytes) -> str:
    """Decode an uploaded file to text, or raise ParseError saying why not.

    UTF-8 is tried first because it is strict: if it decodes, it is right.  GB18030
    and Big5 are both permissive, so when both decode the one with more common
    Chinese characters wins; charset_normalizer handles everything else.
    """
    if not data:
        raise ParseError("文件为空")
    text = _decode(data)
    text = _normalise_newlines(text)
    if not text.strip():
        raise ParseError("文件为空（只有空白字符）")
    if _looks_binary(text):
        raise ParseError("不是文本文件（二进制内容）")
    if _looks_traditional(text):
        text = _to_simplified(text)
    return text


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if b"\x00" in data:
        raise ParseError("不是文本文件（二进制内容）")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            candidates.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if candidates:
        return max(candidates, key=lambda t: sum(ch in _COMMON_HAN for ch in t))
    from charset_normalizer import from_bytes  # imported lazily: only odd files need it

    best = from_bytes(data).best()
    if best is None:
        raise ParseError("无法识别的编码")
    return str(best)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParseError("无法识别的编码") from exc


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    """NUL or a high share of control characters means this was never a text file."""
    if "\x00" in text:
        return True
    sample = text[:4096]
    controls = len(_CONTROL_RE.findall(sample))
    return controls > max(8, len(sample) // 20)


def _looks_traditional(text: str) -> bool:
    sample = text[:20000]
    if "紅十字" in sample:
        return True
    hits = len(_TRADITIONAL_RE.findall(sample))
    return hits >= 5 and hits * 50 >= len(_HAN_RE.findall(sample))


def _to_simplified(text: str) -> str:
    from opencc import OpenCC  # lazy: loading the dictionaries is only worth it for traditional text

    return OpenCC("t2s").convert(text)


# --------------------------------------------------------------------------- numbers and dates

_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "\u3000": " ", "\u00a0": " ", "\ufeff": "", "\u200b": ""}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
)
_NEEDS_HALFWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\ufeff\u200b]")


def _halfwidth(text: str) -> str:
    """Full-width digits and letters to ASCII; str.translate is slow, so only when needed."""
    return text.translate(_FULLWIDTH) if _NEEDS_HALFWIDTH_RE.search(text) else text


_CN_DIGIT = {
    ch: value
    for value, chars in enumerate(["〇零○", "一", "二两", "三", "四", "五", "六", "七", "八", "九"])
    for ch in chars
}
_CN_NUM_CHARS = "〇零○一二三四五六七八九十百千两"


def _cn_to_int(token: str) -> int | None:
    """'44' / '四十四' / '一百零二' / '二〇二一' -> int; None if it is not a number."""
    token = token.strip()
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if all(ch in _CN_DIGIT for ch in token) and len(token) > 1:
        # digit-by-digit form used for years: 二〇二一
        return int("".join(str(_CN_DIGIT[ch]) for ch in token))
    try:
        import cn2an  # lazy: only Chinese numerals need it

        return int(cn2an.cn2an(token, "smart"))
    except Exception:  # cn2an raises plain ValueError/KeyError subclasses on junk
        return None


_YEAR = r"[0-9]{4}|[〇零○一二三四五六七八九]{4}"
_NUM = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
_RANGE_SEP = r"(?:至|到|[-—–~～])"
# One precise date, optionally followed by the end of a range:
#   2021年4月12日 | 4月26日至27日 | 4月26—27日 | 4月30日至5月2日 | 二〇二一年四月三十日
_DATE_RE = re.compile(
    rf"(?<![0-9])(?:(?P<y>{_YEAR})\s*年\s*)?(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*(?P<dsuf>[日号])?"
    rf"(?:\s*{_RANGE_SEP}\s*(?:(?P<y2>{_YEAR})\s*年\s*)?(?:(?P<m2>{_NUM})\s*月\s*)?(?P<d2>{_NUM})\s*[日号])?"
)
_YEAR_IN_TEXT_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年\s*(?:([0-9]{1,2})\s*月)?")


def _safe_date(year: int | None, month: int | None, day: int | None) -> datetime.date | None:
    if year is None or month is None or day is None or not 1900 <= year <= 2100:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _dates_from_match(
    match: re.Match[str], year: int | None, issue_month: int | None
) -> tuple[datetime.date | None, datetime.date | None]:
    if match.group("dsuf") is None and match.group("d2") is None:
        return None, None  # "4月26" without 日 and not a range: not a date
    month, day = _cn_to_int(match.group("m")), _cn_to_int(match.group("d"))
    explicit_year = _cn_to_int(match.group("y")) if match.group("y") else None
    start_year = explicit_year if explicit_year is not None else year
    if explicit_year is None and start_year is not None and issue_month and month and month - issue_month > 6:
        start_year -= 1  # a December event reported in a January issue happened last year
    start = _safe_date(start_year, month, day)
    if start is None:
        return None, None
    end = None
    if match.group("d2"):
        end_month = _cn_to_int(match.group("m2")) if match.group("m2") else month
        end_year = _cn_to_int(match.group("y2")) if match.group("y2") else start_year
        if not match.group("y2") and end_month is not None and month is not None and end_month < month:
            end_year = (end_year or 0) + 1  # 12月30日至1月2日 crosses the new year
        end = _safe_date(end_year, end_month, _cn_to_int(match.group("d2")))
        if end is not None and end <= start:
            end = None
    return start, end


def parse_date(
    text: str, *, year: int | None = None, issue_month: int | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """First precise date in ``text`` as (start, end); end is set only for ranges.

    A year written in the text wins over ``year``; without either the date is
    unknown.  Vague expressions (日前, 近日, 6月上旬) have no day and give (None, None).
    """
    if not text:
        return None, None
    text = _halfwidth(text)
    for match in _DATE_RE.finditer(text):
        start, end = _dates_from_match(match, year, issue_month)
        if start is not None:
            return start, end
    return None, None


def _all_dates(text: str, year: int | None) -> list[datetime.date]:
    dates = []
    for match in _DATE_RE.finditer(text):
        start, end = _dates_from_match(match, year, None)
        dates.extend(d for d in (start, end) if d is not None)
    return dates


def _year_from_text(text: str) -> int | None:
    """Year the text is about: the latest 'YYYY年M月' (截至2021年12月), else the most common 'YYYY年'.

    Bare years are a weaker signal because plans name future years (2021-2025年).
    """
    with_month, bare = [], []
    for match in _YEAR_IN_TEXT_RE.finditer(text):
        value = int(match.group(1))
        (with_month if match.group(2) else bare).append(value)
    if with_month:
        return max(with_month)
    if bare:
        counts = Counter(bare)
        return max(counts, key=lambda y: (counts[y], y))
    return None


# --------------------------------------------------------------------------- text shapes

_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_PARA_END = "。！？!?…；;：:”」』"  # a paragraph ending with one of these is complete; "（AED）" is not
_HEADLINE_BAD_END = "。！？!?…；;：:，,、"  # a headline never ends with these
_NUMBER_RE = re.compile(rf"(?<!总)第\s*([0-9]+|[{_CN_NUM_CHARS}]+)\s*期")
_TOTAL_NUMBER_RE = re.compile(rf"总\s*第\s*([0-9]+|[{_CN_NUM_CHARS}]+)\s*期")  # only when there is no 第N期
_WEEKDAY_RE = re.compile(r"[(（]?\s*(?:星期|礼拜|周)[一二三四五六日天]\s*[)）]?")
_NOISE_RE = re.compile(
    r"内部资料|免费交流|注意保存|微\s*博|网\s*址|邮\s*箱|e-?mail|https?://|www\.|@|传\s*真|邮\s*编|公众号|微信",
    re.IGNORECASE,
)
# Lines that open the distribution/contact footer: everything short after them is footer too.
# The colon is required: "印发《改革方案》后…" is a sentence, "印发：…" a footer.
_FOOTER_OPEN_RE = re.compile(r"^\s*(?:分\s*送|报\s*送|抄\s*送|主\s*送|印\s*发|报|发|送)\s*[:：]")
# Single footer lines (editor, phone, ...), dropped wherever they stand.
_FOOTER_LINE_RE = re.compile(
    r"^\s*(?:(?:签\s*发|编\s*校|责任编辑|编\s*辑|主\s*编|审\s*核|校\s*对|联系电话|联系人|电\s*话|地\s*址)\s*[:：]"
    r"|[(（]?\s*(?:本期)?共印\s*[0-9]+\s*份)"
)
_BRIEF_OPEN_RE = re.compile(r"^[【\[]?\s*简\s*讯\s*[】\]]?\s*[:：]?$")
_BULLET_RE = re.compile(r"^\s*[▲△]\s*")
_BRIEF_BULLET_RE = re.compile(r"^\s*[▲△●◆■★]\s*")
_BRIEF_NUMBER_RE = re.compile(
    r"^\s*(?:[0-9]{1,2}\s*[.、．](?![0-9])|[(（]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）])\s*"
)


def _words(text: str) -> tuple[str, ...]:
    """Whitespace separated word lists below stay readable (and diffable) this way."""
    return tuple(text.split())


KNOWN_SECTIONS = frozenset(
    _words(
        """每月要览 综合报道 工作动态 要闻 要闻速递 本会要闻 基层动态 地方动态 各地动态 市州动态 县市动态 会务动态
    本会动态 总会动态 红十字动态 工作交流 经验交流 信息交流 领导讲话 重要讲话 图片新闻 媒体聚焦 媒体报道
    他山之石 特别关注 专题报道 党建工作 党建园地 志愿服务 应急救护 人道救助 三献工作 基层风采 理论研究
    调研报告 工作研究 通知公告 一周要闻 工作简讯 信息快递 本期关注 专题 特稿 评论"""
    )
)

_NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_ORG_RE = re.compile(r"^[\u4e00-\u9fff()（）]{3,20}(?:会|办公室|中心|部|局|委员会|协会|院|站|队)$")
_REPORTER_RE = re.compile(
    r"^(通讯员|特约通讯员|记者|特约记者|见习记者|作者|撰稿)\s*[:：]?\s*([\u4e00-\u9fff·、， ,]{2,30})$"
)
_CREDIT_RE = re.compile(
    r"^(?:文\s*/\s*图|图\s*/\s*文|文图|文|图|摄影|摄|供稿|来源|作者)\s*[:：/]\s*([\u4e00-\u9fff·、， ,]{2,30})$"
)
_SUPPLIED_BY_RE = re.compile(r"^([\u4e00-\u9fff·、， ,]{2,30})\s*/\s*(?:供稿|供图|文|图)$")
# A credit in parentheses, usually glued to the end of the last paragraph: (文/图:张雷)
_INLINE_CREDIT_RE = re.compile(
    r"[(（]\s*(?:文\s*/\s*图|图\s*/\s*文|文图|文|图|摄影|通讯员|记者|供稿|作者)\s*[:：/]\s*([^()（）\n]{1,30}?)\s*[)）]\s*$"
)
_REGION_RE = re.compile(r"^([\u4e00-\u9fff]{2,5})\s*[:：]\s*(\S.*)$")
_NOT_REGIONS = frozenset(
    _words("快讯 简讯 专访 评论 特稿 观察 聚焦 关注 视点 声音 公告 通知 导读 提示 按语 编者按 图片新闻 短评")
)
_DATE_ONLY_RE = re.compile(rf"^\s*(?:{_YEAR})\s*年\s*(?:{_NUM})\s*月(?:\s*(?:{_NUM})\s*日)?\s*$")

CITIES = _words(
    """石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 晋城 朔州 晋中 运城 忻州 临汾
    吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口
    阜新 辽阳 盘锦 铁岭 葫芦岛 长春 四平 辽源 通化 松原 白城 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯
    七台河 牡丹江 黑河 绥化 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波 温州
    嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 滁州 阜阳 宿州 六安 亳州
    池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州
    上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山
    安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门
    孝感 荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门 长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化
    娄底 广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 潮州 揭阳 云浮
    南宁 柳州 桂林 梧州 防城港 钦州 贵港 玉林 百色 贺州 河池 崇左 海口 三亚 儋州 成都 自贡 攀枝花 泸州 德阳
    绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 贵阳 六盘水 遵义 安顺 毕节 铜仁 昆明 曲靖
    玉溪 保山 昭通 丽江 普洱 临沧 拉萨 日喀则 昌都 林芝 西安 铜川 宝鸡 咸阳 渭南 汉中 榆林 商洛 兰州 嘉峪关
    金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 西宁 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番
    哈密 北京 天津 上海 重庆"""
)
# Ambiguous names left out on purpose: 来宾 (guests), 安康 (阖家安康), 长治 (长治久安), 朝阳, 延安 (延安精神).


def _han_count(text: str) -> int:
    return len(_HAN_RE.findall(text))


def _is_terminated(text: str) -> bool:
    """True when a paragraph ends with closing punctuation, i.e. was not cut by a page break."""
    return bool(text) and text.rstrip()[-1] in _PARA_END


def _headline_shaped(text: str, max_len: int = 40) -> bool:
    """Short, unpunctuated at the end, mostly Chinese: how a bare headline looks."""
    text = text.strip()
    if not 4 <= len(text) <= max_len or text[-1] in _HEADLINE_BAD_END:
        return False
    if text[0] in "▲△●◆■★□(（-—" or "。" in text:
        return False
    return _han_count(text) >= max(3, len(text) // 2)


def _section_shaped(text: str) -> bool:
    return text in KNOWN_SECTIONS or (4 <= len(text) <= 8 and _han_count(text) == len(text))


def _clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _reporter_byline(text: str) -> str | None:
    """Byline from a stand-alone credit line, or None if the line is not one.

    Reporter lines keep their role ("通讯员 贺佳晶"); other credits give the bare name.
    """
    text = _clean_space(text)
    if text.startswith("□"):
        rest = _clean_space(text.lstrip("□"))
        if rest and len(rest) <= 30 and not any(ch in rest for ch in "。！？"):
            match = _REPORTER_RE.match(rest)
            return f"{match.group(1)} {_clean_space(match.group(2))}" if match else rest
        return None
    match = _REPORTER_RE.match(text)
    if match:
        return f"{match.group(1)} {_clean_space(match.group(2))}"
    match = _CREDIT_RE.match(text.strip("()（）")) or _SUPPLIED_BY_RE.match(text.strip("()（）"))
    if match:
        return _clean_space(match.group(1))
    return None


def _region_of(title: str) -> str:
    match = _REGION_RE.match(title)
    if not match or match.group(1) in _NOT_REGIONS:
        return ""
    region = match.group(1)
    return region[:-1] if region.endswith("市") and len(region) > 2 else region


# --------------------------------------------------------------------------- blocks


@dataclass
class _Block:
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


_ELEMENT_MARK_RE = re.compile(r"^\s*(?:——|□|[▲△])")


def _starts_element(line: str) -> bool:
    """Lines that always begin something new even without a blank line before them."""
    return bool(_ELEMENT_MARK_RE.match(line)) or _reporter_byline(line) is not None


def _split_blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    gap = 0
    current: _Block | None = None
    for line in lines:
        if not line.strip():
            gap += 1
            current = None
            continue
        heading = _HEADING_RE.match(line.strip())
        if heading and heading.group(2):
            blocks.append(_Block([heading.group(2)], gap, level=len(heading.group(1))))
            current = None
        elif (
            current is None
            or _starts_element(line)
            or _reporter_byline(current.lines[-1])
            or (_BRIEF_NUMBER_RE.match(line) and _is_terminated(current.lines[-1]))
        ):
            current = _Block([line], gap)  # a marker line (——, □, ▲) or a byline ends the block before it
            blocks.append(current)
        else:
            current.lines.append(line)
        gap = 0
    for block, following in itertools.pairwise(blocks):
        block.gap_after = following.gap_before
    if blocks:
        blocks[-1].gap_after = 99  # the end of the text counts as a big gap
    return blocks


# --------------------------------------------------------------------------- masthead


@dataclass
class _Masthead:
    publication: str = ""
    publisher: str = ""
    number: int | None = None
    date: datetime.date | None = None
    body_start: int = 0  # index of the first line after the masthead
    found: bool = False


# A first line named like a periodical is a masthead even when number and date are missing.
_PUBLICATION_RE = re.compile(r"^.{2,16}(?:简报|通讯|快讯|会刊|工作动态|信息)$")
_PUBLISHER_SUFFIX_RE = re.compile(r"\s*(?:主办|编印|印发|办公室)\s*$")


def _read_masthead(lines: list[str]) -> _Masthead:
    """Read the masthead line by line from the top.

    Line-wise because markdown line breaks glue 第370期 / date / 主办 into one block.
    The masthead counts only if it yields an issue number, a date or a periodical's
    name (…简报); otherwise the text is a feature page and the first line is its title.
    """
    head = _Masthead()
    seen = 0
    for index, raw in enumerate(lines):
        line = _clean_space(raw.lstrip("#"))
        if not line:
            continue
        seen += 1
        if seen > 15:
            break
        role = _masthead_role(line, head, first=seen == 1)
        if role is None:
            break
        head.body_start = index + 1
    head.found = head.number is not None or head.date is not None or bool(_PUBLICATION_RE.search(head.publication))
    if not head.found:
        return _Masthead()
    if not head.publisher and head.publication:
        head.publisher = _publisher_from_publication(head.publication)
    return head


def _masthead_role(line: str, head: _Masthead, *, first: bool) -> str | None:
    """Consume one masthead line into ``head``; None when the line is content, not masthead."""
    if _NOISE_RE.search(line) and len(line) <= 60:
        return "noise"
    role = None
    rest = line
    number = _NUMBER_RE.search(rest) or _TOTAL_NUMBER_RE.search(rest)
    if number and head.number is None:
        head.number = _cn_to_int(number.group(1))
        rest = (rest[: number.start()] + rest[number.end() :]).strip()
        rest = re.sub(r"[(（]\s*总第\s*\S+?\s*期\s*[)）]|总第\s*\S+?\s*期", "", rest).strip()
        role = "number"
    date_match = _DATE_RE.search(_halfwidth(rest))
    if date_match and head.date is None:
        remaining = _halfwidth(rest)
        remaining = _WEEKDAY_RE.sub("", remaining[: date_match.start()] + remaining[date_match.end() :]).strip()
        if not remaining or _PUBLISHER_SUFFIX_RE.search(remaining) or len(remaining) <= 4:
            start, _ = _dates_from_match(date_match, None, None)
            if start is not None:
                head.date = start
                rest = remaining
                role = "date"
    if (
        rest
        and (rest.startswith("主办") or _PUBLISHER_SUFFIX_RE.search(rest))
        and len(rest) <= 30
        and not head.publisher
    ):
        publisher = re.sub(r"^主办\s*[:：]\s*", "", rest)
        head.publisher = _PUBLISHER_SUFFIX_RE.sub("", publisher).strip()
        return "publisher"
    if role:
        if rest and first and not head.publication:
            head.publication = rest
        return role
    if first and len(line) <= 30 and _han_count(line) >= 2:
        head.publication = line
        return "publication"
    if not rest:
        return "empty"
    return None


def _publisher_from_publication(publication: str) -> str:
    """湖北省红十字会简报 -> 湖北省红十字会: a bulletin is named after the body that issues it."""
    stem = re.sub(r"(?:工作)?(?:简报|通讯|动态|信息|快讯|简讯|会刊)$", "", publication).strip()
    return stem if stem.endswith("会") and stem != publication else ""


# --------------------------------------------------------------------------- classification passes


def _mark_footer_and_noise(blocks: list[_Block]) -> None:
    """Distribution lists (分送/报/发) run to the end once they start; contact lines go wherever they are."""
    in_footer = False
    for block in blocks:
        text = block.text
        if in_footer and (block.level or len(text) > 80 or not _is_terminated(text)):
            in_footer = False  # an unpunctuated line is a headline: the footer was not at the end
        if _FOOTER_OPEN_RE.match(text) and len(text) <= 200:
            in_footer = True
        if in_footer or (_FOOTER_LINE_RE.match(text) and len(text) <= 80):
            block.kind = "footer"
        elif not block.level and _NOISE_RE.search(text) and len(text) <= 60:
            block.kind = "noise"


def _caption_shaped(block: _Block) -> bool:
    text = block.text
    if block.level or block.kind or len(block.lines) > 2 or not 4 <= len(text) <= 60:
        return False
    if text[0] in "▲△●◆■★□—-(（" or text in KNOWN_SECTIONS or _reporter_byline(text):
        return False
    if text.count("。") > 1 or ("。" in text and not text.endswith("。")):
        return False
    if text[-1] in _HEADLINE_BAD_END and not text.endswith("。"):
        return False
    return _han_count(text) >= len(text) // 2


def _mark_captions(blocks: list[_Block]) -> None:
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
        tail_of_cut = previous is not None and not _is_terminated(previous.text) and len(previous.text) > 40
        for offset, block in enumerate(run):
            text = block.text
            if not text.endswith("。") and len(run) == 1 and block.gap_after < 2:
                continue  # a headline after a page gap, not a photo caption
            if len(run) == 1 and tail_of_cut and offset == 0 and len(text) < 15:
                continue  # "…及时帮助他们解决" + gap + "实际困难。"
            block.kind = "caption"
        index = end + 1


def _previous_text_block(blocks: list[_Block], index: int) -> _Block | None:
    for j in range(index - 1, -1, -1):
        if not blocks[j].kind:
            return blocks[j]
    return None


# --------------------------------------------------------------------------- article assembly


@dataclass
class _ArticleDraft:
    title: str
    subtitle: str = ""
    section: str = ""
    byline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    open_paragraph: bool = False  # last paragraph was cut by a page break
    last_was_heading: bool = False

    def add_heading(self, text: str) -> None:
        """A subheading inside a feature page: a paragraph of its own that never absorbs the next block."""
        self.paragraphs.append(text)
        self.open_paragraph = False
        self.last_was_heading = True

    def add_text(self, text: str) -> None:
        """Append a paragraph, or glue it to the previous one if that was cut mid-sentence."""
        text, credit = _strip_inline_credit(text)
        if credit and not self.byline:
            self.byline = credit
        if not text:
            return
        if self.paragraphs and self.open_paragraph:
            self.paragraphs[-1] += text
        else:
            self.paragraphs.append(text)
        self.open_paragraph = not _is_terminated(self.paragraphs[-1])
        self.last_was_heading = False


def _strip_inline_credit(text: str) -> tuple[str, str]:
    match = _INLINE_CREDIT_RE.search(text)
    if not match:
        return text, ""
    return text[: match.start()].rstrip(), _clean_space(match.group(1))


def _is_body_text(block: _Block | None) -> bool:
    """An ordinary paragraph: not a heading, not headline-shaped, not a bullet or credit line."""
    if block is None or block.level:
        return False
    text = block.text
    return not _headline_shaped(text) and not _BRIEF_BULLET_RE.match(text) and not _reporter_byline(text)


class _Assembler:
    """Walks the classified blocks once and builds article drafts and brief items."""

    def __init__(self, blocks: list[_Block], *, markdown: bool):
        self.blocks = [b for b in blocks if b.kind not in {"footer", "noise"}]
        self.markdown = markdown  # headlines are marked, so bare headline-shaped lines are subheadings
        # following[i]: index of the next non-caption block after i, precomputed so look-ahead is O(1)
        self.following: list[int | None] = [None] * len(self.blocks)
        upcoming: int | None = None
        for i in range(len(self.blocks) - 1, -1, -1):
            self.following[i] = upcoming
            if self.blocks[i].kind != "caption":
                upcoming = i
        self.articles: list[_ArticleDraft] = []
        self.briefs: list[str] = []
        self.current: _ArticleDraft | None = None
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

    def _next(self, index: int, step: int = 1) -> _Block | None:
        found = self._next_index(index, step)
        return None if found is None else self.blocks[found]

    def _starts_article(self, block: _Block | None) -> bool:
        """Does this block open something new (heading, section, end of text)?"""
        if block is None:
            return True
        text = block.text
        return bool(block.level) or text in KNOWN_SECTIONS or bool(_BRIEF_OPEN_RE.match(text))

    def _is_bare_headline(self, index: int | None) -> bool:
        """A bare line that opens an article: headline-shaped and followed by body text.

        Body text may come after a subtitle or a byline line.  In markdown documents
        headlines are marked with #, so bare headline-shaped lines there are subheadings.
        """
        if index is None:
            return False
        block = self.blocks[index]
        if block.level or block.kind or self.markdown or not _headline_shaped(block.text):
            return False
        following = self._next(index)
        if _is_body_text(following):
            return True
        if following is None or following.level:
            return False
        if _headline_shaped(following.text) or _reporter_byline(following.text):
            after = self._next(index, 2)
            return _is_body_text(after) or (after is not None and bool(_reporter_byline(after.text)))
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

    def _handle(self, index: int, block: _Block) -> None:
        text = block.text
        if _BRIEF_OPEN_RE.match(text):
            self._close_article()
            self.in_briefs = True
            return
        if block.level:
            self._handle_heading(index, block)
            return
        if _BULLET_RE.match(text) or (self.in_briefs and _BRIEF_BULLET_RE.match(text)):
            self._add_brief(_BRIEF_BULLET_RE.sub("", text))
            return
        if self._is_bare_section(index, block):
            self._set_section(text, 0)
            return
        if self.in_briefs and not self._is_bare_headline(index):
            numbered = _BRIEF_NUMBER_RE.match(text)
            if numbered or not self.briefs or (not self.brief_open and _DATE_RE.match(text)):
                self._add_brief(text[numbered.end() :] if numbered else text)  # an item without ▲
            else:
                self.briefs[-1] += text  # the item's own continuation after a page break
                self.brief_open = not _is_terminated(self.briefs[-1])
            return
        self._handle_text(index, block)

    def _handle_heading(self, index: int, block: _Block) -> None:
        text = _clean_space(block.text)
        following = self._next(index)
        deeper_follows = following is not None and following.level > block.level
        if text in KNOWN_SECTIONS or (deeper_follows and _section_shaped(text)):
            self._set_section(text, block.level)
            return
        if self.section and self.section_level and block.level <= self.section_level:
            self.section, self.section_level = "", 0
        self._start_article(text)

    def _is_bare_section(self, index: int, block: _Block) -> bool:
        text = block.text
        if text in KNOWN_SECTIONS:
            return True
        if not (4 <= len(text) <= 8 and _han_count(text) == len(text)):
            return False
        following = self._next(index)
        return following is not None and (following.level > 0 or self._is_bare_headline(self._next_index(index)))

    def _set_section(self, text: str, level: int) -> None:
        self._close_article()
        self.in_briefs = False
        self.section, self.section_level = text, level

    def _handle_text(self, index: int, block: _Block) -> None:
        text = block.text
        byline = _reporter_byline(text)
        if byline and self.current is not None and not self.current.byline:
            self.current.byline = byline
            return
        if self._signed_commentary(index, block):
            return
        if self._signature(index, block):
            return
        if self._is_bare_headline(index) and not (self.current and self.current.open_paragraph and len(text) < 6):
            self.in_briefs = False
            self._start_article(_clean_space(text))
            return
        current = self.current
        if current is not None and not current.paragraphs and not current.subtitle and self._subtitle_shaped(index):
            current.subtitle = _clean_space(re.sub(r"^[—\-\s]+", "", text))
            return
        if current is None:
            self._start_article("")
        self.current.add_text(text)

    def _subtitle_shaped(self, index: int) -> bool:
        block = self.blocks[index]
        text = block.text
        if text.startswith(("——", "—", "--")):
            return True
        return _headline_shaped(text, max_len=50) and self._next(index) is not None

    def _signed_commentary(self, index: int, block: _Block) -> bool:
        """Title and author printed after the body: '…正文。' / '为「重要窗口」增添红十字元素' / '沈宏轩'."""
        current = self.current
        if current is None or not current.paragraphs or current.open_paragraph:
            return False
        author = self._next(index)
        if author is None or not _headline_shaped(block.text) or not _NAME_RE.match(author.text):
            return False
        if author.text in KNOWN_SECTIONS or not self._starts_article(self._next(index, 2)):
            return False
        if not current.section:
            current.section = current.title  # the printed heading was the column's name
        current.title = _clean_space(block.text)
        current.byline = author.text
        self.skip = 1
        self._close_article()
        return True

    def _signature(self, index: int, block: _Block) -> bool:
        """A name (or organisation, maybe with a date line) closing an article: '浙江', '浙江省红十字会 / 2022年1月'."""
        current = self.current
        if current is None or not current.paragraphs or current.open_paragraph:
            return False
        lines = [_clean_space(line) for line in block.lines if line.strip()]
        if len(lines) > 1 and _DATE_ONLY_RE.match(lines[-1]):
            lines = lines[:-1]
        if len(lines) != 1:
            return False
        name = lines[0]
        if name in KNOWN_SECTIONS or not (_NAME_RE.match(name) or _ORG_RE.match(name)):
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
        self.current = _ArticleDraft(title=title, section=self.section)

    def _close_article(self) -> None:
        if self.current is not None and (self.current.paragraphs or self.current.title):
            self.articles.append(self.current)
        self.current = None

    def _add_brief(self, text: str) -> None:
        self._close_article()
        self.in_briefs = True
        if text:
            self.briefs.append(text)
            self.brief_open = not _is_terminated(text)


# --------------------------------------------------------------------------- feature pages


def _title_block(blocks: list[_Block]) -> tuple[str, str, str, int]:
    """Title, subtitle and unit byline of a page without masthead, plus the index after them.

    Leading headings or headline-shaped lines form the title block: the first is the
    title, a '——' line or later lines the subtitle, an organisation name the byline.
    """
    title, subtitles, byline = "", [], ""
    index = 0
    while index < len(blocks) and len(subtitles) < 2:
        block = blocks[index]
        text = _clean_space(block.text)
        is_title_like = block.level or text.startswith(("——", "—")) or _headline_shaped(text, max_len=50)
        if not is_title_like or block.kind or (title and block.gap_before >= 2 and not block.level):
            break  # body text, or a caption after the photo gap
        if not title:
            title = text
        elif _ORG_RE.match(text) and not byline:
            byline = text
        else:
            subtitles.append(re.sub(r"^[—\-\s]+", "", text))
        index += 1
    return title, " ".join(subtitles), byline, index


def _subject_city(*texts: str) -> str:
    """City a page is about: named in its title first, else the city named most often."""
    for text in texts[:-1]:
        for city in CITIES:
            if city in text:
                return city
    body = texts[-1]
    counts = {city: body.count(city) for city in CITIES}
    best = max(counts, key=counts.get, default="")
    return best if best and counts[best] >= 2 else ""


def _feature_articles(blocks: list[_Block]) -> tuple[list[_ArticleDraft], str]:
    title, subtitle, unit, start = _title_block(blocks)
    for block in blocks[:start]:
        block.kind = "title"
    _mark_captions(blocks)
    drafts: list[_ArticleDraft] = []
    current = _ArticleDraft(title=title or "（无标题）", subtitle=subtitle, byline=unit)
    top_level = blocks[0].level if blocks and blocks[0].level else 0
    for block in blocks[start:]:
        text = block.text
        if block.kind in {"footer", "noise"}:
            continue
        if block.kind == "caption":
            current.captions.append(text)
            continue
        if top_level and block.level and block.level <= top_level and current.paragraphs:
            drafts.append(current)  # a second page title of the same rank: clearly a separate article
            current = _ArticleDraft(title=_clean_space(text))
            continue
        byline = _reporter_byline(text)
        if byline and not current.byline:
            current.byline = byline
            continue
        # Bare subheadings (加强党组织建设,把政治建设摆在首位) stay in the body, on their own;
        # a headline-shaped line right after one is content, e.g. a sentence cut by a photo.
        subheading = block.level or _headline_shaped(text)
        if subheading and not current.open_paragraph and not current.last_was_heading:
            current.add_heading(_clean_space(text))
        else:
            current.add_text(text)
    drafts.append(current)
    return drafts, title


# --------------------------------------------------------------------------- entry point


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters other than \t and \n


def _normalise(text: str) -> list[str]:
    text = _normalise_newlines(text).replace("\f", "\n\n")
    text = _halfwidth(text)
    text = _CONTROL_RE.sub("", text)
    return [line.rstrip() for line in text.split("\n")]


def parse_bulletin(text: str, *, source_name: str = "") -> ParsedIssue:
    """Parse one bulletin's text; raises ParseError (only) when there is nothing usable."""
    if not isinstance(text, str):
        raise ParseError("输入不是文本")
    try:
        return _parse(text, source_name=source_name)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not crash an import run: report it as a bad file
        raise ParseError(f"解析失败（{type(exc).__name__}: {exc}）") from exc


def _parse(text: str, *, source_name: str = "") -> ParsedIssue:
    lines = _normalise(text)
    if _han_count(text) < 2:
        raise ParseError("没有可识别的正文（没有中文内容）")
    head = _read_masthead(lines)
    blocks = _split_blocks(lines[head.body_start :])
    _mark_footer_and_noise(blocks)
    reasons: list[str] = []
    full_text = "\n".join(lines)

    if head.found:
        kind = "bulletin"
        _mark_captions(blocks)
        markdown = sum(1 for b in blocks if b.level) >= 2
        assembler = _Assembler(blocks, markdown=markdown)
        assembler.run()
        drafts, brief_texts = assembler.articles, assembler.briefs
        publication, publisher, subject_city = head.publication, head.publisher, ""
        city = re.match(rf"^({'|'.join(CITIES)})市红十字会", publisher)
        subject_city = city.group(1) if city else ""
        title = publication + (f" 第{head.number}期" if head.number is not None else "")
    else:
        kind = "feature"
        drafts, title = _feature_articles(blocks)
        brief_texts = []
        publication = ""
        subject_city = _subject_city(title, drafts[0].subtitle if drafts else "", full_text)
        publisher = _feature_publisher(subject_city, full_text)

    drafts = [d for d in drafts if d.paragraphs or d.captions]
    if not drafts and not brief_texts:
        raise ParseError("没有可识别的正文（找不到文章或简讯）")

    issue_date = head.date
    year = issue_date.year if issue_date else None
    if year is None:
        year = _year_from_text(full_text)
        reasons.append("年份取自正文" if year is not None else "没有年份")
    if head.number is None:
        reasons.append("没有期号")
    if issue_date is None:
        dates = [d for d in _all_dates(full_text, year) if not head.date]
        if dates and kind == "feature":
            issue_date = max(dates)  # a feature page appears after the latest event it reports
            reasons.append("出版日期取自正文最晚日期")
        else:
            reasons.append("没有出版日期")
    if not publication and kind == "bulletin":
        reasons.append("没有刊名")
    issue_month = head.date.month if head.date else None

    articles = [_finish_article(i, d, year, issue_month) for i, d in enumerate(drafts, start=1)]
    if any(a.title == "（无标题）" for a in articles):
        reasons.append("有无标题的文章")
    briefs = []
    for position, brief in enumerate(brief_texts, start=1):
        start, end = _brief_date(brief, year, issue_month)
        briefs.append(ParsedBrief(position=position, text=brief, date=start, end_date=end))
    return ParsedIssue(
        publication=publication,
        publisher=publisher,
        number=head.number,
        date=issue_date,
        title=title or (articles[0].title if articles else "") or source_name,
        subject_city=subject_city,
        articles=articles,
        briefs=briefs,
        review_reasons=reasons,
        year=year,
        kind=kind,
    )


def _feature_publisher(city: str, text: str) -> str:
    if not city:
        return ""
    name = f"{city}市红十字会"
    return name if name in text or "市红十字会" in text or "我市" in text else ""


def _finish_article(position: int, draft: _ArticleDraft, year: int | None, issue_month: int | None) -> ParsedArticle:
    body = "\n\n".join(p.strip() for p in draft.paragraphs if p.strip())
    title = draft.title or "（无标题）"
    date, _ = parse_date(body, year=year, issue_month=issue_month)
    return ParsedArticle(
        position=position,
        title=title,
        subtitle=draft.subtitle,
        section=draft.section,
        byline=draft.byline,
        region=_region_of(title),
        body=body,
        date=date,
        captions=list(draft.captions),
    )


def _brief_date(
    text: str, year: int | None, issue_month: int | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The date a brief item starts with; items without one at the start get their first date."""
    match = _DATE_RE.match(_halfwidth(text).lstrip())
    if match:
        start, end = _dates_from_match(match, year, issue_month)
        if start is not None:
            return start, end
    return parse_date(text, year=year, issue_month=issue_month)
