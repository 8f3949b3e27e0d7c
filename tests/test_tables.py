"""Dictionary tables kept in a cache file (bulletins.analysis.tables): the same table, rebuilt when needed."""

from __future__ import annotations

import os

from bulletins.analysis import keywords, tables
from bulletins.analysis.segmentation import JIEBA_DICT, USER_DICT, Segmenter


def test_a_cached_weight_table_equals_the_one_built_and_a_damaged_file_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("JIEBA_CACHE_DIR", str(tmp_path))
    source = tmp_path / "weights.txt"
    source.write_text("红十字 1.5\n献血 2.25\n", encoding="utf-8")
    built = []

    def build():
        built.append(1)
        return {"红十字": 1.5, "献血": 2.25}

    assert tables.cached_weights("t", [source], build) == {"红十字": 1.5, "献血": 2.25}
    assert tables.cached_weights("t", [source], build) == {"红十字": 1.5, "献血": 2.25}
    assert len(built) == 1  # the second came from the file
    (cached,) = tmp_path.glob("archive-t-*.table")
    cached.write_bytes(cached.read_bytes()[:20])  # truncated
    assert tables.cached_weights("t", [source], build) == {"红十字": 1.5, "献血": 2.25}
    assert len(built) == 2


def test_an_edited_source_gives_a_new_table(tmp_path, monkeypatch):
    monkeypatch.setenv("JIEBA_CACHE_DIR", str(tmp_path))
    source = tmp_path / "words.txt"
    source.write_text("一", encoding="utf-8")
    assert tables.cached_words("w", [source], lambda: ["一"]) == ["一"]
    source.write_text("一 二", encoding="utf-8")
    os.utime(source, ns=(1, 1))
    assert tables.cached_words("w", [source], lambda: ["一", "二"]) == ["一", "二"]


def test_the_cached_tables_are_jiebas_own(tmp_path, monkeypatch):
    """The segmenter's word list and the IDF table read from cache files equal what jieba's files give."""
    monkeypatch.setenv("JIEBA_CACHE_DIR", str(tmp_path))
    segmenter = Segmenter()
    reference = segmenter._tokenizer._reference.loaded() if hasattr(segmenter._tokenizer, "_reference") else None
    reference = reference or segmenter._tokenizer.loaded()
    assert segmenter._words == frozenset(word for word, freq in reference.FREQ.items() if freq)
    assert Segmenter()._words == segmenter._words  # the second from the cache file
    assert list(tmp_path.glob("archive-jieba-words-*.table"))
    assert tables.cached_weights("jieba-idf-test", [keywords.IDF_PATH], keywords._read_idf) == keywords._read_idf()
    assert JIEBA_DICT.is_file() and USER_DICT.is_file()
