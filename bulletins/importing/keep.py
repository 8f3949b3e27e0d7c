"""Keeping an imported original and its rendered pages through Django's storage (``STORAGES["default"]``).

Why names made from the SHA-256: the same bytes always land on the same name,
so a re-import, a retried transaction or a second issue from the same file
writes nothing twice, and a file left over by a rolled-back transaction is
simply found again by the next import of that file. Storage writes are not
part of the database transaction; the rows that point to them are.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ..models import Issue, Page
from .prepare import PreparedFile

EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "html"}


def original_name(sha256: str, kind: str) -> str:
    return f"files/{sha256[:2]}/{sha256}.{EXTENSIONS[kind]}"


def page_names(sha256: str, number: int, fmt: str) -> tuple[str, str]:
    return f"pages/{sha256}/{number:04d}.{fmt}", f"pages/{sha256}/{number:04d}-thumb.{fmt}"


def _save(name: str, data: bytes) -> str:
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name


def keep_original(issue_id: int, prepared: PreparedFile) -> int:
    """Store the original and its page images, point the issue at them, and replace its page rows.

    Returns the number of pages. Called inside the file's transaction, after
    the issue's rows are written; a plain-text import keeps no original.
    """
    name = _save(original_name(prepared.sha256, prepared.kind), prepared.original)
    Issue.objects.filter(pk=issue_id).update(original=name, original_kind=prepared.kind)
    Page.objects.filter(issue_id=issue_id).delete()
    rows = []
    for page in prepared.pages:
        image_name, thumb_name = page_names(prepared.sha256, page.number, page.format)
        rows.append(
            Page(
                issue_id=issue_id,
                number=page.number,
                width=page.width,
                height=page.height,
                image=_save(image_name, page.screen),
                thumbnail=_save(thumb_name, page.thumbnail),
            )
        )
    Page.objects.bulk_create(rows)
    return len(rows)
