"""An organisation's items: the two forms of the filter (busy and not) select exactly the same items."""

from __future__ import annotations

import pytest
from django.db.models import Count

from bulletins import querysets
from bulletins.models import Article, BriefItem, Issue, Organisation


@pytest.mark.parametrize("model", [Article, BriefItem])
def test_busy_and_other_organisations_give_the_same_items(seeded, monkeypatch, model):
    publishers = set(Issue.objects.exclude(publisher=None).values_list("publisher_id", flat=True))
    organisations = list(Organisation.objects.annotate(n=Count("articles")).order_by("-n")[:8])
    organisations += list(Organisation.objects.filter(pk__in=publishers))
    assert publishers and organisations
    for organisation in organisations:
        monkeypatch.setattr(querysets, "BUSY_MENTIONS", 1)  # every organisation counts as busy
        busy = model.objects.for_organisation(organisation)
        busy_ids = list(busy.newest_first().values_list("pk", flat=True))
        monkeypatch.setattr(querysets, "BUSY_MENTIONS", 10**9)
        monkeypatch.setattr(querysets, "BUSY_ISSUES", 10**9)
        other = model.objects.for_organisation(organisation)
        assert list(other.newest_first().values_list("pk", flat=True)) == busy_ids, organisation.name
        assert other.count() == busy.count() == len(busy_ids)
        monkeypatch.undo()
    # and an organisation is busy by its mentions or by the issues it published
    assert Article.objects.all()._organisation_is_busy(organisations[0].pk) is False  # the seeds are small
