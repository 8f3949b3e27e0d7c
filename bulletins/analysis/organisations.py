"""Organisations mentioned in a text, with canonical names: Red Cross societies, government bodies, hospitals.

Relative names (``省红十字会``, ``市红十字会``, ``我会``) are resolved against the
page's publisher, subject city or regional prefix; places come from the one
gazetteer (:mod:`.gazetteer`).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field

from .bodies import Organisation, national, organisation, parse_organisation, spellings
from .gazetteer import COUNTY, Place, lookup, lookup_place, max_scan_name, provinces, scan_index, scan_lengths
from .segmentation import get_segmenter
from .words import wordset


@dataclass(frozen=True)
class OrgMention:
    name: str  # canonical, e.g. "湖北省红十字会"
    kind: str  # an OrgKind key of :mod:`.bodies` ("redcross", "charity", "union" …), "hospital" or "other"
    level: str  # "national" | "province" | "city" | "county" | "other"
    region: str  # e.g. "湖北" / "十堰" / "宁波"
    parent: str = ""  # canonical name of the parent organisation where inferable
    province: str = field(default="", compare=False)  # full name of the province, "" when unknown


NATIONAL_RC = national("redcross").name


def mention_of(org: Organisation) -> OrgMention:
    """The mention of a canonical organisation from :mod:`.bodies`."""
    return OrgMention(org.name, org.kind, org.level, org.region, org.parent, org.province)


def describe(name: str) -> OrgMention:
    """What a canonical name alone says about its organisation: kind, level, province, parent.

    Used for organisations known only by name (a parent, a publisher); names no
    gazetteer place explains keep kind and level "other", or the kind their ending says.
    """
    org = parse_organisation(name)
    if org is not None:
        return mention_of(org)
    kind = next((k for suffix, k in _KIND_BY_ENDING if name.endswith(suffix)), "other")
    return OrgMention(name=name, kind=kind, level="other", region="")


_KIND_BY_ENDING = (
    ("红十字会", "redcross"),
    ("慈善总会", "charity"),
    ("慈善会", "charity"),
    ("工会", "union"),
    ("妇女联合会", "women"),
    ("残疾人联合会", "disabled"),
    ("医院", "hospital"),
    ("大学", "university"),
    ("学院", "university"),
)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# Characters that, directly before a bare 省/市 (``向市红十字会``, ``受到省红十字会``),
# show it is the relative form "the province's / the city's".
_TRIGGERS = frozenset("与和及同向由在对为把将被经从到赴了的是得成让给请随跟并即据至于往受获表我本")
# Characters before a bare 省/市/县 that make the phrase collective, not an organisation.
_COLLECTIVE = frozenset("全各外该跨两邻他其每个些多几等省市县区州地乡城级")

# Two-character verbs that end right before a bare 市/省 (``联合市教育局``): the place is relative,
# and the verb is never a place name of its own.
_RELATIVE_VERBS = wordset(
    "联合 会同 协同 配合 携手 指导 支持 协助 邀请 陪同 带领 组织 动员 督促 获得 完成 依托 通过 依靠 推动 联系 "
    "会上 会后 其中 以及 全体 各个 争取 向着 对接 走进 来到 前往 深入 汇报 报请 报送 接受 得到 受到 筹抓"
)

_BODY_KINDS = dict(spellings())
_BODY_RE = re.compile("|".join(_BODY_KINDS))  # longest first, so 慈善总会 wins over 慈善会
_SENTENCE_END = re.compile(r"[。！？!?；;\n▲]")
_BOOK_TITLE = re.compile(r"《[^《》\n]{0,60}》")

_GOV_BODIES: dict[str, str] = {
    "卫生健康委员会": "卫生健康委员会",
    "卫健委": "卫生健康委员会",
    "教育厅": "教育厅",
    "教育局": "教育局",
    "公安厅": "公安厅",
    "公安局": "公安局",
    "民政厅": "民政厅",
    "民政局": "民政局",
    "财政厅": "财政厅",
    "财政局": "财政局",
    "应急管理厅": "应急管理厅",
    "应急管理局": "应急管理局",
    "消防救援总队": "消防救援总队",
    "消防救援支队": "消防救援支队",
    "大数据局": "大数据局",
    "文明办": "文明办",
    "卫生健康局": "卫生健康局",
    "卫健局": "卫生健康局",
}
_GOV_RE = re.compile("|".join(sorted(_GOV_BODIES, key=len, reverse=True)))

# Named organisations that are not place-bound.
_FIXED_ORGS: dict[str, OrgMention] = {
    "红十字国际委员会": OrgMention("红十字国际委员会", "redcross", "other", ""),
    "红十字会与红新月会国际联合会": OrgMention("红十字会与红新月会国际联合会", "redcross", "other", ""),
    "中华骨髓库": OrgMention("中华骨髓库", "redcross", "national", "中国", NATIONAL_RC),
}
_FIXED_RE = re.compile("|".join(sorted(_FIXED_ORGS, key=len, reverse=True)))
_NATIONAL_RE = re.compile(r"中国红十字会总会|中国红十字会|红十字会总会|红十字总会|(?<![红字工善商])总会(?![计长])")
_WE_RE = re.compile(r"(?:^|(?<=[^\u4e00-\u9fff]|[为向对在由经与和及把将被了]))[我本]会(?!员|计|议)")

_HOSPITAL_STOP = wordset(
    """
    和 与 及 同 在 到 赴 向 由 的 是 为 对 将 被 把 从 了 等 并 或 还 也 均 都 所 给 送 往 至 于 经 即 其 这 那 此 该 本
    前往 走进 来到 深入 联合 组织 慰问 看望 参观 调研 走访 前来 携手 协助 支持 捐赠 捐献 送往 转运 转至 进入 入住
    住进 抵达 到达 位于 其中 包括 以及 各级 全省 全市 多家 多个 一家 定点 附近 当地 开展 举行 召开 参加 获得 授予
    分别 先后 共同 一起 积极 已经 以及 还有 院长 书记 主任 志愿者 队员 人员 患者 同志 与会
    """
)
_HOSPITAL_GENERIC = wordset(
    """
    人民 中心 定点 方舱 公立 民营 基层 社区 乡镇 县级 市级 省级 各级 大 小 综合 专科 三甲 二甲 三级 二级 儿童 中医
    当地 附近 该 这家 多家 各大 部分 所在 就近 一家 各 全 省 市 县 区 妇幼 传染病 精神病 口腔 眼科 肿瘤 部队 军队
    """
)


def _sentence_starts(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)]


class _Context:
    """Where relative names point: publisher, page subject, regional prefix, and the sentence."""

    def __init__(self, text: str, publisher: str, subject_city: str, region: str) -> None:
        self.text = text
        self.breaks = _sentence_starts(text)
        self.publisher_place: Place | None = None
        self.publisher_org: OrgMention | None = None
        org = parse_organisation(publisher) if publisher else None
        if org is not None:
            self.publisher_org = mention_of(org)
            self.publisher_place = org.place
        self.subject = lookup_place(subject_city) if subject_city else None
        self.region = lookup_place(region) if region else None
        self.local: dict[int, Place] = {}  # sentence index -> last explicit place

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.breaks, pos)

    def note(self, pos: int, place: Place) -> None:
        self.local[self.sentence(pos)] = place

    def _candidates(self, pos: int) -> list[Place]:
        found = [self.local.get(self.sentence(pos)), self.subject, self.region, self.publisher_place]
        return [p for p in found if p is not None]

    def province(self, pos: int) -> Place | None:
        for place in self._candidates(pos):
            if place.province in provinces():
                return provinces()[place.province]
        return None

    def city(self, pos: int, suffix: str = "市") -> Place | None:
        for place in self._candidates(pos):
            if place.full.endswith(suffix):
                return place
            if place.level == COUNTY and suffix == "市" and place.parent and place.parent != place.province:
                return lookup(place.parent) or None
        return None

    def county(self) -> Place | None:
        """县/区 alone mean the publisher's county (县红十字会 in a 云和县 bulletin)."""
        place = self.publisher_place
        return place if place is not None and place.level == COUNTY else None


