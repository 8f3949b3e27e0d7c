"""Tests for the ``bulletins.analysis`` package on real seed text.

The analysis module is pure Python, so these run without a database
(``pytest -p no:django tests/test_analysis.py``). They load jieba once for the
whole module; that is the cost the importer pays too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # running with -p no:django and no rootdir on the path
    sys.path.insert(0, str(ROOT))

from bulletins.analysis import bodies, gazetteer, segmentation, words  # noqa: E402
from bulletins.analysis.keywords import _STOP_WORDS  # noqa: E402
from bulletins.analysis.organisations import OrgMention, find_organisations  # noqa: E402
from bulletins.analysis.segmentation import get_segmenter  # noqa: E402
from bulletins.analysis.topics import TOPICS, assign_topics  # noqa: E402

SEEDS = ROOT / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


@pytest.fixture(scope="module")
def seg():
    return get_segmenter()


@pytest.fixture(scope="module")
def hubei_first_article() -> str:
    """The first article of the Hubei bulletin: the 脱贫攻坚 award."""
    return between(seed("000"), "4 月 15 日", "省红十字会举办红十字应急救援")


# --- segmenter -------------------------------------------------------------


def test_segmenter_is_a_lazy_process_singleton(monkeypatch):
    """jieba costs ~0.4 s and ~90 MB to load: importing the module must not load it, and
    every caller must share one instance."""
    monkeypatch.setattr(segmentation, "_SEGMENTER", None)
    built = []
    original = segmentation.Segmenter.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(segmentation.Segmenter, "__init__", counting_init)
    assert segmentation._SEGMENTER is None
    first = get_segmenter()
    second = get_segmenter()
    assert first is second
    assert len(built) == 1


def test_segmenter_uses_a_private_tokenizer_with_a_writable_cache(seg):
    import os

    import jieba

    assert seg._tokenizer is not jieba.dt
    assert os.access(seg._tokenizer.tmp_dir, os.W_OK)


@pytest.mark.parametrize("term", ["造血干细胞", "博爱家园", "应急救护", "湖北省红十字会", "十堰市红十字会"])
def test_user_dictionary_keeps_domain_terms_whole(seg, term):
    tokens = seg.tokens(f"今年，{term}工作取得新进展。")
    assert term in tokens


def test_user_dictionary_covers_the_gazetteer():
    """Every Red Cross society of the seeds' provinces (province, prefectures) is a whole word for jieba."""
    lines = segmentation.USER_DICT.read_text(encoding="utf-8").splitlines()
    words = {line.split()[0] for line in lines if line.strip()}
    for place in gazetteer.all_places():
        if place.province in ("湖北省", "浙江省", "河北省") and place.level != gazetteer.COUNTY:
            assert bodies.organisation(place).name in words
    for term in ("中国红十字会总会", "博爱送万家", "人体器官捐献", "遗体捐献", "无偿献血", "红十字青少年", "救护员"):
        assert term in words


def test_tokens_drop_punctuation_and_whitespace_and_lowercase_ascii(seg):
    tokens = seg.tokens("将体外除颤仪（AED）\n\n配置做成筹资项目，  “红十字”！ ＡＥＤ ２０２１")
    assert "（" not in tokens and "，" not in tokens and "“" not in tokens
    assert not any(t.isspace() or not t for t in tokens)
    assert "aed" in tokens and "AED" not in tokens
    assert "2021" in tokens  # full-width digits fold to ASCII


def test_search_mode_gives_inner_words(seg):
    """A query for 红十字会 must find 湖北省红十字会: inner dictionary words are lexemes too."""
    tokens = seg.tokens("湖北省红十字会")
    for inner in ("湖北", "湖北省", "红十字", "红十字会", "湖北省红十字会"):
        assert inner in tokens


def test_segment_seed_paragraph(seg):
    paragraph = between(seed("002"), "——这五年,市红十字会大力弘扬", "我市先后8次")
    segmented = seg.segment(paragraph)
    assert segmented == " ".join(seg.tokens(paragraph))
    parts = segmented.split(" ")
    assert "造血干细胞" in parts and "无偿献血" in parts and "世界骨髓捐献者日" in parts
    assert "," not in parts and "“" not in parts


def test_segment_empty(seg):
    assert seg.tokens("") == []
    assert seg.segment("  \n ") == ""
    assert seg.query_terms("") == []


