"""The database itself enforces the archive's rules, whatever code writes to it.

Why test constraints against real rows: an editor in the admin, a buggy
import or a manual SQL fix all end at PostgreSQL; a named constraint is the
last line that keeps an issue from having two articles at position 1.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bulletins.models import Article, BriefItem, Issue, Organisation, Publication, Topic

pytestmark = pytest.mark.django_db


def make_issue(**extra) -> Issue:
    values = {
        "title": "测试简报 第1期",
        "source_name": "t.txt",
        "source_sha256": "a" * 64,
        "raw_text": "原文",
        "imported_at": timezone.now(),
    }
    values.update(extra)
    return Issue.objects.create(**values)


def rejects(fn, constraint: str) -> None:
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        fn()
    assert constraint in str(info.value)


def test_issue_number_must_be_positive():
    rejects(lambda: make_issue(number=0), "issue_number_positive")


def test_issue_source_hash_is_unique_and_hex():
    make_issue()
    rejects(lambda: make_issue(), "source_sha256")
    rejects(lambda: make_issue(source_sha256="not-a-hash"), "issue_source_sha256_hex")


def test_one_issue_per_publication_and_number():
    pub = Publication.objects.create(name="测试简报")
    make_issue(publication=pub, number=3)
    rejects(lambda: make_issue(publication=pub, number=3, source_sha256="b" * 64), "issue_unique_publication_number")
    # Feature pages have no number: any count of them may share a publication.
    make_issue(publication=pub, source_sha256="c" * 64)
    make_issue(publication=pub, source_sha256="d" * 64)


def test_article_positions_unique_and_positive():
    issue = make_issue()
    Article.objects.create(issue=issue, position=1, title="甲")
    rejects(lambda: Article.objects.create(issue=issue, position=1, title="乙"), "article_unique_issue_position")
    rejects(lambda: Article.objects.create(issue=issue, position=0, title="丙"), "article_position_positive")
    rejects(lambda: Article.objects.create(issue=issue, position=2, title=""), "article_title_not_empty")


def test_brief_end_date_not_before_date():
    issue = make_issue()
    rejects(
        lambda: BriefItem.objects.create(
            issue=issue, position=1, text="▲", date=datetime.date(2021, 4, 27), end_date=datetime.date(2021, 4, 26)
        ),
        "brief_end_date_not_before_date",
    )
    rejects(
        lambda: BriefItem.objects.create(issue=issue, position=1, text="x", end_date=datetime.date(2021, 4, 26)),
        "brief_end_date_not_before_date",
    )
    rejects(lambda: BriefItem.objects.create(issue=issue, position=1, text=""), "brief_text_not_empty")
    BriefItem.objects.create(
        issue=issue, position=1, text="ok", date=datetime.date(2021, 4, 26), end_date=datetime.date(2021, 4, 27)
    )


def test_unique_names():
    Organisation.objects.create(name="测试市红十字会")
    rejects(lambda: Organisation.objects.create(name="测试市红十字会"), "name")
    rejects(lambda: Topic.objects.create(name="新主题", slug="first-aid-training"), "slug")


def test_database_fills_search_vector_on_insert_and_update():
    """The GeneratedField keeps the vector current with no signal or trigger of ours."""
    issue = make_issue()
    article = Article.objects.create(issue=issue, position=1, title="甲", segmented_text="造血 干细胞 造血干细胞")
    BriefItem.objects.create(issue=issue, position=1, text="乙", segmented_text="博爱 家园")
    assert Article.objects.filter(search_vector="干细胞").exists()
    assert BriefItem.objects.filter(search_vector="家园").exists()
    article.segmented_text = "应急 救护"
    article.save()
    assert not Article.objects.filter(pk=article.pk, search_vector="干细胞").exists()
    assert Article.objects.filter(pk=article.pk, search_vector="救护").exists()


def test_named_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        indexes = dict(cursor.fetchall())
    for name in ("article_search_gin", "brief_search_gin"):
        assert "USING gin" in indexes[name]
    for name in ("issue_date_idx", "article_date_idx", "brief_date_idx", "issue_publication_date_idx"):
        assert name in indexes


@pytest.mark.parametrize(
    "text",
    ["", "甲", "甲乙", "红十字会红十字会", "第一行\n第二行\r\n\t末尾 ", "a'b\\c%_", "𠀀𠀁漢字🙂", "ＡＢ12ab"],
)
def test_bigram_function_gives_every_two_character_piece_once(text):
    """The substring index holds exactly the text's two-character pieces, newlines and astral characters included.

    Why: the index expression and the query's pieces (``querysets.containing``)
    must agree character for character, or a substring search misses rows.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(bulletins_bigrams(%s))", [text])
        (pieces,) = cursor.fetchone()
    assert sorted(pieces) == sorted({text[i : i + 2] for i in range(len(text) - 1)})


def test_starting_topics_are_loaded_by_migration():
    names = set(Topic.objects.values_list("name", flat=True))
    for name in ("应急救护培训", "造血干细胞捐献", "遗体和器官捐献", "疫情防控", "红十字青少年", "党建与学习"):
        assert name in names
    assert Topic.objects.count() >= 13
    assert all(Topic.objects.values_list("keywords", flat=True))


def test_string_forms_and_urls():
    issue = make_issue()
    article = Article.objects.create(issue=issue, position=1, title="标题")
    assert str(issue) == "测试简报 第1期"
    assert str(article) == "标题"
    assert article.get_absolute_url() == f"/articles/{article.pk}/"
    assert issue.get_absolute_url() == f"/issues/{issue.pk}/"


def test_effective_day_is_kept_by_the_database():
    """``day`` orders every list; triggers keep it right whoever writes the rows."""
    issue = make_issue(date=datetime.date(2021, 4, 30))
    undated = Article.objects.create(issue=issue, position=1, title="无日期")
    dated = Article.objects.create(issue=issue, position=2, title="有日期", date=datetime.date(2021, 4, 15))
    brief = BriefItem.objects.create(issue=issue, position=1, text="简讯")

    def days():
        return [
            Article.objects.get(pk=undated.pk).day,
            Article.objects.get(pk=dated.pk).day,
            BriefItem.objects.get(pk=brief.pk).day,
        ]

    assert days() == [datetime.date(2021, 4, 30), datetime.date(2021, 4, 15), datetime.date(2021, 4, 30)]
    issue.date = datetime.date(2021, 5, 31)
    issue.save()
    assert days() == [datetime.date(2021, 5, 31), datetime.date(2021, 4, 15), datetime.date(2021, 5, 31)]
    Article.objects.filter(pk=undated.pk).update(date=datetime.date(2021, 5, 2))
    dated.date = None
    dated.save()
    assert days()[:2] == [datetime.date(2021, 5, 2), datetime.date(2021, 5, 31)]
