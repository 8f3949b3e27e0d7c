"""Text normalisation shared by every parsing step: line ends, page breaks, full-width forms, spacing."""

from __future__ import annotations

import re

# Control characters removed from the text and counted as a sign of binary content: all but
# \t, \n, \f (a page break, kept as a blank line) and \r (line ends are normalised first).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "\u3000": " ", "\u00a0": " ", "\ufeff": "", "\u200b": ""}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
)
_FULLWIDTH_RUN_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\ufeff\u200b]+")
_HAN_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
_SPACE_RUN_RE = re.compile(r"\s+")


def _halfwidth_run(match: re.Match) -> str:
    return match.group().translate(_FULLWIDTH)


def halfwidth(text: str) -> str:
    """Full-width digits and letters to ASCII.

    Only the runs of full-width characters are translated: ``str.translate``
    looks up every character of the text, and a Chinese text holds few of them.
    """
    return _FULLWIDTH_RUN_RE.sub(_halfwidth_run, text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_lines(text: str) -> list[str]:
    """The text as lines: line ends and page breaks unified, full-width forms folded, control characters gone."""
    text = normalise_newlines(text).replace("\f", "\n\n")
    text = halfwidth(text)
    text = CONTROL_RE.sub("", text)
    return [line.rstrip() for line in text.split("\n")]


def word_list(text: str) -> tuple[str, ...]:
    """Whitespace separated word lists below stay readable (and diffable) this way."""
    return tuple(text.split())


def han_count(text: str) -> int:
    """How many Chinese characters ``text`` holds (counted by runs: a list of every character is slow to build)."""
    return sum(map(len, _HAN_RUN_RE.findall(text)))


def clean_space(text: str) -> str:
    return _SPACE_RUN_RE.sub(" ", text).strip()
