"""The keyword stop list (bulletins/data/keyword_stopwords.txt, bulletins.keyword_stopwords)."""

from __future__ import annotations

from bulletins.analysis.topics import TOPICS
from bulletins.keyword_stopwords import STOPWORDS_PATH, filter_keywords, generic_words, is_generic, read_stopwords


def test_the_file_states_its_rule_and_lists_the_generic_words():
    head = STOPWORDS_PATH.read_text(encoding="utf-8")[:1500]
    assert "Rule for adding a word" in head
    assert {"社会", "统一", "培训", "工作", "开展"} <= generic_words()


def test_no_topic_keyword_is_generic():
    keywords = {k for topic in TOPICS for k in topic["keywords"]}
    assert not keywords & generic_words()


def test_either_script_and_surrounding_space():
    assert is_generic(" 社會 ") and is_generic("社会") and not is_generic("无偿献血")


def test_filter_keeps_order_drops_duplicates_and_caps():
    words = ["培训", "应急救护", "社会", "救护员", "应急救护", "统一", "AED"]
    assert filter_keywords(words) == ["应急救护", "救护员", "AED"]
    assert filter_keywords(words, k=2) == ["应急救护", "救护员"]


def test_comments_are_not_words(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("# 社会 is a comment\n统一 培训  # 工作\n\n", encoding="utf-8")
    assert read_stopwords(path) == {"统一", "培训"}
