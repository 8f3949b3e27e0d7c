"""Whole-archive aggregates are cached per archive state: any import or edit shows at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from bulletins import caching
from bulletins.models import Article, Issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def test_aggregate_is_reused_until_the_archive_changes(seeded, real_cache, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return Article.objects.count()

    assert caching.cached_aggregate("n", compute) == caching.cached_aggregate("n", compute)
    assert len(calls) == 1
    # An edit (what the admin and the importer do) changes the stamp once it is re-read.
    issue = Issue.objects.first()
    issue.title = "改过"
    issue.version += 1
    issue.save()
    caching.cached_aggregate("n", compute)
    assert len(calls) == 2


def test_lists_take_counts_and_facets_from_the_cache(seeded, real_cache, client, django_assert_num_queries):
    """A list's count and facets are computed once per archive state and filter combination."""
    first = client.get("/articles/")
    assert first.status_code == 200
    assert first.context["page_obj"].paginator.count == Article.objects.count()
    with django_assert_num_queries(4):  # the archive stamp, page rows (with issues), organisations, topics
        again = client.get("/articles/", {"page": 2, "page_size": 5})
    assert again.context["page_obj"].paginator.count == Article.objects.count()
    options = {c.name: c.options for c in first.context["controls"] if c.kind == "select"}
    assert (
        sum(o.count for o in options["publication"]) == Article.objects.filter(issue__publication__isnull=False).count()
    )


@pytest.mark.django_db(transaction=True)
def test_stamp_is_stable_while_nothing_changes_and_moves_with_any_committed_write():
    """Reading the stamp writes nothing; a committed change anywhere (here an organisation) moves it."""
    from bulletins.models import Organisation

    first = caching.archive_stamp()
    assert caching.archive_stamp() == first
    Organisation.objects.create(name="缓存测试红十字会")
    second = caching.archive_stamp()
    assert second != first
    assert caching.archive_stamp() == second


def test_the_organisation_table_is_remembered_per_language(seeded, real_cache, client, settings):
    """The rendered table of organisations is cached per archive state *and* language."""
    chinese = client.get("/organisations/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/organisations/").content.decode()
    assert "市级" in chinese and "市级" not in english
    assert "十堰市红十字会" in chinese and "十堰市红十字会" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "市级" in client.get("/organisations/").content.decode()
