"""The bulletin formats the parser knows, in the order they are tried.

A format is a module with ``KIND`` (stored as ``ParsedIssue.kind``),
``detect(head, blocks)`` (is this text in my format?) and
``assemble(head, blocks, full_text)`` (its articles and brief items, as an
:class:`~bulletins.parsing.drafts.Assembled`). To add a format, write such a
module in this package and list it here before the formats it should win over;
``feature_page`` accepts every text, so it stays last.
"""

from __future__ import annotations

from types import ModuleType

from ..blocks import Block
from ..masthead import Masthead
from . import feature_page, numbered_issue

FORMATS: tuple[ModuleType, ...] = (numbered_issue, feature_page)


def find_format(head: Masthead, blocks: list[Block]) -> ModuleType:
    """The first format that recognises the text."""
    for candidate in FORMATS:
        if candidate.detect(head, blocks):
            return candidate
    raise LookupError("no bulletin format accepts this text")  # unreachable while feature_page is listed
