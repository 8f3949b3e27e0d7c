"""PDF import throughput against bare text extraction with pypdfium2, on the same files, in one run.

    .venv/bin/python bench/pdf_import_bench.py [--copies 2] [--workers 1 2]

The files: the test originals drawn with reportlab (tests/originals.py), the
five seeds and a bulletin of our own with a two-column page, ``--copies``
times, each copy with its issue numbers moved on so that every file is a new
issue (written to bench/out/pdf-import/). Baseline: PDFium's plain text
(``PdfTextPage.get_text_range``) of every page, one process. Then, for each
``--workers`` value, the archive tables are emptied and ``run.import_paths``
imports the files (what ``import_bulletins --workers N`` runs: read the layout
in a bounded child process, render every page to a WebP screen image and
thumbnail, parse, analyse, store the original and the images, write the rows).
Figures in pages per second. Originals go to bench/out/pdf-import-originals/.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench.common import OUT, machine, setup_django  # noqa: E402

FOLDER = OUT / "pdf-import"
STORAGE = OUT / "pdf-import-originals"
_NUMBER_RE = re.compile(r"第( *)(\d+)( *)期")


def build_files(copies: int) -> list[Path]:
    """The reportlab originals, ``copies`` times, each copy numbered apart; returns their paths."""
    from originals import own_items, own_two_column_from, reportlab_pdf
    from test_readers import items_of

    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    sources = [(prefix, items_of(prefix), None) for prefix in ("000", "001", "002", "003", "004")]
    own = own_items()
    sources.append(("own", own, own_two_column_from(own) - 2))
    paths = []
    for copy in range(copies):

        def renumber(match, copy=copy):
            return f"第{match[1]}{int(match[2]) + 1000 * copy}{match[3]}期"

        for label, items, two in sources:
            moved = [dataclasses.replace(item, text=_NUMBER_RE.sub(renumber, item.text)) for item in items]
            path = FOLDER / f"{label}-{copy}.pdf"
            path.write_bytes(reportlab_pdf(moved, running_head=f"简报 {copy}", two_column_from=two))
            paths.append(path)
    return paths


def bare_pdfium(data: list[bytes]) -> tuple[float, int]:
    """(seconds, pages) of PDFium's plain text extraction over every page of every file."""
    import pypdfium2 as pdfium

    pages = 0
    started = time.perf_counter()
    for blob in data:
        document = pdfium.PdfDocument(blob)
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return time.perf_counter() - started, pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=2, help="copies of the six originals (each a new issue)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)

    shutil.rmtree(STORAGE, ignore_errors=True)
    os.environ["ARCHIVE_ORIGINALS_ROOT"] = str(STORAGE)
    url = setup_django()
    from bench.import_bench import empty_archive
    from bulletins.importing import run, store
    from bulletins.importing.prepare import warm_up

    paths = build_files(args.copies)
    data = [p.read_bytes() for p in paths]
    print(f"machine: {machine()}")
    print(f"database: {url}")
    seconds, pages = bare_pdfium(data)
    print(f"files: {len(paths)} PDFs, {pages} pages, {sum(map(len, data)) / 1e6:.2f} MB ({FOLDER})")
    print(f"bare pypdfium2 text extraction (1 process): {seconds:.2f} s, {pages / seconds:.1f} pages/s", flush=True)
    warm_up(store.topic_taxonomy())
    for workers in args.workers:
        empty_archive()
        started = time.perf_counter()
        results = run.import_paths(paths, workers=workers)
        elapsed = time.perf_counter() - started
        outcomes: dict[str, int] = {}
        for result in results:
            outcomes[str(result.outcome)] = outcomes.get(str(result.outcome), 0) + 1
        print(
            f"import --workers {workers}: {elapsed:.2f} s, {pages / elapsed:.2f} pages/s "
            f"({pages / elapsed / (pages / seconds):.3f} of bare extraction), {outcomes}",
            flush=True,
        )
    empty_archive()


if __name__ == "__main__":
    main()