def _place_before(text: str, end: int, ctx: _Context | None) -> tuple[Place | None, int]:
    """The longest gazetteer name ending at ``end``, with its start; ambiguity resolved by context."""
    index = scan_index()
    for length in scan_lengths().get(text[end - 1], ()) if end > 0 else ():
        start = end - length
        if length < 2 or start < 0:
            continue
        places = index.get(text[start:end])
        if not places:
            continue
        place = places[0]
        if len(places) > 1:
            place = _disambiguate(text, start, places, ctx)
        if place.level == "county":
            place = _check_county(text, start, place, ctx)
        return place, start
    return None, end


def _disambiguate(text: str, start: int, places: list[Place], ctx: _Context | None) -> Place:
    """Pick among same-named places (新华区 is in 石家庄 and in 沧州) by the city named just
    before or in context; if only the province is known, keep the name and drop the parent."""
    before, _ = _place_before(text, start, None)
    cities = {before.full} if before else set()
    provinces = {before.province} if before else set()
    if ctx is not None:
        for p in ctx._candidates(start):
            cities.update((p.full, p.parent))
            provinces.add(p.province)
    for p in places:
        if p.parent and p.parent in cities:
            return p
    first = places[0]
    in_province = [p for p in places if p.province in provinces] or places
    if len({p.province for p in in_province}) == 1:
        return dataclasses.replace(first, province=in_province[0].province, parent="")
    return dataclasses.replace(first, province="", parent="")


