"""What ``import_bulletins --dry-run --json`` reports for each file it checked.

Why every field: the report is the reference output of the parse and analysis
steps (masthead, review notes, each article and brief item with its tokens,
keywords, organisations and topics), so two versions of the code can be
compared on the same files byte for byte (``bench/dump_import.py``).
Pure Python: it runs in the import's worker processes like the rest of the
preparation.
"""

from __future__ import annotations

import dataclasses
import datetime


def prepared_as_dict(prepared) -> dict:
    """A prepared file (see ``PreparedFile``) as JSON-ready data; text and original bytes left out, the hash in."""
    pages = len(prepared.pages)
    data = _plain(dataclasses.asdict(prepared))
    data.pop("raw_text", None)
    data.pop("original", None)
    data["pages"] = pages
    return data


def _plain(value):
    """Dataclass dumps made JSON-ready: dates as ISO strings, tuples as lists."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
