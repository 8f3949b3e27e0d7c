"""Tables derived from dictionary files (jieba's words, its IDF weights), kept ready to load in a cache file.

Why: every import worker used to rebuild them from the text files (jieba's
prefix dictionary 1-2 s, the IDF table 0.4-0.7 s) before its first file, and
with ``--workers 2`` that start-up was a tenth of a 1,000-issue import. A
file of the finished table (plain words and numbers, nothing that is ever
executed, unlike a pickle in a shared temporary folder) loads in a fraction of that. The file
name carries a digest of its sources' paths, sizes and modification times, so
an edited dictionary is read afresh; the file is written under a temporary name
and renamed, so a process never reads half of one.
"""

from __future__ import annotations

import array
import hashlib
import os
import struct
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Bump when the shape of a cached table changes.
FORMAT = 1


def cache_dir() -> str:
    """A writable directory for jieba's and these tables' cache files (``JIEBA_CACHE_DIR`` overrides)."""
    wanted = os.environ.get("JIEBA_CACHE_DIR") or tempfile.gettempdir()
    try:
        os.makedirs(wanted, exist_ok=True)
        if os.access(wanted, os.W_OK):
            return wanted
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="jieba-")


def _stamp(name: str, sources: Sequence[Path | None]) -> str:
    parts = [name, str(FORMAT)]
    for source in sources:
        if source is None:
            parts.append("-")
            continue
        try:
            stat = os.stat(source)
            parts.append(f"{Path(source).resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{source}:missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def _cached(name: str, sources: Sequence[Path | None], build: Callable[[], bytes], decode: Callable[[bytes], T]) -> T:
    """``decode`` of the bytes ``build()`` makes from ``sources``: from the cache file when one matches them
    and decodes; else built, written for the next process, and decoded."""
    path = Path(cache_dir()) / f"archive-{name}-{_stamp(name, sources)}.table"
    try:
        with open(path, "rb") as fh:
            return decode(fh.read())
    except (OSError, ValueError):
        pass  # missing, unreadable, or damaged (ValueError from decode): built again
    data = build()
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only cache folder: the table is simply built again next time
    return decode(data)


def cached_words(name: str, sources: Sequence[Path | None], build: Callable[[], list[str]]) -> list[str]:
    """A word list derived from ``sources``, kept as UTF-8 lines (nothing in the file is ever executed)."""

    def decode(data: bytes) -> list[str]:
        return data.decode("utf-8").split("\n") if data else []  # UnicodeDecodeError is a ValueError

    return _cached(name, sources, lambda: "\n".join(build()).encode("utf-8"), decode)


def cached_weights(name: str, sources: Sequence[Path | None], build: Callable[[], dict[str, float]]) -> dict:
    """A {word: weight} table derived from ``sources``: a count, the words as UTF-8 lines, the weights as doubles.

    A file that does not add up (truncated, another format) is built again.
    """

    def encode() -> bytes:
        table = build()
        words = "\n".join(table).encode("utf-8")
        return struct.pack("<QQ", len(table), len(words)) + words + array.array("d", table.values()).tobytes()

    def decode(data: bytes) -> dict[str, float]:
        try:
            count, size = struct.unpack_from("<QQ", data)
        except struct.error as exc:
            raise ValueError("truncated") from exc
        words = data[16 : 16 + size].decode("utf-8").split("\n") if count else []
        weights = array.array("d")
        weights.frombytes(data[16 + size :])  # ValueError when not a whole number of doubles
        if not len(words) == count == len(weights):
            raise ValueError("does not add up")
        return dict(zip(words, weights, strict=True))

    return _cached(name, sources, encode, decode)
