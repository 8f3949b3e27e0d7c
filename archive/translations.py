"""Compile the interface translations (``locale/*/LC_MESSAGES/*.po`` → ``.mo``) in pure Python.

Why not Django's ``compilemessages``: it needs GNU gettext's ``msgfmt``, which a
fresh machine may lack. polib writes the same binary catalogue, so ``make run``
and ``make test`` have the English interface on any machine with Python.
Why no Django import: ``make setup`` runs this before any database exists.

Run as ``python -m archive.translations``; prints each catalogue it (re)wrote.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_all(locale: Path = LOCALE, *, force: bool = False) -> list[Path]:
    """Write each ``.mo`` that is missing or older than its ``.po``; the list of files written."""
    written = []
    for po_path in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            catalogue = polib.pofile(str(po_path))
            untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
            if untranslated:
                raise SystemExit(f"{po_path}: {len(untranslated)} 条未翻译，例如 “{untranslated[0]}”")
            catalogue.save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all(force="--force" in sys.argv):
        print(f"compiled {path.relative_to(LOCALE.parent)}")