def _check_county(text: str, start: int, place: Place, ctx: _Context | None) -> Place:
    """A district name in another province's context keeps its name but loses the parent."""
    before, _ = _place_before(text, start, None)
    if before is not None and before.level in ("city", "province"):
        if before.full in (place.parent, place.province):
            return place
        return dataclasses.replace(place, province=before.province, parent="")
    if ctx is not None:
        province = ctx.province(start)
        if province is not None and province.full != place.province:
            return dataclasses.replace(place, province=province.full, parent="")
    return place


def _unknown_place(text: str, suffix_pos: int) -> Place | None:
    """``成都市`` style names missing from the gazetteer, accepted only after a clear boundary."""
    suffix = text[suffix_pos]
    for size in (2, 3):
        start = suffix_pos - size
        if start < 0:
            break
        name = text[start:suffix_pos]
        if not all(_is_cjk(c) for c in name) or any(c in _COLLECTIVE or c in _TRIGGERS for c in name):
            continue
        if name in _RELATIVE_VERBS or name[-2:] in _RELATIVE_VERBS:
            continue
        if start == 0 or not _is_cjk(text[start - 1]) or text[start - 1] in _TRIGGERS:
            level = "city" if suffix in "市州盟" else "county"
            return Place(code="", full=name + suffix, short=name, kind="", level=level, province="")
    return None


def _resolve_prefix(text: str, pos: int, ctx: _Context | None, *, relative: bool = True) -> tuple[Place | None, bool]:
    """The place named just before ``pos`` (``湖北省``/``十堰``/``省``/``市``); (place, was_explicit)."""
    place, _ = _place_before(text, pos, ctx)
    if place is not None:
        return place, True
    if pos == 0:
        return None, False
    c = text[pos - 1]
    b = text[pos - 2] if pos >= 2 else ""
    if c not in "省市州县区":
        return None, False
    if b and b in _COLLECTIVE and b not in "我本":
        return None, False
    bare = not b or not _is_cjk(b) or b in _TRIGGERS
    if bare:
        if not relative or ctx is None:
            return None, False
        if c == "省":
            return ctx.province(pos), False
        if c in "市州":
            return ctx.city(pos, c), False
        return ctx.county(), False
    if c == "省":  # any other character before 省: still "the province's" (受到省红十字会)
        return (ctx.province(pos) if relative and ctx is not None else None), False
    if text[max(0, pos - 3) : pos - 1] in _RELATIVE_VERBS:
        if relative and ctx is not None and c in "市州":
            return ctx.city(pos, c), False
        return None, False
    unknown = _unknown_place(text, pos - 1)
    return unknown, unknown is not None


