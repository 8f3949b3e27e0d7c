"""A deterministic synthetic corpus of Red Cross bulletins, built from the seed texts.

Django-free on purpose: ``manage.py make_corpus`` is a thin wrapper, and the
benchmarks and tests call :func:`generate_issue` directly.

What it does, and why:

* **Formats.** Every issue is written in one of the two numbered-bulletin formats
  of ``seeds/`` (DESIGN.md §2): the 湖北 plain style (bare masthead lines, bare
  headlines, a ``简 讯`` section of ``▲`` items, a distribution footer) or the 浙江
  markdown style (``#`` masthead, ``##``/``####`` headlines, section headings,
  ``□通讯员`` bylines, regional ``宁波:…`` items).
* **Text.** Articles are recombined from seed *sentences* (not whole paragraphs),
  drawn with a Zipf-like law over a fixed shuffled ranking of the pool, so a few
  sentences are everywhere and most are uncommon. Seed places are swapped for the
  issue's own province and cities, numbers and dates are redrawn, and every issue
  adds a few synthetic names (people, communities, companies) that occur in that
  issue only: rare words stay rare.
* **Determinism.** Issue ``i`` depends only on ``(seed, i)`` (its own
  ``random.Random``), so the same seed gives the same bytes, in any order and in
  any number of processes.
* **Uniqueness.** Each issue has its own (publication, number) pair, so the
  importer never mistakes one issue for a new version of another.

``generate_issue`` returns the text together with the intended number of articles
and brief items, which the tests compare with what the real parser finds.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import hashlib
import itertools
import random
import re
from dataclasses import dataclass
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"
DEFAULT_SEED = 20240601

# Provinces (short name, full name, website abbreviation) and some of their cities.
PROVINCES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("湖北", "湖北省", "hb", ("武汉", "黄石", "十堰", "宜昌", "襄阳", "荆州", "黄冈", "咸宁", "孝感", "荆门")),
    ("浙江", "浙江省", "zj", ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "台州", "丽水")),
    ("江苏", "江苏省", "js", ("南京", "无锡", "徐州", "常州", "苏州", "南通", "扬州", "镇江", "泰州", "盐城")),
    ("河北", "河北省", "hebei", ("石家庄", "唐山", "保定", "邯郸", "邢台", "沧州", "廊坊", "衡水", "承德")),
    ("河南", "河南省", "ha", ("郑州", "开封", "洛阳", "安阳", "新乡", "焦作", "许昌", "南阳", "商丘", "信阳")),
    ("湖南", "湖南省", "hn", ("长沙", "株洲", "湘潭", "衡阳", "岳阳", "常德", "益阳", "郴州", "永州", "怀化")),
    ("广东", "广东省", "gd", ("广州", "深圳", "珠海", "汕头", "佛山", "江门", "湛江", "惠州", "东莞", "中山")),
    ("四川", "四川省", "sc", ("成都", "自贡", "泸州", "德阳", "绵阳", "乐山", "南充", "宜宾", "达州", "雅安")),
    ("山东", "山东省", "sd", ("济南", "青岛", "淄博", "烟台", "潍坊", "济宁", "泰安", "威海", "临沂", "德州")),
    ("安徽", "安徽省", "ah", ("合肥", "芜湖", "蚌埠", "淮南", "安庆", "滁州", "阜阳", "六安", "宣城", "黄山")),
    ("福建", "福建省", "fj", ("福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平", "龙岩", "宁德")),
    ("江西", "江西省", "jx", ("南昌", "九江", "赣州", "吉安", "宜春", "抚州", "上饶", "景德镇", "萍乡")),
    ("陕西", "陕西省", "sn", ("西安", "宝鸡", "咸阳", "渭南", "汉中", "榆林", "延安", "铜川", "商洛")),
    ("云南", "云南省", "yn", ("昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧")),
    ("辽宁", "辽宁省", "ln", ("沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "盘锦")),
    ("贵州", "贵州省", "gz", ("贵阳", "遵义", "安顺", "毕节", "铜仁", "六盘水")),
]
# Place names that occur in the seeds and are swapped for the issue's own places.
SEED_PROVINCES = ("湖北", "浙江", "河北")
SEED_CITIES = [
    "石家庄",
    "十堰",
    "宁波",
    "绍兴",
    "金华",
    "杭州",
    "湖州",
    "临海",
    "龙泉",
    "温岭",
    "永嘉",
    "永康",
    "咸宁",
    "宜昌",
    "麻城",
    "恩施",
    "襄阳",
    "黄石",
    "潜江",
    "嘉兴",
    "台州",
    "奉化",
    "鄞州",
    "余姚",
    "南湖",
    "嘉善",
    "平湖",
    "海盐",
    "郑州",
    "新乡",
    "林区",
    "武汉",
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建国文红梅鑫宇浩凯莉婷雪琳晨阳佳欣颖"
    "海波丹宁峰斌亮晓燕志坤帆昊然子涵思远一鸣梓萱语嫣诗雨俊熙嘉懿若汐沐宸瑾瑜璇琪皓轩铭泽睿彤钰蕾芸"
    "旭东春霖秋菊冬梅启航振华卫东维新永福德胜长青松柏茂林巧云凤仪翠屏月娥金凤银花宝珠"
)
RARE_SYLLABLES = "璟翊珩琮瑀玹璠珺琰瑄玥琬璞珈瑭琤璐瑗琨瑨铖骞赟翀溥沄淏湉澍濛灏昶晗晟旻暄煜炜烨焱"
PLACE_CHARS = "梧桐樟柳榕杏槐桂兰菊荷竹松柏枫桑梓芙蓉翠碧青丹紫金银玉石泉溪湖塘坪坝岭峰岗湾渡桥堡庄营屯"
SECTIONS_MD = ("每月要览", "综合报道", "工作动态", "基层动态", "各地动态", "志愿服务", "应急救护", "三献工作")

# Headline templates: {org} an organisation of the issue's area, {city} a city, {n} a number.
HEADLINE_TEMPLATES = (
    "{org}开展应急救护培训进{place}活动",
    "{org}召开第{cn}届理事会第{cn2}次会议",
    "{org}举办造血干细胞捐献志愿者招募活动",
    "{org}启动{year}年“红十字博爱送万家”活动",
    "{org}走访慰问困难群众",
    "{org}举行遗体和器官捐献者缅怀纪念活动",
    "{org}组织红十字救援队开展防汛演练",
    "{org}召开党史学习教育专题会议",
    "{org}表彰优秀红十字志愿者",
    "{org}与{company}签订专项基金协议",
    "{org}开展世界红十字日主题宣传活动",
    "{org}为{place}捐赠AED设备",
    "{city}红十字会推进博爱家园建设",
    "{city}红十字应急救援队参与搜救",
    "{city}红十字会召开会员代表大会",
    "{city}开展无偿献血志愿服务",
    "{name}当选{org}常务副会长",
    "{org}赴{city}调研红十字基层组织建设",
    "{org}举办红十字救护员师资培训班",
    "{org}开展“99公益日”网络募捐",
)
BRIEF_TEMPLATES = (
    "{org}召开{year}年度工作会议。",
    "{org}在{place}开展应急救护培训，{n}名群众参加。",
    "{org}组织志愿者走进{place}开展志愿服务活动。",
    "{org}向{place}捐赠家庭包{n}个。",
    "{company}通过{org}定向捐赠物资，价值{n}万余元。",
    "{org}举办造血干细胞捐献宣传活动，{n}人加入中华骨髓库。",
    "{org}党组书记{name}带队到{place}调研。",
    "{org}开展人体器官捐献者缅怀纪念活动。",
    "{org}联合{city}市教育局举办红十字青少年夏令营。",
    "{org}红十字救援队参与{place}山洪搜救。",
)
PLACE_SUFFIXES = ("社区", "村", "街道", "小学", "中学", "养老院", "镇")
COMPANY_SUFFIXES = ("科技有限公司", "实业有限公司", "集团", "药业股份有限公司", "建设有限公司", "慈善基金会")
CN_DIGITS = "一二三四五六七八九十"
WEEKDAYS = "一二三四五六日"


# --------------------------------------------------------------------------- seed pools

_BLOCK_SPLIT = re.compile(r"\n\s*\n")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？])(?![”’」』）)])")
_PARA_END = "。！？”」』：:；;"
_BRIEF_DATE = re.compile(r"^\s*[▲△]\s*\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?[，,]\s*")
_NOISE = re.compile(r"内部资料|微博|网 址|邮 箱|@|http|分送|责任编辑|联系电话|^发：|星期|第\s*\d+\s*期|^\s*\d{4}\s*年")


@dataclass(frozen=True)
class Pools:
    sentences: tuple[str, ...]
    brief_sentences: tuple[str, ...]
    headlines: tuple[str, ...]


def _headline_like(text: str) -> bool:
    return (
        6 <= len(text) <= 30
        and text[-1] not in _PARA_END + "!?,，、"
        and not re.search(r"[0-9:：。]|^——|简报$|办公室$|红十字$", text)
    )


def _balanced(sentence: str) -> bool:
    """No closing quote or bracket before its opening one (a fragment of a longer sentence)."""
    for opening, closing in ("“”", "（）", "()", "《》"):
        depth = 0
        for ch in sentence:
            depth += (ch == opening) - (ch == closing)
            if depth < 0:
                return False
    return True


def _plain(line: str) -> str:
    return line.strip().lstrip("#").strip()


@functools.lru_cache(maxsize=4)
def load_pools(seed_dir: str = str(SEED_DIR)) -> Pools:
    """Sentences, brief-item sentences and headlines of the seed files (simple rules, no parser).

    Paragraphs cut by a page break (no closing punctuation) are joined with the
    next block, like the parser does, so sentences are whole.
    """
    sentences: dict[str, None] = {}
    briefs: dict[str, None] = {}
    headlines: dict[str, None] = {}
    for path in sorted(Path(seed_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        blocks = [b.strip() for b in _BLOCK_SPLIT.split(text) if b.strip()]
        pending = ""
        for block in blocks:
            lines = [_plain(line) for line in block.splitlines() if line.strip()]
            if not lines:
                continue
            first = block.lstrip()
            joined = "".join(lines)
            if first.startswith("▲"):
                body = _BRIEF_DATE.sub("", joined)
                for s in _SENTENCE_SPLIT.split(body):
                    if 12 <= len(s) <= 160:
                        briefs.setdefault(s.strip(), None)
                continue
            if _NOISE.search(joined) or first.startswith("□") or first.startswith("("):
                continue
            if first.startswith("#") or (len(lines) == 1 and "。" not in joined and len(joined) <= 30):
                if _headline_like(joined):
                    headlines.setdefault(joined, None)
                pending = ""
                continue
            text_block = pending + joined
            if text_block[-1] not in _PARA_END:
                pending = text_block
                continue
            pending = ""
            if "。" not in text_block:
                continue
            for s in _SENTENCE_SPLIT.split(text_block):
                s = s.strip().lstrip("—").strip()  # "——这五年,…": a dash opening a line reads as a subtitle
                if 10 <= len(s) <= 220 and s[-1] in "。！？”" and _balanced(s):
                    sentences.setdefault(s, None)
    return Pools(tuple(sentences), tuple(briefs), tuple(headlines))


# --------------------------------------------------------------------------- drawing


class _Zipf:
    """Index draws with P(rank r) ~ 1 / (r + q) ** s (Zipf-Mandelbrot) over a fixed ranking."""

    def __init__(self, n: int, s: float = 1.2, q: float = 8.0):
        weights = [1.0 / (r + q) ** s for r in range(n)]
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cum, rng.random() * self.cum[-1])


@dataclass(frozen=True)
class Publication:
    name: str
    publisher: str
    style: str  # "plain" or "markdown"
    province: int  # index in PROVINCES
    start: datetime.date
    interval: int  # days between issues


@functools.lru_cache(maxsize=4)
def publications(seed: int) -> tuple[Publication, ...]:
    """The series the corpus is spread over: per province a markdown and a plain bulletin, plus city bulletins."""
    rng = random.Random(f"{seed}:publications")
    out = []
    for p, (short, full, _abbr, cities) in enumerate(PROVINCES):
        out.append(Publication(f"{short}红十字", f"{full}红十字会", "markdown", p, datetime.date(2008, 1, 1), 10))
        out.append(Publication(f"{full}红十字会简报", f"{full}红十字会", "plain", p, datetime.date(2008, 1, 1), 7))
        for city in cities[:2]:
            suffix = rng.choice(("简报", "工作动态", "信息"))
            out.append(
                Publication(f"{city}市红十字会{suffix}", f"{city}市红十字会", "plain", p, datetime.date(2010, 1, 1), 9)
            )
    return tuple(out)


@dataclass
class GeneratedIssue:
    index: int
    name: str
    text: str
    style: str
    publication: str
    number: int
    date: datetime.date
    articles: int
    briefs: int
    rare_names: tuple[str, ...]


class _Issue:
    """Per-issue state: the random source, the places and the synthetic names of one issue."""

    def __init__(self, seed: int, index: int, pools: Pools):
        self.rng = rng = random.Random(f"{seed}:{index}")
        pubs = publications(seed)
        self.pub = pub = pubs[index % len(pubs)]
        self.number = index // len(pubs) + 1
        self.date = pub.start + datetime.timedelta(days=(self.number - 1) * pub.interval + rng.randrange(3))
        self.short, self.full, self.abbr, self.cities = PROVINCES[pub.province]
        self.pools = pools
        self.sentence_zipf = _zipf_for(len(pools.sentences))
        self.brief_zipf = _zipf_for(len(pools.brief_sentences))
        self.ranking = _ranking(seed, len(pools.sentences))
        self.brief_ranking = _ranking(seed + 1, len(pools.brief_sentences))
        # A few synthetic names that appear in this issue only (rare words).
        self.people = [self._person(rare=k == 0) for k in range(3)]
        self.places = [self._place() for _ in range(2)]
        self.companies = [self._company()]

    # -- synthetic names
    def _person(self, rare: bool = False) -> str:
        rng = self.rng
        given = (
            rng.choice(RARE_SYLLABLES) + rng.choice(GIVEN) if rare else "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        )
        return rng.choice(SURNAMES) + given

    def _place(self) -> str:
        return "".join(self.rng.sample(PLACE_CHARS, 2)) + self.rng.choice(PLACE_SUFFIXES)

    def _company(self) -> str:
        return (
            self.rng.choice(self.cities) + "".join(self.rng.sample(PLACE_CHARS, 2)) + self.rng.choice(COMPANY_SUFFIXES)
        )

    @property
    def rare_names(self) -> tuple[str, ...]:
        return (self.people[0], *self.places, *self.companies)

    # -- substitutions
    def city(self) -> str:
        return self.rng.choice(self.cities)

    def org(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return "省红十字会"
        if r < 0.8:
            return f"{self.city()}市红十字会"
        return f"{self.full}红十字会"

    def fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            org=self.org(),
            city=self.city(),
            place=rng.choice(self.places)
            if rng.random() < 0.5
            else self.city() + "市" + rng.choice(PLACE_SUFFIXES[:3]),
            company=self.companies[0],
            name=rng.choice(self.people),
            n=rng.choice((12, 20, 35, 48, 60, 85, 100, 120, 150, 200, 300, 500)) + rng.randrange(10),
            cn=rng.choice(CN_DIGITS[:6]),
            cn2=rng.choice(CN_DIGITS[:5]),
            year=self.date.year,
        )

    def localise(self, text: str) -> str:
        rng = self.rng
        text = _PROVINCE_RE.sub(self.short, text)
        text = _CITY_RE.sub(lambda m: rng.choice(self.cities), text)
        return _NUMBERS_RE.sub(self._renumber, text)

    def _renumber(self, m: re.Match) -> str:
        rng = self.rng
        if m.group("date"):
            return f"{self.month_before()}月{rng.randrange(1, 29)}日"
        if m.group("ym"):
            return f"{self.date.year - rng.choice((0, 0, 1))}年{self.month_before()}月"
        if m.group("year"):
            return str(self.date.year - rng.choice((0, 0, 1)))
        if m.group("month"):
            return f"{self.month_before()}月"
        if m.group("hour"):
            return f"{rng.randrange(1, 12)}时"
        return self._number_like(m.group("num"))

    def month_before(self) -> int:
        return self.date.month if self.rng.random() < 0.7 else (self.date.month - 2) % 12 + 1

    def _number_like(self, digits: str) -> str:
        if len(digits) == 1:
            return str(self.rng.randrange(1, 10))
        low = 10 ** (len(digits) - 1)
        return str(self.rng.randrange(low, low * 10))

    # -- text
    def sentence(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.04:
            return f"{rng.choice(self.people)}同志参加活动。"
        if r < 0.07:
            return f"{rng.choice(self.places)}的{rng.choice(('志愿者', '居民', '学生', '党员干部'))}积极参与。"
        if r < 0.09:
            return f"{self.companies[0]}捐赠款物价值{rng.randrange(2, 99)}万元。"
        s = self.pools.sentences[self.ranking[self.sentence_zipf.draw(rng)]]
        return self.localise(s)

    def paragraph(self) -> str:
        return "".join(self.sentence() for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4, 5))))

    def body(self, short: bool = False) -> list[str]:
        k = self.rng.choice((1, 1, 2)) if short else self.rng.choice((1, 2, 2, 3, 3, 4, 5, 6))
        return [self.paragraph() for _ in range(k)]

    def headline(self) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            title = self.localise(rng.choice(self.pools.headlines))
        else:
            title = self.fill(rng.choice(HEADLINE_TEMPLATES))
        return title[:38]

    def brief(self) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.choice((1, 1, 2))):
            if rng.random() < 0.5 or not self.pools.brief_sentences:
                parts.append(self.fill(rng.choice(BRIEF_TEMPLATES)))
            else:
                parts.append(self.localise(self.pools.brief_sentences[self.brief_ranking[self.brief_zipf.draw(rng)]]))
        month = self.month_before()
        day = rng.randrange(1, 28)
        when = f"{month}月{day}日" if rng.random() < 0.9 else f"{month}月{day}日至{day + 1}日"
        return f"▲{when}，{''.join(parts)}"

    def reporter(self) -> str:
        return self.rng.choice(self.people) if self.rng.random() < 0.3 else self._person()


@functools.lru_cache(maxsize=8)
def _zipf_for(n: int) -> _Zipf:
    return _Zipf(max(n, 1))


@functools.lru_cache(maxsize=8)
def _ranking(seed: int, n: int) -> tuple[int, ...]:
    order = list(range(n))
    random.Random(f"{seed}:ranking").shuffle(order)
    return tuple(order)


_PROVINCE_RE = re.compile("|".join(SEED_PROVINCES))
_CITY_RE = re.compile("|".join(sorted(SEED_CITIES, key=len, reverse=True)))
# One pass over every number: dates, years, months and hours are redrawn as such, other numbers keep their length.
_NUMBERS_RE = re.compile(
    r"(?P<date>(?<!\d)\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"|(?P<ym>(?<!\d)(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月)"
    r"|(?P<year>(?<!\d)(?:19|20)\d{2}(?!\d))"
    r"|(?P<month>(?<!\d)\d{1,2}\s*月)"
    r"|(?P<hour>(?<!\d)\d{1,2}\s*时)"
    r"|(?P<num>(?<![\d.])\d{1,5}(?![\d.]))"
)


# --------------------------------------------------------------------------- formats


def _plain_issue(st: _Issue) -> tuple[str, int, int]:
    rng = st.rng
    d = st.date
    out = [
        "",
        "",
        st.pub.name,
        "",
        f"第 {st.number} 期",
        "",
        f"{st.pub.publisher}办公室",
        "",
        "",
        "",
        f"{d.year} 年 {d.month} 月 {d.day} 日",
        "",
    ]
    n_articles = rng.randint(7, 13)
    for _ in range(n_articles):
        out += [st.headline(), ""]
        for para in st.body():
            out += [para, ""]
    n_briefs = rng.randint(4, 10)
    out += ["简 讯", ""]
    for _ in range(n_briefs):
        out += [st.brief(), ""]
    out += [
        "分送：省委办公厅、省政府办公厅。",
        "",
        "发：市、县红十字会，机关各部（室）、直属单位。",
        "",
        "责任编辑：办公室",
        "",
        f"联系电话：{rng.randrange(10000000, 99999999)}",
    ]
    return "\n".join(out) + "\n", n_articles, n_briefs


def _markdown_issue(st: _Issue) -> tuple[str, int, int]:
    rng = st.rng
    d = st.date
    out = [
        "",
        "",
        f"# {st.pub.name}",
        "",
        "",
        "",
        f"第{st.number}期  ",
        f"{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}  ",
        f"{st.pub.publisher}主办  ",
        "(内部资料 免费交流)",
        "",
        "",
        "",
        f"网 址: http://www.{st.abbr}redcross.org.cn  ",
        f"邮 箱: {st.abbr}hsz@163.com",
        "",
    ]
    n_main = rng.randint(4, 8)
    n_regional = rng.randint(3, 7)
    for _ in range(n_main):
        out += [f"## {st.headline()}", "", f"□通讯员 {st.reporter()}", ""]
        for para in st.body():
            out += [para, ""]
    out += [f"### {rng.choice(SECTIONS_MD)}", ""]
    regions = rng.sample(st.cities, min(n_regional, len(st.cities)))
    for city in regions:
        title = st.headline()
        title = re.sub(r"^(?:省红十字会|.{2,3}市红十字会|.{2,3}红十字会)", "", title) or title
        if len(title) < 6:
            title = "开展" + title
        out += [f"#### {city}:{title}", "", f"□通讯员 {st.reporter()}", ""]
        for para in st.body(short=True):
            out += [para, ""]
    return "\n".join(out) + "\n", n_main + len(regions), 0


def generate_issue(index: int, seed: int = DEFAULT_SEED, *, seed_dir: str = str(SEED_DIR)) -> GeneratedIssue:
    """Issue ``index`` of the corpus ``seed``: its text and the intended article and brief counts."""
    pools = load_pools(seed_dir)
    st = _Issue(seed, index, pools)
    text, n_articles, n_briefs = (_plain_issue if st.pub.style == "plain" else _markdown_issue)(st)
    digest = hashlib.sha1(f"{seed}:{index}".encode()).hexdigest()[:8]
    return GeneratedIssue(
        index=index,
        name=f"{index:06d}_{digest}.txt",
        text=text,
        style=st.pub.style,
        publication=st.pub.name,
        number=st.number,
        date=st.date,
        articles=n_articles,
        briefs=n_briefs,
        rare_names=st.rare_names,
    )


def write_corpus(out: str | Path, issues: int, seed: int = DEFAULT_SEED, *, start: int = 0) -> dict:
    """Write issues ``start..start+issues-1`` as UTF-8 files under ``out`` (1,000 per folder) and a manifest.

    Returns totals: files, bytes, articles, briefs.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    totals = {"files": 0, "bytes": 0, "articles": 0, "briefs": 0}
    with open(out / "manifest.tsv", "w", encoding="utf-8") as manifest:
        manifest.write("file\tstyle\tpublication\tnumber\tdate\tarticles\tbriefs\tbytes\n")
        for index in range(start, start + issues):
            issue = generate_issue(index, seed)
            folder = out / f"{index // 1000:03d}"
            folder.mkdir(exist_ok=True)
            data = issue.text.encode("utf-8")
            (folder / issue.name).write_bytes(data)
            manifest.write(
                f"{folder.name}/{issue.name}\t{issue.style}\t{issue.publication}\t{issue.number}\t"
                f"{issue.date.isoformat()}\t{issue.articles}\t{issue.briefs}\t{len(data)}\n"
            )
            totals["files"] += 1
            totals["bytes"] += len(data)
            totals["articles"] += issue.articles
            totals["briefs"] += issue.briefs
    return totals
