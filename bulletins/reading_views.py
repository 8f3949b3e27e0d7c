"""Reference downloads: one article, brief item or issue, or a whole filtered list, as RIS or BibTeX.

Why the list downloads go through ``exports.filter_for_export``: a researcher
who narrowed ``/articles/`` to a topic and a month must get the same rows as
references that the page, the API and the CSV show for that query string.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import citations
from .exports import CHUNK_SIZE, filter_for_export
from .filters import ArticleFilter, BriefItemFilter
from .models import Article, BriefItem
from .references import KINDS, reference, related_for_citation


def _format(fmt: str):
    if fmt not in citations.FORMATS:
        raise Http404(f"没有这种引用格式：{fmt}（可用 ris、bib）。")
    return citations.FORMATS[fmt]


@require_safe
def cite(request, kind: str, pk: int, fmt: str):
    """``/cite/article/12.ris``: one reference, as a file a reference manager opens."""
    if kind not in KINDS:
        raise Http404(f"没有这种条目：{kind}（可用 article、brief、issue）。")
    render, content_type, extension = _format(fmt)
    obj = get_object_or_404(related_for_citation(KINDS[kind].objects.all()), pk=pk)
    response = HttpResponse(render(reference(obj, request.build_absolute_uri), timezone.localdate()), content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{pk}.{extension}"'
    return response


def _cite_list(request, fmt, filterset_class, model, name):
    _render, content_type, extension = _format(fmt)
    qs, error = filter_for_export(request, filterset_class, related_for_citation(model.objects.newest_first()))
    if error:
        return error
    absolute = request.build_absolute_uri
    refs = (reference(obj, absolute) for obj in qs.iterator(chunk_size=CHUNK_SIZE))
    response = StreamingHttpResponse(citations.render_many(refs, fmt, timezone.localdate()), content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@require_safe
def articles_citations(request, fmt: str):
    """``/articles.ris`` and ``/articles.bib``: the rows of ``/articles/`` for the same query string."""
    return _cite_list(request, fmt, ArticleFilter, Article, "articles")


@require_safe
def briefs_citations(request, fmt: str):
    """``/briefs.ris`` and ``/briefs.bib``: the rows of ``/briefs/`` for the same query string."""
    return _cite_list(request, fmt, BriefItemFilter, BriefItem, "briefs")