def _in_book_title(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, 10**9)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _body_mention(place: Place, kind: str = "redcross") -> OrgMention:
    """The body of ``kind`` of a place; a place whose parent is not known gets no parent body."""
    org = organisation(place, kind)
    parent = org.parent if place.parent or place.level == "province" else ""
    return OrgMention(org.name, org.kind, place.level, place.short, parent, place.province)


def find_organisations(text: str, *, publisher: str = "", subject_city: str = "", region: str = "") -> list[OrgMention]:
    """Organisations mentioned in ``text``, canonical names, deduplicated, in order of first mention.

    * Red Cross societies: ``湖北省红十字会``, ``十堰市红十字会``, ``杭州市上城区红十字会``,
      ``恩施州红十字会`` (→ 恩施土家族苗族自治州红十字会); relative ``省红十字会`` → the publisher's
      (or the page's) province, ``市红十字会``/``我市红十字会`` → the sentence's last named city,
      else ``subject_city``, else ``region``, else the publisher's city; ``我会`` → the publisher;
      ``总会``/``中国红十字会`` → 中国红十字会总会. Collective phrases (``全省红十字会``,
      ``各级红十字会``, ``县级红十字会``), ``红十字会员`` and names inside 《book titles》 are skipped.
    * ``region`` (a regional item's prefix such as ``宁波:``) names the reporting society, so
      its Red Cross society is listed first even when the text only says ``市红十字会``.
    * Government bodies from a short list (妇联, 公安局, 民政局, 卫健委, 消防救援总队…) with
      a place or a relative 省/市 before them: ``省妇联`` → 湖北省妇女联合会.
    * Hospitals: ``…医院`` with the name taken back to the nearest verb or function word
      (``联合中南医院`` → 中南医院); generic ones (定点医院, 人民医院 alone) are skipped.

    Names the gazetteer does not know (``成都市红十字会``) are accepted only right after a
    punctuation mark or a function word, so run-on phrases do not become organisations.
    """
    if not text:
        text = ""
    ctx = _Context(text, publisher, subject_city, region)
    titles = [(m.start(), m.end()) for m in _BOOK_TITLE.finditer(text)]
    found: list[tuple[int, OrgMention]] = []
    if ctx.region is not None:
        found.append((-1, _body_mention(ctx.region)))
    found += _place_bodies(text, ctx, titles)
    found += _national_society(text, titles)
    found += [(m.start(), _FIXED_ORGS[m.group()]) for m in _FIXED_RE.finditer(text)]
    if ctx.publisher_org is not None:
        found += [(m.start(), ctx.publisher_org) for m in _WE_RE.finditer(text)]
    found += _government_bodies(text, ctx, titles)
    if "医院" in text:
        found += _hospitals(text, ctx)
    found.sort(key=lambda item: item[0])  # stable: mentions at one position keep the order above
    result: dict[str, OrgMention] = {}
    for _, mention in found:
        result.setdefault(mention.name, mention)
    return list(result.values())


