"""The nationwide gazetteer: places and the organisations named after them, in every province.

Why these names: the seeds link 恩施州红十字会 to nothing and leave 丽水市, 台州市 and
黄冈市红十字会 with no level or province; bulletins from elsewhere name counties of
provinces no hand-written list covered. No database is needed.
"""

from __future__ import annotations

import pytest

from bulletins.analysis import bodies as b
from bulletins.analysis import gazetteer as g


@pytest.mark.parametrize(
    ("name", "full", "level", "province", "parent"),
    [
        ("恩施州", "恩施土家族苗族自治州", g.CITY, "湖北省", "湖北省"),
        ("恩施土家族苗族自治州", "恩施土家族苗族自治州", g.CITY, "湖北省", "湖北省"),
        ("丽水市", "丽水市", g.CITY, "浙江省", "浙江省"),
        ("台州市", "台州市", g.CITY, "浙江省", "浙江省"),
        ("黄冈市", "黄冈市", g.CITY, "湖北省", "湖北省"),
        ("十堰市郧阳区", "郧阳区", g.COUNTY, "湖北省", "十堰市"),
        ("竹山县", "竹山县", g.COUNTY, "湖北省", "十堰市"),
        ("长阳县", "长阳土家族自治县", g.COUNTY, "湖北省", "宜昌市"),
        ("景宁县", "景宁畲族自治县", g.COUNTY, "浙江省", "丽水市"),
        ("仙桃市", "仙桃市", g.COUNTY, "湖北省", "湖北省"),
        ("神农架林区", "神农架林区", g.COUNTY, "湖北省", "湖北省"),
        ("巴音郭楞", "巴音郭楞蒙古自治州", g.CITY, "新疆维吾尔自治区", "新疆维吾尔自治区"),
        ("延边州", "延边朝鲜族自治州", g.CITY, "吉林省", "吉林省"),
        ("湖北", "湖北省", g.PROVINCE, "湖北省", ""),
        ("广西", "广西壮族自治区", g.PROVINCE, "广西壮族自治区", ""),
        ("东莞市", "东莞市", g.CITY, "广东省", "广东省"),
        ("浙江省丽水市龙泉市", "龙泉市", g.COUNTY, "浙江省", "丽水市"),
        ("湖北省恩施州来凤县", "来凤县", g.COUNTY, "湖北省", "恩施土家族苗族自治州"),
        ("北京市朝阳区", "朝阳区", g.COUNTY, "北京市", "北京市"),
        ("会理市", "会理市", g.COUNTY, "四川省", "凉山彝族自治州"),
    ],
)
def test_lookup_gives_canonical_name_level_province_and_parent(name, full, level, province, parent):
    place = g.lookup(name)
    assert place is not None, name
    assert (place.full, place.level, place.province, place.parent) == (full, level, province, parent)


def test_every_county_of_every_province_is_known():
    """Not a list of favourites: all provinces, ~333 prefectures and ~2,850 counties."""
    places = g.all_places()
    levels = {lvl: sum(p.level == lvl for p in places) for lvl in (g.PROVINCE, g.CITY, g.COUNTY)}
    assert levels[g.PROVINCE] == 34
    assert 330 <= levels[g.CITY] <= 340
    assert 2800 <= levels[g.COUNTY] <= 2900
    assert g.by_code("420304").full == "郧阳区"
    assert g.lookup("郧西县").level_label == "县级"
    assert g.lookup("丽水市").level_label == "地级"


def test_a_name_several_divisions_share_needs_context():
    assert g.lookup("朝阳区") is None
    assert len(g.candidates("朝阳区")) >= 2
    assert g.lookup("朝阳区", within="吉林省").parent == "长春市"
    assert g.lookup("鼓楼区", within="福州市").province == "福建省"
    assert g.lookup("海南").level == g.PROVINCE  # the province wins over 海南藏族自治州's short name


def test_chain_climbs_to_the_province():
    assert [p.full for p in g.chain(g.lookup("十堰市郧阳区"))] == ["郧阳区", "十堰市", "湖北省"]


