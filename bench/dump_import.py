"""Dump what the importer parses and analyses, to compare two versions of the code byte for byte.

    DATABASE_URL=postgres://… .venv/bin/python bench/dump_import.py OUT_DIR [--corpus-issues 1000]

Runs ``manage.py import_bulletins --dry-run --json --force --workers 1`` (nothing is
written; one process, so results come in file order) on three inputs and writes
each report to ``OUT_DIR``:

* ``seeds.json``: the five seed bulletins;
* ``corpus.json``: a ``make_corpus`` folder (1,000 issues unless told otherwise),
  generated into ``OUT_DIR/corpus/``;
* ``encodings.json``: the seeds re-encoded (GB18030, Big5 after traditional
  conversion, UTF-16, UTF-8 with BOM, CRLF line ends), for the decoding step.

The database only supplies the topic taxonomy; use the same database for both runs.
Compare with ``diff -r BEFORE AFTER`` (the generated corpus is identical too).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def manage(*args: str) -> bytes:
    """Run one management command in a fresh interpreter; its stdout, or exit with its error."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, env=os.environ)
    if result.returncode not in (0, 1):  # 1: some file failed, which the report itself shows
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr.decode(errors='replace')}")
    return result.stdout


def dump(path: Path, out: Path) -> None:
    """One report, with the output folder and the project folder written as ``$OUT`` and ``$ROOT``.

    Why: the report names each file by its full path, and two runs compared
    with each other write to different folders (or run from different checkouts).
    """
    report = manage("import_bulletins", str(path), "--dry-run", "--json", "--force", "--workers", "1")
    report = report.replace(str(out.parent).encode(), b"$OUT").replace(str(ROOT).encode(), b"$ROOT")
    out.write_bytes(report)
    print(f"{out}: {out.stat().st_size:,} bytes")


def write_encodings(folder: Path) -> None:
    """Every seed in several encodings and line-end styles (deterministic bytes)."""
    from opencc import OpenCC

    folder.mkdir(parents=True, exist_ok=True)
    to_traditional = OpenCC("s2t")
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        variants = {
            "gb18030": text.encode("gb18030"),
            "big5": to_traditional.convert(text).encode("big5", errors="ignore"),
            "utf16": text.encode("utf-16"),
            "bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
            "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        }
        for name, data in variants.items():
            (folder / f"{seed.stem}_{name}.txt").write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus-issues", type=int, default=1000)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    dump(SEEDS, out / "seeds.json")
    write_encodings(out / "encodings")
    dump(out / "encodings", out / "encodings.json")
    corpus = out / "corpus"
    if not corpus.exists():
        manage("make_corpus", "--issues", str(args.corpus_issues), "--out", str(corpus), "-v0")
    dump(corpus, out / "corpus.json")


if __name__ == "__main__":
    main()
