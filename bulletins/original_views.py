"""An issue's original: the file itself, its printed pages, and a IIIF manifest of them.

Why the archive serves these itself instead of linking to the storage: the
storage may be a private bucket or a folder no web server exposes, and a
researcher must get the original byte for byte under a name that says what
it is (``<刊物>-第N期.pdf``). Pages were rendered once at import; these views
only read stored bytes.
"""

from __future__ import annotations

import mimetypes
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .listing import crumbs
from .models import Article, Issue, Page

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "html"}
IIIF_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# Page images change only when a new original replaces the issue's: a day's caching is safe.
IMAGE_MAX_AGE = 24 * 3600
_UNSAFE_NAME_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(issue: Issue) -> str:
    """``<刊物>-第N期.<ext>`` for a numbered issue, else the issue's title (or its file's name)."""
    ext = EXTENSIONS.get(issue.original_kind, "bin")
    if issue.publication_id and issue.number:
        stem = _("%(publication)s-第%(number)s期") % {"publication": issue.publication.name, "number": issue.number}
    else:
        stem = issue.title or issue.source_name.rsplit(".", 1)[0]
    return f"{_UNSAFE_NAME_RE.sub('_', stem).strip() or 'original'}.{ext}"


def _open(name: str):
    """A stored file for reading; a file missing from the storage is a 404, never a traceback."""
    try:
        return default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("文件不在存储中")) from exc


def _issue_with_original(pk: int) -> Issue:
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    if not issue.original:
        raise Http404(_("此期没有原件（由文本导入）"))
    return issue


@require_safe
def original_download(request, pk: int):
    """The original file as imported, byte for byte, as a download with its own name and type."""
    issue = _issue_with_original(pk)
    response = FileResponse(
        _open(issue.original.name),
        as_attachment=True,
        filename=download_name(issue),
        content_type=CONTENT_TYPES.get(issue.original_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def page_image(request, pk: int, number: int, size: str):
    """A page's screen image (``size="image"``) or thumbnail, as rendered at import."""
    if size not in ("image", "thumbnail"):
        raise Http404(_("没有这种页面图像"))
    page = get_object_or_404(Page, issue_id=pk, number=number)
    name = page.image.name if size == "image" else page.thumbnail.name
    response = FileResponse(_open(name), content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"  # IIIF viewers on other sites load the images
    return response


def page_urls(page: Page) -> dict[str, str]:
    args = [page.issue_id, page.number]
    return {
        "image": reverse("bulletins:page_image", args=[*args, "image"]),
        "thumbnail": reverse("bulletins:page_image", args=[*args, "thumbnail"]),
        "detail": reverse("bulletins:page_detail", args=args),
    }


@require_safe
def page_detail(request, pk: int, number: int):
    """One printed page, large, with the articles printed on it and the neighbouring pages."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    page = get_object_or_404(Page, issue=issue, number=number)
    count = issue.pages.count()
    context = {
        "issue": issue,
        "page": page,
        "urls": page_urls(page),
        "page_count": count,
        "previous": reverse("bulletins:page_detail", args=[pk, number - 1]) if number > 1 else None,
        "next": reverse("bulletins:page_detail", args=[pk, number + 1]) if number < count else None,
        "articles": Article.objects.filter(issue=issue, pages__contains=[number]).order_by("position"),
        "breadcrumbs": crumbs(
            (_("期刊"), reverse("bulletins:issue_list")),
            (issue.title, issue.get_absolute_url()),
            (_("第 %(number)s 页") % {"number": number}, None),
        ),
    }
    return render(request, "bulletins/page_detail.html", context)


def _format(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "image/webp"


def _entry(label: str, value: str) -> dict:
    return {"label": {"zh-Hans": [label]}, "value": {"none": [value]}}


def _canvas(request, root: str, page: Page) -> dict:
    """One page as a Canvas painted by its screen image (one AnnotationPage, one painting Annotation)."""
    urls = page_urls(page)
    canvas = f"{root}/canvas/{page.number}"
    image = {"type": "Image", "format": _format(page.image.name), "width": page.width, "height": page.height}
    painting = {
        "id": f"{canvas}/page/image",
        "type": "Annotation",
        "motivation": "painting",
        "target": canvas,
        "body": {"id": request.build_absolute_uri(urls["image"]), **image},
    }
    thumbnail = {
        "id": request.build_absolute_uri(urls["thumbnail"]),
        "type": "Image",
        "format": _format(page.thumbnail.name),
    }
    return {
        "id": canvas,
        "type": "Canvas",
        "label": {"none": [str(page.number)]},
        "height": page.height,
        "width": page.width,
        "thumbnail": [thumbnail],
        "items": [{"id": f"{canvas}/page", "type": "AnnotationPage", "items": [painting]}],
    }


def build_manifest(request, issue: Issue) -> dict:
    """The issue as a IIIF Presentation 3.0 manifest: one canvas per page, each painted by its stored image.

    Level-0 images: the whole page image as the body (no image service), which
    Mirador and the Universal Viewer both show; ids under the manifest's own URL.
    """
    base = request.build_absolute_uri(reverse("bulletins:iiif_manifest", args=[issue.pk]))
    root = base.rsplit("/", 1)[0]
    label = {"zh-Hans": [issue.title]}
    manifest = {
        "@context": IIIF_CONTEXT,
        "id": base,
        "type": "Manifest",
        "label": label,
        "metadata": [
            _entry(_("刊物"), issue.publication.name if issue.publication else ""),
            _entry(_("期号"), str(issue.number or "")),
            _entry(_("日期"), issue.date.isoformat() if issue.date else ""),
        ],
        "homepage": [
            {
                "id": request.build_absolute_uri(issue.get_absolute_url()),
                "type": "Text",
                "label": label,
                "format": "text/html",
            }
        ],
    }
    if issue.original:
        manifest["rendering"] = [
            {
                "id": request.build_absolute_uri(reverse("bulletins:original_download", args=[issue.pk])),
                "type": "Text",
                "label": {"zh-Hans": [_("下载原件")]},
                "format": CONTENT_TYPES.get(issue.original_kind, "application/octet-stream").split(";")[0],
            }
        ]
    manifest["items"] = [_canvas(request, root, page) for page in issue.pages.order_by("number")]
    return manifest


@require_safe
def iiif_manifest(request, pk: int):
    """The issue's IIIF Presentation 3.0 manifest (JSON-LD), open to viewers on any site."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    if not issue.original:
        raise Http404(_("此期没有原件（由文本导入）"))
    response = JsonResponse(
        build_manifest(request, issue),
        content_type=f'application/ld+json;profile="{IIIF_CONTEXT}"',
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