def test_query_terms_segment_like_documents(seg):
    terms = seg.query_terms("造血干细胞 捐献")
    assert "造血干细胞" in terms and "捐献" in terms
    assert len(terms) == len(set(terms))
    doc = set(seg.tokens("中华骨髓库开展造血干细胞捐献宣传"))
    assert set(terms) <= doc  # every query lexeme is in a document that says it


def test_query_terms_order_kept_and_deduplicated(seg):
    assert seg.query_terms("献血 献血 捐献") == ["献血", "捐献"]


@pytest.mark.parametrize(
    "query",
    [
        "造血 & 干细胞 | !捐献",
        "献血:* <-> 'AED' \"救护\" \\ \x00",
        "'); DROP TABLE x; --",
        "a&b|c!d:*e<->f",
        "\\'\\'",
    ],
)
def test_query_terms_are_safe_lexemes(seg, query):
    terms = seg.query_terms(query)
    for term in terms:
        assert term
        assert not set(term) & set("&|!:*<>()'\"\\\x00 ")


def test_query_terms_only_operators_is_empty(seg):
    assert seg.query_terms("& | ! :* <-> ' \" \\ \x00") == []


# --- keywords --------------------------------------------------------------


def test_keywords_of_first_hubei_article(seg, hubei_first_article):
    keywords = seg.keywords(seg.tokens(hubei_first_article))
    assert "脱贫攻坚" in keywords
    assert len(keywords) == 8
    for word in keywords:
        assert len(word) >= 2
        assert not any(ch.isdigit() for ch in word)
        assert word not in _STOP_WORDS


