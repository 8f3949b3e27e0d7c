"""``{% citation obj %}``: the citation block of an article, brief item or issue page.

Why a tag and not view context: the pages that cite are rendered by several
views; the block needs only the object and the request, so the views stay as
they are.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from ..citations import gbt7714
from ..references import kind_of, reference

register = template.Library()


@register.inclusion_tag("includes/citation.html", takes_context=True)
def citation(context, obj, compact=False):
    request = context["request"]
    ref = reference(obj, request.build_absolute_uri)
    kind = kind_of(obj)
    return {
        "id": f"cite-{ref.key}",
        "text": gbt7714(ref, timezone.localdate()),
        "permalink": ref.url,
        "ris": reverse("opendata:cite", args=[kind, obj.pk, "ris"]),
        "bib": reverse("opendata:cite", args=[kind, obj.pk, "bib"]),
        "compact": compact,
    }


LIST_CITATIONS = {"article_list": "opendata:articles_citations", "brief_list": "opendata:briefs_citations"}


@register.simple_tag(takes_context=True)
def list_citations_url(context, fmt: str) -> str:
    """The RIS or BibTeX download of the list being shown, for the same filters and query (no page number)."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    url = reverse(LIST_CITATIONS[request.resolver_match.url_name], args=[fmt])
    return f"{url}?{params.urlencode()}" if params else url
