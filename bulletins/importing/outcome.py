"""What happened to one file: shared by the batch, the writes and the command's report (no Django)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    CHECKED = "checked"  # --dry-run: parsed and analysed, nothing written


@dataclass
class StoreResult:
    """What happened to one file; the command turns a list of these into its report."""

    source: str
    outcome: Outcome
    issue_id: int | None = None
    title: str = ""
    articles: int = 0
    briefs: int = 0
    kept: list[str] = field(default_factory=list)
    message: str = ""
    parsed: dict | None = None  # --dry-run: everything parsed and analysed (see bulletins.dry_run)

    def as_dict(self) -> dict:
        extra = {} if self.parsed is None else {"parsed": self.parsed}
        return {
            "source": self.source,
            "outcome": str(self.outcome),
            "issue_id": self.issue_id,
            "title": self.title,
            "articles": self.articles,
            "briefs": self.briefs,
            "kept_editor_fields": self.kept,
            "message": self.message,
        } | extra
