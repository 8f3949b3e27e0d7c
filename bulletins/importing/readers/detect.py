"""Decide what an original is from its bytes; the file name only has to agree.

Why content first: operators rename files, save web pages as ``.pdf`` and
receive Word files called ``.doc``. Trusting the extension would hand a zip to
the PDF reader and report a confusing "damaged PDF"; the bytes say at once
what the file is, and a mismatch is named as such.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from .base import CorruptOriginal, NotThisKind

__all__ = ["EXTENSIONS", "KIND_NAMES", "detect_kind"]

# The extensions each kind may carry.
EXTENSIONS = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "html": (".html", ".htm", ".xhtml", ".shtml"),
    "text": (".txt", ".text", ".md"),
}
KIND_NAMES = {"pdf": "PDF 文件", "docx": "Word（DOCX）文件", "html": "网页（HTML）", "text": "文本文件"}
_HTML_RE = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset", re.IGNORECASE)


def _sniff(data: bytes) -> str:
    head = data[:1024]
    if head.lstrip(b"\x00\t\n\r \xef\xbb\xbf").startswith(b"%PDF-") or b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # the old binary .doc / .xls
    if _HTML_RE.search(data[:4096].lstrip()[:4096]):
        return "html"
    return "text"


def detect_kind(data: bytes, name: str) -> str:
    """Return "pdf", "docx", "html" or "text" for ``data``, or raise :class:`NotThisKind` naming the file.

    A file without a known extension is taken for what its content is; one
    with a known extension must match it (an HTML page saved as ``.txt`` is
    read as text: its tags would then be visible, so it is refused too).
    """
    display = PurePath(name).name or name
    suffix = PurePath(name).suffix.lower()
    claimed = next((kind for kind, exts in EXTENSIONS.items() if suffix in exts), None)
    if suffix == ".doc":
        raise NotThisKind(display, "旧版 Word（.doc）文件不受支持，请另存为 .docx 或 PDF")
    if not data:
        raise CorruptOriginal(display, "文件为空")
    kind = _sniff(data)
    if kind == "ole":
        raise NotThisKind(display, "旧版 Office 二进制文件（.doc/.xls）不受支持，请另存为 .docx 或 PDF")
    if kind == "zip":
        raise NotThisKind(display, "是压缩包而不是 Word（DOCX）文件")
    if claimed is None or claimed == kind:
        return kind
    if claimed == "pdf":
        raise NotThisKind(display, f"扩展名是 .pdf，但内容不是 PDF（是{KIND_NAMES[kind]}）")
    raise NotThisKind(display, f"扩展名是 {suffix}，但内容是{KIND_NAMES[kind]}")
