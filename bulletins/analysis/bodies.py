"""Organisations named after a place: Red Cross societies, charity federations, trade unions, women's and
disabled persons' federations, governments and their offices, each with canonical name, level and parent.

Why apart from :mod:`.gazetteer`: that module knows places; this one knows which bodies every
place has and how bulletins write their names (恩施州红十字会, 湖北省妇联, 县残联, 本会).
Pure Python, simplified script only (callers convert traditional text first).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .gazetteer import CITY, COUNTY, LEVEL_LABELS, NATIONAL, PROVINCE, Place, chain, lookup


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


@functools.lru_cache(maxsize=8192)
def organisation(place: Place, kind: str = "redcross") -> Organisation:
    """The organisation of ``kind`` (an OrgKind key) for a division, with its parent body.

    Cached: both are frozen, and a text names the same few bodies over and over.
    """
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


# Spellings looked for in running text: bare 政府 and 政府办 are too loose for that (市政府 is
# often the place, not the body), and 红会 is slang.
_NOT_SCANNED = frozenset(("政府", "政府办", "府办", "红会", "共青团委", "团委"))


def spellings() -> list[tuple[str, str]]:
    """(spelling, kind key) of every body a text may name after a place, longest first."""
    return [(s, k.key) for s, k in _SPELLINGS if s not in _NOT_SCANNED]