@pytest.mark.parametrize(
    ("written", "canonical", "kind", "level", "province", "parent"),
    [
        ("恩施州红十字会", "恩施土家族苗族自治州红十字会", "redcross", g.CITY, "湖北省", "湖北省红十字会"),
        ("丽水市红十字会", "丽水市红十字会", "redcross", g.CITY, "浙江省", "浙江省红十字会"),
        ("台州市红十字会", "台州市红十字会", "redcross", g.CITY, "浙江省", "浙江省红十字会"),
        ("黄冈市红十字会", "黄冈市红十字会", "redcross", g.CITY, "湖北省", "湖北省红十字会"),
        ("郧阳区红十字会", "十堰市郧阳区红十字会", "redcross", g.COUNTY, "湖北省", "十堰市红十字会"),
        ("上城区红十字会", "杭州市上城区红十字会", "redcross", g.COUNTY, "浙江省", "杭州市红十字会"),
        ("浙江省慈善总会", "浙江省慈善总会", "charity", g.PROVINCE, "浙江省", "中华慈善总会"),
        ("宁波市慈善会", "宁波市慈善总会", "charity", g.CITY, "浙江省", "浙江省慈善总会"),
        ("黄冈市总工会", "黄冈市总工会", "union", g.CITY, "湖北省", "湖北省总工会"),
        ("湖北省妇联", "湖北省妇女联合会", "women", g.PROVINCE, "湖北省", "中华全国妇女联合会"),
        ("来凤县残联", "来凤县残疾人联合会", "disabled", g.COUNTY, "湖北省", "恩施土家族苗族自治州残疾人联合会"),
        ("十堰市政府办公室", "十堰市人民政府办公室", "government_office", g.CITY, "湖北省", "湖北省人民政府办公厅"),
        ("湖北省政府办公厅", "湖北省人民政府办公厅", "government_office", g.PROVINCE, "湖北省", "国务院办公厅"),
        ("竹溪县人民政府", "竹溪县人民政府", "government", g.COUNTY, "湖北省", "十堰市人民政府"),
        ("中华慈善总会", "中华慈善总会", "charity", g.NATIONAL, "", ""),
        ("澳门红十字会", "澳门红十字会", "redcross", g.PROVINCE, "澳门特别行政区", "中国红十字会总会"),
    ],
)
def test_organisation_names_are_made_canonical(written, canonical, kind, level, province, parent):
    org = b.parse_organisation(written)
    assert org is not None, written
    assert (org.name, org.kind, org.level, org.province, org.parent) == (canonical, kind, level, province, parent)
    if org.name != written:
        assert written in org.aliases


def test_unknown_places_are_not_guessed():
    assert b.parse_organisation("武汉大学") is None
    assert b.parse_organisation("爱心红十字会") is None
    assert b.split_organisation("某某单位") is None


@pytest.mark.parametrize(
    ("publisher", "mention", "expected"),
    [
        ("湖北省红十字会", "省红十字会", "湖北省红十字会"),
        ("十堰市红十字会", "市红十字会", "十堰市红十字会"),
        ("十堰市红十字会", "省红十字会", "湖北省红十字会"),
        ("十堰市郧阳区红十字会", "区红十字会", "十堰市郧阳区红十字会"),
        ("十堰市郧阳区红十字会", "市慈善总会", "十堰市慈善总会"),
        ("丹江口市红十字会", "市红十字会", "丹江口市红十字会"),
        ("恩施州红十字会", "州红十字会", "恩施土家族苗族自治州红十字会"),
        ("来凤县妇联", "县妇联", "来凤县妇女联合会"),
        ("石家庄市红十字会", "本会", "石家庄市红十字会"),
        ("石家庄市红十字会", "我会", "石家庄市红十字会"),
    ],
)
def test_relative_organisations_resolve_against_the_publisher(publisher, mention, expected):
    assert b.resolve_relative(mention, publisher).name == expected


@pytest.mark.parametrize(
    ("publisher", "mention", "expected"),
    [
        ("十堰市红十字会", "我市", "十堰市"),
        ("十堰市红十字会", "省", "湖北省"),
        ("竹山县总工会", "县", "竹山县"),
        ("竹山县总工会", "市", "十堰市"),
        ("北京市朝阳区红十字会", "市", "北京市"),
    ],
)
def test_relative_places_resolve_against_the_publisher(publisher, mention, expected):
    assert b.resolve_relative(mention, publisher).full == expected


def test_relative_name_without_a_placed_publisher_is_none():
    assert b.resolve_relative("市红十字会", "武汉大学") is None
    assert b.resolve_relative("县", "湖北省红十字会") is None