def test_keywords_count_search_mode_inner_words_once(seg):
    """Inner words of search mode do not inflate the counts of their parts."""
    tokens = seg.tokens("湖北省红十字会")
    assert [w for w, _ in seg.words(tokens)] == ["湖北省红十字会"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_one_pass_gives_the_same_tokens_words_keywords_and_topics(seg, prefix):
    """What the importer computes from one jieba pass equals the separate steps, on every seed."""
    text = seed(prefix)
    segmented = seg.segmented(text)
    tokens = seg.tokens(text)
    assert segmented.tokens == tokens
    assert segmented.words == seg.words(tokens)
    assert seg.keywords(segmented) == seg.keywords(tokens)
    assert assign_topics(segmented, TOPICS) == assign_topics(tokens, TOPICS)
    assert assign_topics(segmented, TOPICS), "the seeds are about the starting topics"


def test_keywords_edge_cases(seg):
    assert seg.keywords([]) == []
    assert seg.keywords(seg.tokens("的 了 2021 年 1 月")) == []
    assert len(seg.keywords(seg.tokens("无偿献血 造血干细胞 应急救护"), k=2)) == 2


# --- organisations ---------------------------------------------------------


def names(mentions: list[OrgMention]) -> list[str]:
    return [m.name for m in mentions]


def test_relative_province_resolves_to_publisher():
    text = "省红十字会赈济救护部 喜获“全省脱贫攻坚先进集体”荣誉称号"
    found = find_organisations(text, publisher="湖北省红十字会")
    assert names(found) == ["湖北省红十字会"]
    assert found[0] == OrgMention("湖北省红十字会", "redcross", "province", "湖北", "中国红十字会总会")


def test_relative_province_without_context_is_dropped():
    assert find_organisations("省红十字会召开会议") == []


def test_relative_city_resolves_to_subject_city():
    text = between(seed("002"), "——这五年,市红十字会坚持", "增强“四个意识”")
    found = find_organisations(text, subject_city="十堰")
    assert found == [OrgMention("十堰市红十字会", "redcross", "city", "十堰", "湖北省红十字会")]
    assert names(find_organisations("我市红十字会成立三十周年", subject_city="十堰")) == ["十堰市红十字会"]


def test_region_prefix_names_the_reporting_society():
    body = between(seed("001"), "为更好地凝聚共识", "大家认为")
    found = find_organisations(body, publisher="浙江省红十字会", region="宁波")
    assert found[0] == OrgMention("宁波市红十字会", "redcross", "city", "宁波", "浙江省红十字会")
    item = between(seed("001"), "近日,绍兴市红十字", "该基金设立后")
    found = names(find_organisations(item, publisher="浙江省红十字会", region="绍兴"))
    assert found[0] == "绍兴市红十字会"
    assert "绍兴市公安局" in found


def test_national_society():
    for text in (
        "中国红十字会总会决定开展2021应急救援推进年活动",
        "王平代表总会向志愿者表示感谢",
        "中国红十字会副会长王平",
    ):
        assert names(find_organisations(text)) == ["中国红十字会总会"], text


def test_collective_phrases_are_not_organisations():
    text = (
        "全省红十字会要提高站位，各级红十字会要统一思想。全市红十字会基层组织建设工作推进会。"
        "19个县级红十字会已出台改革方案。“群众身边的红十字会”。慰问红十字会员、志愿者。"
        "依据《中国红十字会会员管理办法》修改完善。"
    )
    assert find_organisations(text, publisher="湖北省红十字会", subject_city="石家庄") == []


def test_full_names_levels_and_parents_from_hubei_briefs():
    briefs = seed("000")[seed("000").index("简 讯") :]
    found = {m.name: m for m in find_organisations(briefs, publisher="湖北省红十字会")}
    assert found["咸宁市红十字会"].parent == "湖北省红十字会"
    assert found["麻城市红十字会"].level == "county"
    assert found["麻城市红十字会"].parent == "黄冈市红十字会"
    assert found["恩施土家族苗族自治州红十字会"].region == "恩施"
    assert "神农架林区红十字会" in found  # 林区红十字会
    assert "潜江市教育局" in found  # 潜江市红十字会联合市教育局
    assert found["中南医院"].kind == "hospital"
    assert "湖北省红十字会" in found  # 省红十字会党组书记


def test_districts_carry_their_city():
    text = "杭州市上城区红十字会、上城区民政局、浙江民生社会养老服务中心代表参加活动。"
    found = find_organisations(text, publisher="浙江省红十字会")
    assert names(found) == ["杭州市上城区红十字会", "杭州市上城区民政局"]
    assert found[0].parent == "杭州市红十字会" and found[0].level == "county"


def test_government_bodies_with_province_prefix():
    text = between(seed("000"), "4月17日，省红十字会党组书记", "学习调研组先后参观")
    found = names(find_organisations(text, publisher="湖北省红十字会"))
    assert found == ["湖北省红十字会", "湖北省妇女联合会"]
    zj = names(find_organisations("省红十字会、省消防救援总队联合设立基金", publisher="浙江省红十字会"))
    assert zj == ["浙江省红十字会", "浙江省消防救援总队"]


def test_hospitals():
    found = find_organisations(
        "市红十字无偿献血志愿服务队、湖北汽车工业学院附属医院分别被授予称号", subject_city="十堰"
    )
    assert names(found) == ["湖北汽车工业学院附属医院"]
    assert found[0].kind == "hospital"
    assert find_organisations("救援队组织队员前往医院协助救助伤病人员，送往定点医院。") == []
    assert names(find_organisations("市人民医院开展义诊", subject_city="十堰")) == ["十堰市人民医院"]


def test_unknown_city_needs_a_clear_boundary():
    assert names(find_organisations("6月1日，成都市红十字会开展活动")) == ["成都市红十字会"]
    assert names(find_organisations("9月1日，驻马店市红十字会开展活动")) == ["驻马店市红十字会"]
    assert find_organisations("在矿区召开全市红十字会基层组织建设工作推进会") == []


def test_publisher_string_parses_to_itself():
    for publisher in ("湖北省红十字会", "浙江省红十字会", "石家庄市红十字会"):
        assert names(find_organisations(publisher)) == [publisher]


def test_whole_seeds_give_no_junk():
    cases = [
        ("000", {"publisher": "湖北省红十字会"}),
        ("001", {"publisher": "浙江省红十字会"}),
        ("002", {"subject_city": "十堰"}),
        ("003", {"subject_city": "石家庄"}),
        ("004", {"publisher": "浙江省红十字会"}),
    ]
    for prefix, context in cases:
        for mention in find_organisations(seed(prefix), **context):
            assert not mention.name.startswith(("全", "各", "联合", "召开")), mention
            assert mention.kind in {k.key for k in bodies.ORG_KINDS} | {"hospital", "other"}
            assert mention.level in {"national", "province", "city", "county", "other"}


def test_gazetteer_has_every_province_and_the_seed_cities():
    assert len(gazetteer.provinces()) == 34
    for city, province in (
        ("十堰", "湖北省"),
        ("宜昌", "湖北省"),
        ("恩施州", "湖北省"),
        ("宁波", "浙江省"),
        ("石家庄", "河北省"),
    ):
        place = gazetteer.lookup_place(city)
        assert place is not None and place.province == province


# --- topics ----------------------------------------------------------------


def slugs_of(seg, text: str) -> list[str]:
    return assign_topics(seg.tokens(text), TOPICS)


def test_topics_taxonomy_shape():
    assert [t["name"] for t in TOPICS] == [
        "应急救护培训",
        "应急救援/备灾救灾",
        "无偿献血",
        "造血干细胞捐献",
        "遗体和器官捐献",
        "人道救助/博爱送万家",
        "募捐与基金",
        "志愿服务",
        "红十字青少年",
        "党建与学习",
        "组织建设与改革",
        "宣传与传播",
        "疫情防控",
    ]
    slugs = [t["slug"] for t in TOPICS]
    assert len(set(slugs)) == 13
    for topic in TOPICS:
        assert topic["slug"].isascii() and topic["keywords"] and topic["description"].endswith("。")


def test_brief_about_stem_cells(seg):
    brief = "4月19日，中华骨髓库湖北分库党支部联合中南医院血液内科党支部开展“移路相髓 点亮爱心”主题活动。"
    assert "stem-cell-donation" in slugs_of(seg, brief)
    assert "stem-cell-donation" in slugs_of(seg, "十堰市一名志愿者成功捐献造血干细胞。")


def test_first_aid_training_article(seg):
    article = between(seed("004"), "1月9日,杭州市红十字会联合", "## 湖州")
    slugs = slugs_of(seg, article)
    assert "first-aid-training" in slugs
    assert "stem-cell-donation" not in slugs and "blood-donation" not in slugs


def test_long_article_needs_two_mentions(seg):
    filler = "会议听取了工作汇报，研究部署了下一阶段的重点任务。" * 12
    assert len(filler) >= 200
    assert "blood-donation" not in slugs_of(seg, filler + "会上还提到无偿献血。")
    assert "blood-donation" in slugs_of(seg, filler + "会上还提到无偿献血。献血车开进校园。")
    # 无偿献血 and its inner word 献血 at one place are one mention, not two
    assert "blood-donation" not in slugs_of(seg, filler + "会上还提到无偿献血。")


def test_multi_word_keyword_matches_across_tokens(seg):
    topics = [{"slug": "x", "name": "x", "keywords": ["救护员培训班"]}]
    assert assign_topics(seg.tokens("举办红十字救护员培训班"), topics) == ["x"]
    assert assign_topics(seg.tokens("举办红十字救护员考核"), topics) == []


def test_topics_from_db_shaped_dicts(seg):
    """The importer passes the editable DB copy: only slug, name and keywords."""
    topics = [{"slug": t["slug"], "name": t["name"], "keywords": t["keywords"]} for t in TOPICS]
    assert "first-aid-training" in assign_topics(seg.tokens("开展AED使用培训"), topics)
    assert assign_topics([], topics) == []
    assert assign_topics(seg.tokens("造血干细胞"), []) == []


def test_same_named_districts_need_their_city():
    hebei = {"publisher": "河北省红十字会"}
    assert find_organisations("6月1日，沧州市新华区红十字会开展活动", **hebei)[0].parent == "沧州市红十字会"
    assert (
        find_organisations("6月1日，新华区红十字会开展活动", subject_city="石家庄")[0].name == "石家庄市新华区红十字会"
    )
    ambiguous = find_organisations("6月1日，新华区红十字会开展活动", **hebei)[0]
    assert (ambiguous.name, ambiguous.parent) == ("新华区红十字会", "")


def test_tokens_contain_jieba_search_mode_in_order(seg):
    """tokens() is jieba's cut_for_search minus punctuation, plus longer inner words: any
    faster jieba-compatible path must keep this property."""
    text = seed("004")[:3000]
    reference = [t.lower() for t in seg._tokenizer.cut_for_search(text) if words.HAS_WORD(t)]
    ours = iter(seg.tokens(text))
    assert all(any(token == mine for mine in ours) for token in reference)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("造血干细胞捐献红十字会AEDaed12 &|!:*<->'\"\\\x00()，。_-.%#+")), max_size=40)
)
def test_query_terms_never_carry_tsquery_syntax(q):
    for term in get_segmenter().query_terms(q):
        assert term and not set(term) & set("&|!:*<>()'\"\\\x00 ")
