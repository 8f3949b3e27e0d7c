"""Query syntax, script normal form, tsquery text and highlights (query_syntax, chinese_script)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletins.analysis.segmentation import get_segmenter
from bulletins.chinese_script import normalise, normalise_with_map, to_simplified
from bulletins.query_syntax import (
    DEFAULT_SCOPE,
    DEFAULT_SORT,
    SCOPE_CHOICES,
    SCOPES,
    SORTS,
    parse_query,
    passes_substring_check,
    scope_for,
    snippet,
    sort_for,
    to_tsquery,
)

MACAO = (
    "澳門紅十字會於塔石廣場舉辦社區應急救護推廣日，設置心肺復蘇、止血包紮等體驗攤位。"
    "應急救援隊和賑濟救護部也參與了，本會義工隊一百二十名義工參與活動，並向市民派發急救知識小冊子。"
)


# --------------------------------------------------------------------------- normal form


def test_normalise_folds_script_width_and_ascii_case():
    assert normalise("紅十字會ＡＥＤ２０２１年　AED") == "红十字会aed2021年 aed"
    assert normalise("红十字会") == "红十字会"
    assert to_simplified("") == normalise("") == ""


def test_normal_form_keeps_positions_on_real_traditional_text():
    norm, positions = normalise_with_map(MACAO)
    assert positions is None and len(norm) == len(MACAO)
    assert norm.index("应急救护") == MACAO.index("應急救護")


def test_every_traditional_character_converts_to_one_character():
    """Why the highlighter can map positions 1:1: t2s never changes a character's length."""
    for code in range(0x4E00, 0xA000):
        assert len(to_simplified(chr(code))) == 1


def test_position_map_when_a_conversion_changes_length(monkeypatch):
    import bulletins.chinese_script as cs

    class Stretching:
        def convert(self, text):
            return text.replace("會", "会会")

    monkeypatch.setattr(cs, "_CONVERTER", Stretching())
    norm, positions = normalise_with_map("紅十字會，應急救護")
    assert norm == "紅十字会会，應急救護"
    assert len(positions) == len(norm) + 1
    assert positions[norm.index("，")] == 4 and positions[norm.index("應")] == 5
    assert positions[-1] == len("紅十字會，應急救護")


# --------------------------------------------------------------------------- parsing


def test_words_without_quotes_are_all_required():
    parsed = parse_query("应急救护  培训")
    assert [p.text for p in parsed.terms] == ["应急救护", "培训"]
    assert not parsed.phrases and not parsed.exclusions and not parsed.needs_substring_check


@pytest.mark.parametrize("q", ['"应急救护"', "“应急救护”", "「应急救护」", "『应急救护』", '"应急救护', '“应急救护"'])
def test_quotes_of_every_kind_make_a_phrase(q):
    parsed = parse_query(q)
    assert [p.normalised for p in parsed.phrases] == ["应急救护"]
    assert parsed.needs_substring_check and parsed.substrings == ("应急救护",)


@pytest.mark.parametrize("q", ["培训 -疫情", "培训 －疫情", "培训 −疫情"])
def test_a_leading_minus_excludes(q):
    parsed = parse_query(q)
    assert [p.text for p in parsed.terms] == ["培训"]
    assert [p.normalised for p in parsed.exclusions] == ["疫情"]
    assert parsed.excluded_substrings == ("疫情",)


def test_minus_inside_a_word_and_a_lone_minus_are_text():
    parsed = parse_query("COVID-19 - 口罩")
    assert [p.normalised for p in parsed.terms] == ["covid-19", "口罩"]
    assert not parsed.exclusions


def test_an_excluded_phrase_and_a_phrase_glued_to_a_word():
    parsed = parse_query('培训"应急救护" -"新冠 肺炎"')
    assert [p.text for p in parsed.terms] == ["培训"]
    assert [p.text for p in parsed.phrases] == ["应急救护"]
    assert parsed.exclusions[0].phrase and parsed.exclusions[0].normalised == "新冠肺炎"


def test_traditional_query_keeps_what_was_typed_and_its_normal_form():
    parsed = parse_query("紅十字會 “應急救護”")
    assert parsed.terms[0].text == "紅十字會" and parsed.terms[0].normalised == "红十字会"
    assert parsed.phrases[0].normalised == "应急救护"
    assert parsed.display() == '"應急救護" 紅十字會'


def test_duplicates_in_either_script_are_one_part():
    assert len(parse_query("紅十字會 红十字会").terms) == 1


def test_spaces_inside_a_phrase_stay_between_latin_words_only():
    parsed = parse_query('"人道 救助" "Red  Cross"')
    assert [p.normalised for p in parsed.phrases] == ["人道救助", "red cross"]


@pytest.mark.parametrize("q", ["", "   ", "-疫情", '""', "&|!:* <-> ()", "\x00\x00"])
def test_queries_that_ask_for_nothing(q):
    parsed = parse_query(q)
    assert parsed.is_empty
    assert to_tsquery(parsed) is None


def test_punctuation_typed_around_a_word_is_dropped():
    assert [p.text for p in parse_query("《红十字会法》，").terms] == ["红十字会法"]


# --------------------------------------------------------------------------- tsquery


def test_terms_and_exclusions_as_tsquery():
    assert to_tsquery(parse_query("应急救护 培训 -疫情")) == "'应急救护' & '培训' & !'疫情'"


