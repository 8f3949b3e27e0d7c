"""An organisation's items, looked up from its side (a UNION), are exactly those that mention it or
appear in an issue it published."""

from __future__ import annotations

import pytest
from django.db.models import Count, Exists, OuterRef, Q

from bulletins.models import Article, BriefItem, Issue, Organisation


@pytest.mark.parametrize("model", [Article, BriefItem])
def test_an_organisations_items_are_those_that_mention_it_or_appear_in_its_issues(seeded, model):
    publishers = set(Issue.objects.exclude(publisher=None).values_list("publisher_id", flat=True))
    organisations = list(Organisation.objects.annotate(n=Count("articles")).order_by("-n")[:8])
    organisations += list(Organisation.objects.filter(pk__in=publishers))
    assert publishers and organisations
    column = f"{model._meta.model_name}_id"
    for organisation in organisations:
        mentions = model.organisations.through.objects.filter(**{column: OuterRef("pk"), "organisation": organisation})
        expected = model.objects.filter(Q(Exists(mentions)) | Q(issue__publisher=organisation)).newest_first()
        found = model.objects.for_organisation(organisation).newest_first()
        assert list(found.values_list("pk", flat=True)) == list(expected.values_list("pk", flat=True))
        assert found.count() == expected.count()


def test_the_months_grouped_for_the_whole_archive_are_those_of_each_organisation_and_topic(seeded):
    """Each organisation's and topic's totals and months, grouped once for the archive, equal its own counts."""
    from bulletins.archive_counts import topic_counts_of
    from bulletins.models import Topic

    for organisation in Organisation.objects.all():
        articles = Article.objects.for_organisation(organisation)
        briefs = BriefItem.objects.for_organisation(organisation)
        expected = (articles.count(), briefs.count(), articles.month_counts(), briefs.month_counts())
        grouped = [
            model.objects.subject_months("organisation").get(organisation.pk, {}) for model in (Article, BriefItem)
        ]
        found = [sum(months.values()) for months in grouped]
        found += [{month: n for month, n in months.items() if month is not None} for months in grouped]
        assert tuple(found) == expected, organisation.name
    for topic in Topic.objects.all():
        articles, briefs = Article.objects.for_topic(topic), BriefItem.objects.for_topic(topic)
        expected = (articles.count(), briefs.count(), articles.month_counts(), briefs.month_counts())
        assert topic_counts_of(topic.slug) == expected, topic.slug
