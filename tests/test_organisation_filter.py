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