def test_operators_typed_by_a_visitor_are_never_syntax():
    tsquery = to_tsquery(parse_query("a&b|c !d <-> 'x' \\y"))
    assert "|" not in tsquery and "<->" not in tsquery and "\\" not in tsquery
    assert tsquery.count("'") % 2 == 0


def test_phrase_distance_counts_the_inner_words_search_mode_writes_first():
    words = {"培训湖北省红十字会": [("培训", 1), ("湖北省红十字会", 6)]}.get
    parsed = parse_query('"培训湖北省红十字会"')
    assert to_tsquery(parsed, words=words) == "('培训' <6> '湖北省红十字会')"
    assert to_tsquery(parsed, words=words, strict_phrases=False) == "('培训' & '湖北省红十字会')"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "query", "found"),
    [
        ("今年开展应急救护培训三十场", '"应急救护培训"', True),
        ("组织湖北省红十字会培训", '"组织湖北省红十字会"', True),
        ("应急救援队和赈济救护部参加", '"应急救护"', False),
        # Punctuation is no token: the sequence matches across it, which is why the caller checks substrings.
        ("全省开展培训，应急救护普及", '"培训应急救护"', True),
        ("疫情期间的应急救护培训", '"应急救护" -疫情', False),
        ("澳门红十字会举办社区应急救护推广日", "紅十字會 “應急救護”", True),
    ],
)
def test_tsquery_against_postgresql(text, query, found):
    """The tsquery text meets a document segmented as the importer segments it."""
    from django.db import connection

    tsquery = to_tsquery(parse_query(query))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
            [get_segmenter().segment(normalise(text)), tsquery],
        )
        assert cursor.fetchone()[0] is found


def test_the_substring_check_rejects_a_phrase_split_by_punctuation():
    parsed = parse_query('"培训应急救护"')
    assert not passes_substring_check(parsed, "全省开展培训，应急救护普及")
    assert passes_substring_check(parsed, "全省開展培訓應急救護普及")


def test_the_substring_check_applies_exclusions_in_either_script():
    parsed = parse_query('"应急救护" -疫情')
    assert passes_substring_check(parsed, "开展应急救护培训")
    assert not passes_substring_check(parsed, "疫情期間開展應急救護培訓")
    assert passes_substring_check(parsed, "开展应急救护培训", normalised=True)


# --------------------------------------------------------------------------- scopes and sorts


def test_scopes_and_sorts_describe_what_the_filterset_needs():
    assert DEFAULT_SCOPE == "all" and SCOPES["all"].uses_index
    assert [s.label for s in SCOPES.values()] == ["全文", "标题", "作者", "机构"]
    assert SCOPES["title"].brief_fields == () and SCOPES["byline"].article_fields == ("byline",)
    assert SCOPES["organisation"].brief_fields == ("organisations__name",)
    assert DEFAULT_SORT == "relevance" and SORTS["relevance"].order_by == ()
    assert SORTS["newest"].order_by[0] == "-day" and SORTS["oldest"].order_by[0] == "day"
    assert SCOPE_CHOICES[0] == ("all", "全文")
    assert scope_for("title").name == "title" and scope_for("") is scope_for("bogus") is SCOPES["all"]
    assert sort_for("oldest").name == "oldest" and sort_for(None) is SORTS["relevance"]


# --------------------------------------------------------------------------- snippets


def test_a_phrase_is_one_mark_in_the_printed_script():
    html = snippet(MACAO, '"应急救护"', 60)
    assert "<mark>應急救護</mark>" in html
    assert html.count("<mark>") == 1  # 應急救援 and 賑濟救護部 are not the phrase


def test_the_window_is_built_around_the_phrase_not_its_parts():
    text = "应急救援队伍建设。" * 10 + "赈济救护部" + "。" * 50 + "全年开展应急救护培训。"
    html = snippet(text, "应急救护", 40)
    assert "<mark>应急救护</mark>" in html and "<mark>应急</mark>" not in html
    assert html.startswith("…")


def test_parts_are_marked_only_when_the_whole_does_not_occur():
    html = snippet("应急队伍建设，救护知识普及", '"应急救护"', 60)
    assert "<mark>应急</mark>" in html or "<mark>救护</mark>" in html
    both = snippet("应急救护和应急队伍", '"应急救护"', 60)
    assert both.count("<mark>") == 1


def test_several_terms_each_marked_whole():
    html = snippet("紅十字會舉辦應急救護培訓，紅十字會志願者參加", "红十字会 培训", 80)
    assert html.count("<mark>紅十字會</mark>") == 2 and "<mark>培訓</mark>" in html


def test_exclusions_are_never_marked_and_no_match_starts_at_the_beginning():
    text = "疫情期间开展培训" + "。" * 200
    assert snippet(text, "-疫情", 20) == "疫情期间开展培训" + "。" * 12 + "…"


def test_snippet_escapes_the_text():
    html = snippet("<script>alert(1)</script>应急救护", "应急救护", 80)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>应急救护</mark>" in html


def test_a_long_phrase_is_never_cut_by_the_window():
    phrase = "习近平新时代中国特色社会主义思想"
    html = snippet("学习" + phrase + "。", f'"{phrase}"', 10)
    assert f"<mark>{phrase}</mark>" in html


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="應急救護紅十字會培训疫情<>&\"' -“”－", max_size=40), st.text(max_size=30))
def test_snippet_never_breaks_html(text, query):
    html = snippet(text, query, 20)
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    assert html.count("<mark>") == html.count("</mark>")