def _body_matches(text: str, titles: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(position, kind) of every body name (红十字会, 慈善总会, 妇联 …) a place may stand before."""
    hits = []
    for m in _BODY_RE.finditer(text):
        pos, kind = m.start(), _BODY_KINDS[m.group()]
        if _in_book_title(titles, pos):
            continue
        national = text.startswith("中国", max(0, pos - 2)) or text.startswith("总会", m.end())
        if kind == "redcross" and (text.startswith("员", m.end()) or national):
            continue  # 红十字会员; the national society, see _national_society
        hits.append((pos, kind))
    return hits


def _place_bodies(text: str, ctx: _Context, titles: list[tuple[int, int]]) -> list[tuple[int, OrgMention]]:
    """Place-bound bodies; explicit places are noted first, so relative names in a sentence can use them."""
    hits = _body_matches(text, titles)
    for pos, _kind in hits:
        place, explicit = _resolve_prefix(text, pos, None, relative=False)
        if place is not None and explicit:
            ctx.note(pos, place)
    found = []
    for pos, kind in hits:
        place, _ = _resolve_prefix(text, pos, ctx)
        if place is not None:
            found.append((pos, _body_mention(place, kind)))
            found += [(start, _body_mention(p, kind)) for start, p in _listed_before(text, pos, ctx)]
    return found


def _listed_before(text: str, end: int, ctx: _Context) -> list[tuple[int, Place]]:
    """Places listed before a body's own place and sharing it: 凤凰县、花垣县红十字会."""
    _, start = _place_before(text, end, ctx)
    listed = []
    while start > 0 and start < end and text[start - 1] == "、":
        place, before = _place_before(text, start - 1, ctx)
        if place is None:
            break
        listed.append((before, place))
        start = before
    return listed


def _national_society(text: str, titles: list[tuple[int, int]]) -> list[tuple[int, OrgMention]]:
    """中国红十字会总会 under its names, a bare 总会 only where it cannot be another body's."""
    found = []
    for m in _NATIONAL_RE.finditer(text):
        if _in_book_title(titles, m.start()):
            continue
        if m.group() == "总会":
            b = text[m.start() - 1] if m.start() else ""
            if b and _is_cjk(b) and b not in _TRIGGERS and b != "代":
                continue
            if text.startswith(("在", "有", "是", "要", "会", "能", "让", "把", "给"), m.end()):
                continue
        found.append((m.start(), OrgMention(NATIONAL_RC, "redcross", "national", "中国")))
    return found


def _government_bodies(text: str, ctx: _Context, titles: list[tuple[int, int]]) -> list[tuple[int, OrgMention]]:
    """Bodies from :data:`_GOV_BODIES` with a place, or a relative 省/市, before them."""
    found = []
    for m in _GOV_RE.finditer(text):
        if _in_book_title(titles, m.start()):
            continue
        place, _ = _resolve_prefix(text, m.start(), ctx)
        if place is None:
            continue
        body = _GOV_BODIES[m.group()]
        found.append((m.start(), OrgMention(place.prefix + body, "government", place.level, place.short)))
    return found


def _hospitals(text: str, ctx: _Context) -> list[tuple[int, OrgMention]]:
    out = []
    segmenter = get_segmenter()
    for m in re.finditer("医院", text):
        end = m.start()
        start = end
        while start > 0 and end - start < 24 and _is_cjk(text[start - 1]):
            start -= 1
        if start == end:
            continue
        words = segmenter.cut(text[start:end])
        kept: list[str] = []
        for word in reversed(words):
            if word in _HOSPITAL_STOP or (len(word) == 1 and word in _TRIGGERS):
                break
            kept.append(word)
        name = "".join(reversed(kept))
        if len(name) < 2 or len(name) > 20 or name in _HOSPITAL_GENERIC or name[-1] in "级甲":
            continue
        if name[0] in _COLLECTIVE and name[0] not in "省市":
            continue
        name_start = end - len(name)
        place = None
        if name[0] in "省市":
            place = ctx.province(name_start) if name[0] == "省" else ctx.city(name_start)
            if place is None:
                continue
            full = place.prefix + name[1:] + "医院"
        else:
            for size in range(min(len(name), max_scan_name()), 1, -1):
                candidates = scan_index().get(name[:size])
                if candidates:
                    place = candidates[0]
                    break
            full = name + "医院"
            if place is not None and not name.startswith(place.full):
                # 湖北汽车工业学院附属医院: a place word in the name, not a provincial hospital
                out.append((name_start, OrgMention(full, "hospital", "other", place.short)))
                continue
        level = place.level if place is not None else "other"
        region = place.short if place is not None else ""
        out.append((name_start, OrgMention(full, "hospital", level, region)))
    return out
