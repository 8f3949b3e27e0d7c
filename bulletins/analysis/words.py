"""Word-level helpers shared by the analysis modules."""

from __future__ import annotations

import re
import threading

# Per-process caches keyed by word stop growing at this many entries (memory stays bounded on any corpus).
WORD_CACHE_SIZE = 300_000
# Held while a process-wide table (the segmenter, the IDF table) is loaded on first use.
LOAD_LOCK = threading.Lock()
# True for a string with at least one letter, digit or CJK character.
HAS_WORD = re.compile(r"[^\W_]").search


def wordset(text: str) -> frozenset[str]:
    """Whitespace-separated word lists kept readable as data."""
    return frozenset(text.split())
