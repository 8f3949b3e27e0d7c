"""Articles while a format assembles them, and what a format hands back to the parser."""

from __future__ import annotations

from dataclasses import dataclass, field

from .shapes import is_terminated, strip_inline_credit


@dataclass
class ArticleDraft:
    title: str
    subtitle: str = ""
    section: str = ""
    byline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    open_paragraph: bool = False  # last paragraph was cut by a page break
    last_was_heading: bool = False

    def add_heading(self, text: str) -> None:
        """A subheading inside a feature page: a paragraph of its own that never absorbs the next block."""
        self.paragraphs.append(text)
        self.open_paragraph = False
        self.last_was_heading = True

    def add_text(self, text: str) -> None:
        """Append a paragraph, or glue it to the previous one if that was cut mid-sentence."""
        text, credit = strip_inline_credit(text)
        if credit and not self.byline:
            self.byline = credit
        if not text:
            return
        if self.paragraphs and self.open_paragraph:
            self.paragraphs[-1] += text
        else:
            self.paragraphs.append(text)
        self.open_paragraph = not is_terminated(self.paragraphs[-1])
        self.last_was_heading = False


@dataclass
class Assembled:
    """One text as a format read it: article drafts, brief item texts, and the issue's names.

    ``date_from_text``: without a masthead date, the issue is dated by the
    latest event its text reports. ``expects_publication``: a missing
    periodical name is worth a review note.
    """

    kind: str
    drafts: list[ArticleDraft]
    briefs: list[str]
    title: str
    publication: str = ""
    publisher: str = ""
    subject_city: str = ""
    date_from_text: bool = False
    expects_publication: bool = False
