"""From a file's bytes to everything the database needs, without touching Django.

Why a separate, Django-free step: it is the expensive part (decoding, parsing,
one jieba pass per text, keywords, organisations, topics) and it runs in worker
processes for ``import_bulletins --workers N``, which load this module before
they set Django up (see :mod:`bulletins.importing.workers`).

The steps: :func:`read_source` (bytes and SHA-256, the one size check) →
:func:`prepare_source` (read the original or decode the text, parse, analyse)
→ a :class:`PreparedFile` that :mod:`bulletins.importing.store` writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.organisations import OrgMention, describe, find_organisations
from ..analysis.segmentation import get_segmenter
from ..chinese_script import normalise
from ..parsing.bulletin import parse_bulletin
from ..parsing.results import ParsedIssue, ParseError
from ..topic_scoring import score_topics
from .originals import ReadLimits, article_pages, read_for_import
from .readers import OriginalError


@dataclass
class SourceFile:
    """One file's bytes and their SHA-256, read once; or why it could not be read."""

    path: str
    name: str
    data: bytes = b""
    sha256: str = ""
    error: str = ""
    limits: ReadLimits = field(default_factory=ReadLimits)


@dataclass
class AnalysedText:
    """Search and classification data of one article or brief item.

    ``segmented`` and ``search_text`` are of the normal form (simplified script,
    see :mod:`bulletins.chinese_script`), whatever script the text is printed in;
    ``search_text`` is empty when the printed text is its own normal form.
    """

    segmented: str
    keywords: list[str]
    organisations: list[OrgMention]
    topics: list[str]
    pages: list[int] = field(default_factory=list)  # of the original, where the text came from a PDF
    search_text: str = ""


@dataclass
class PreparedFile:
    """One parsed and analysed bulletin file, ready to be stored (or a failure)."""

    path: str
    source_name: str
    sha256: str
    raw_text: str = ""
    issue: ParsedIssue | None = None
    publisher: OrgMention | None = None
    articles: list[AnalysedText] = field(default_factory=list)
    briefs: list[AnalysedText] = field(default_factory=list)
    error: str = ""
    kind: str = "text"  # of the original: "text", "pdf", "docx" or "html"
    original: bytes = b""  # the original's bytes, kept by the archive (not for plain text)
    pages: list = field(default_factory=list)  # a PDF's rendered pages (``readers.PageImage``)


def read_source(path: str | Path, *, max_bytes: int, limits: ReadLimits | None = None) -> SourceFile:
    """Read a file's bytes and SHA-256 once; a file over ``max_bytes`` is refused before it is read.

    This is the importer's only size check (the limit is ``settings.IMPORT_MAX_BYTES``,
    passed in by the caller because this module does not import Django), as are
    the ``limits`` of reading an original. Never raises for bad input: the
    reason is in ``.error``.
    """
    path = Path(path)
    source = SourceFile(path=str(path), name=path.name, limits=limits or ReadLimits())
    try:
        size = path.stat().st_size
        if size > max_bytes:
            source.error = f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_bytes / 1024 / 1024:.0f} MB）"
            return source
        source.data = path.read_bytes()
    except OSError as exc:
        source.error = f"无法读取文件：{exc.strerror or exc}"
        return source
    source.sha256 = hashlib.sha256(source.data).hexdigest()
    return source


def _publisher_mention(issue: ParsedIssue) -> OrgMention | None:
    if not issue.publisher:
        return None
    return describe(normalise(issue.publisher))


def analyse_text(
    fields: Sequence[str], *, issue: ParsedIssue, topics: list[dict], region: str = "", keywords: bool
) -> AnalysedText:
    """Normalise and segment once; keywords come from those tokens, topics from where their words stand.

    ``fields`` are the item's texts as printed, in the order the two-character
    index joins them (an article's title, subtitle and body; a brief item's
    text). Everything here reads their normal form, converted once, so a
    bulletin printed in traditional script is indexed, tagged and linked
    exactly like a simplified one.
    """
    printed = " ".join(fields)
    text = normalise(printed)
    segmenter = get_segmenter()
    segmented = segmenter.segmented(text)
    return AnalysedText(
        segmented=" ".join(segmented.tokens),
        keywords=segmenter.keywords(segmented) if keywords else [],
        organisations=find_organisations(
            text,
            publisher=normalise(issue.publisher),
            subject_city=normalise(issue.subject_city),
            region=normalise(region),
        ),
        topics=score_topics("\n".join(filter(None, fields[:-1])), fields[-1], topics),
        search_text="" if text == printed else text,
    )


def prepare_source(source: SourceFile, *, topics: list[dict]) -> PreparedFile:
    """Read (an original) or decode (text), parse and analyse one file read by :func:`read_source`.

    Never raises for bad input: a bad original's reason (no text layer,
    encrypted, too many pages, …) is in ``.error`` like a parse failure's.
    """
    prepared = PreparedFile(path=source.path, source_name=source.name, sha256=source.sha256, error=source.error)
    if source.error:
        return prepared
    try:
        read = read_for_import(source.data, source.name, source.limits)
        issue = parse_bulletin(read.text, source_name=source.name)
    except OriginalError as exc:
        prepared.error = exc.detail
        return prepared
    except ParseError as exc:
        prepared.error = str(exc)
        return prepared
    prepared.raw_text = read.text
    if read.kind != "text":
        prepared.kind, prepared.original, prepared.pages = read.kind, source.data, read.pages
    prepared.issue = issue
    prepared.publisher = _publisher_mention(issue)
    prepared.articles = [
        analyse_text(
            (a.title or "（无标题）", a.subtitle, a.body),
            issue=issue,
            topics=topics,
            region=a.region,
            keywords=True,
        )
        for a in issue.articles
    ]
    prepared.briefs = [analyse_text((b.text,), issue=issue, topics=topics, keywords=False) for b in issue.briefs]
    texts = ["\n".join(filter(None, [a.title, a.body])) for a in issue.articles]
    for analysed, pages in zip(prepared.articles, article_pages(read.paragraphs, texts, len(read.pages)), strict=True):
        analysed.pages = pages
    return prepared


def prepare_file(path: str | Path, *, topics: list[dict], max_bytes: int) -> PreparedFile:
    """:func:`read_source` then :func:`prepare_source`: one file from its path."""
    return prepare_source(read_source(path, max_bytes=max_bytes), topics=topics)


def warm_up(topics: list[dict]) -> None:
    """Load what the first file would otherwise load lazily: jieba, the IDF table, the topic and place tables.

    Why: a worker (or a timed run) should pay these one-time costs (about a
    second) before its first file, not in the middle of the batch.
    """
    issue = ParsedIssue(publication="", publisher="", number=None, date=None, title="")
    analyse_text(
        ("应急救护培训班", "", "湖北省紅十字會在武汉举办应急救护培训班。"), issue=issue, topics=topics, keywords=True
    )
