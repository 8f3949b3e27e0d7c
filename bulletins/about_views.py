"""关于本档案: what the archive holds, where the texts come from, how to cite them, and the open data.

Why live figures: the page is the archive's own description; counts and the
date range read from the database (cached per archive state) never go stale.
"""

from __future__ import annotations

from django.db.models import Count, Max, Min
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .caching import cached_aggregate
from .citations import gbt7714
from .models import Article, BriefItem, Issue, Organisation, Publication, Topic
from .references import reference


def _holdings() -> dict:
    dates = Issue.objects.aggregate(first=Min("date"), last=Max("date"))
    return {
        "issues": Issue.objects.count(),
        "articles": Article.objects.count(),
        "briefs": BriefItem.objects.count(),
        "organisations": Organisation.objects.count(),
        "topics": Topic.objects.count(),
        "first": dates["first"],
        "last": dates["last"],
        "publications": list(
            Publication.objects.annotate(n=Count("issues"), first=Min("issues__date"), last=Max("issues__date"))
            .filter(n__gt=0)
            .order_by("name")
            .values("pk", "name", "n", "first", "last")
        ),
        "needs_review": Issue.objects.filter(needs_review=True).count(),
    }


def about(request):
    example = Article.objects.select_related("issue__publication__publisher", "issue__publisher").newest_first().first()
    context = {
        "holdings": cached_aggregate("about-holdings", _holdings),
        "example": gbt7714(reference(example, request.build_absolute_uri), timezone.localdate()) if example else "",
        "endpoints": [
            (_("数据接口根目录 (JSON)"), reverse("opendata:api-root")),
            (_("OpenAPI 模式"), reverse("opendata:schema")),
            (_("交互式接口说明"), reverse("opendata:api-docs")),
            (_("文章 CSV"), reverse("opendata:articles_csv")),
            (_("简讯 CSV"), reverse("opendata:briefs_csv")),
            (_("文章 RIS / BibTeX"), reverse("opendata:articles_citations", args=["ris"])),
            (_("最新期刊 Atom 订阅"), reverse("opendata:feed_issues")),
        ],
        "breadcrumbs": [(_("首页"), reverse("bulletins:home")), (_("关于本档案"), None)],
    }
    return render(request, "bulletins/about.html", context)
