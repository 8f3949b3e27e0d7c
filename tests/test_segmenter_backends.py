"""The fast cutter (rjieba) gives jieba's words exactly, with the user dictionary, on real and generated text."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bulletins.analysis import segmenter_backends
from bulletins.analysis.segmentation import USER_DICT, Segmenter
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def segmenters():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARCHIVE_SEGMENTER", "jieba")
        reference = Segmenter()
        mp.setenv("ARCHIVE_SEGMENTER", "")
        fast = Segmenter()
    assert isinstance(fast._tokenizer, segmenter_backends.FastTokenizer)
    assert not isinstance(reference._tokenizer, segmenter_backends.FastTokenizer)
    return reference, fast


def test_fast_cutter_gives_jieba_s_words_on_the_seeds_and_a_corpus(segmenters, tmp_path):
    reference, fast = segmenters
    call_command("make_corpus", issues=30, out=str(tmp_path), verbosity=0)
    paths = sorted(SEEDS.glob("*.txt")) + sorted(tmp_path.rglob("*.txt"))
    assert len(paths) == 35
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        expected, got = reference.segmented(text), fast.segmented(text)
        assert got.tokens == expected.tokens, path.name
        assert (got.plain, got.emitted) == (expected.plain, expected.emitted), path.name
        assert fast.cut(text) == reference.cut(text), path.name


def test_user_dictionary_applies_to_both(segmenters):
    reference, fast = segmenters
    words = [line.split()[0] for line in USER_DICT.read_text(encoding="utf-8").splitlines() if line.strip()]
    for word in words:
        assert fast.cut(word) == reference.cut(word) == [word]


def test_ascii_runs_with_punctuation_are_split_as_jieba_splits_them(segmenters):
    reference, fast = segmenters
    text = "详见www.zjredcross.org.cn或发邮件至abc_d@163.com，2021-2025年规划，增长2.5%，C++与C#。"
    assert fast.cut(text) == reference.cut(text)
    assert fast.tokens(text) == reference.tokens(text)


def test_the_ascii_tokenizer_cuts_ascii_text_as_the_whole_jieba_tokenizer(segmenters):
    """Every ASCII text, dictionary words and random runs alike, is cut as jieba's full tokenizer cuts it."""
    import random
    import string

    reference, fast = segmenters
    whole = reference._tokenizer
    ascii_only = fast._tokenizer._ascii
    assert len(ascii_only.FREQ) < 1000 < len(whole.FREQ)
    dictionary = [word for word in whole.FREQ if word.isascii()]
    assert "AED" in dictionary  # from the user dictionary
    pick = random.Random(7)
    alphabet = string.ascii_letters[:6] + string.digits[:4] + "+#&._%-/:@ "
    pieces = dictionary + list(alphabet)
    texts = [*dictionary, "www.zjredcross.org.cn", "abc_d@163.com", "2021-2025", "2.5%", "C++", "AT&T-C#.net"]
    texts += ["".join(pick.choice(pieces) for _ in range(pick.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        for hmm in (True, False):
            assert list(ascii_only.cut(text, HMM=hmm)) == list(whole.cut(text, HMM=hmm)), text


def test_a_new_segmenter_cuts_ascii_runs_without_loading_jieba_s_whole_dictionary(segmenters):
    Segmenter()  # the table cache is filled (it is, after the fixture)
    fresh = Segmenter()
    text = "详见www.zjredcross.org.cn，2021-2025年规划，增长2.5%。"
    assert fresh.cut(text) == segmenters[0].cut(text)
    assert fresh._tokenizer._reference._tokenizer is None
