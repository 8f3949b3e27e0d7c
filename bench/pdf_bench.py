"""PDF reading: speed and fidelity of the layout reader against bare text extraction, on the same files.

    .venv/bin/python bench/pdf_bench.py [--repeat 3] [--chromium]

The files are the test originals (tests/originals.py): the five seeds and a
bulletin of our own with a two-column page, drawn with reportlab, and with
``--chromium`` also printed by Chromium (two seeds and the own bulletin,
that one with Kangxi radicals in its text). No database needed.

Per engine: pages per second over all files (best of ``--repeat`` runs), and
fidelity: each file's extracted text is parsed and compared with the parse
of the text it was made from, counting the issue fields (publication,
number, date, title) and, per article, title + byline + date + body, and
per brief item text + date, that come out equal (spaces aside).
Engines: PDFium's plain text (pypdfium2), pdfplumber's ``extract_text``
(pdfminer.six underneath, layout analysis included), pdfminer.six's
``extract_text``, this archive's reader in process, and the same reader as the
importer runs it (a bounded child process per file).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def build_files(chromium: bool) -> list[tuple[str, bytes, str]]:
    """(label, pdf bytes, source text) for every test original."""
    from originals import OWN_TEXT, own_items, own_two_column_from, reportlab_pdf, seed_text
    from test_readers import items_of

    files = []
    for prefix in ("000", "001", "002", "003", "004"):
        files.append((f"reportlab {prefix}", reportlab_pdf(items_of(prefix), running_head="简报"), seed_text(prefix)))
    own = own_items()
    two = own_two_column_from(own) - 2
    files.append(
        ("reportlab own 2-col", reportlab_pdf(own, running_head="江城市红十字会简报", two_column_from=two), OWN_TEXT)
    )
    if chromium:
        from originals import chromium_pdf
        from playwright.sync_api import sync_playwright

        radical = str.maketrans({"十": "⼗", "月": "⽉", "日": "⽇"})
        printed = [dataclasses.replace(item, text=item.text.translate(radical)) for item in own]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for prefix in ("000", "004"):
                files.append(
                    (
                        f"chromium {prefix}",
                        chromium_pdf(browser, items_of(prefix), running_head="简报"),
                        seed_text(prefix),
                    )
                )
            files.append(
                (
                    "chromium own 2-col ⼗⽉",
                    chromium_pdf(browser, printed, two_column_from=own_two_column_from(own)),
                    OWN_TEXT,
                )
            )
            browser.close()
    return files


def pdfium_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    pages = []
    for page in document:
        textpage = page.get_textpage()
        pages.append(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return "\n".join(pages).replace("\r\n", "\n")


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def reader_text(data: bytes) -> str:
    from bulletins.importing.readers import read_original

    return read_original(data, "bench.pdf", time_limit=None).text


def bounded_reader_text(data: bytes) -> str:
    from bulletins.importing.readers import read_original

    return read_original(data, "bench.pdf", time_limit=60).text


ENGINES = {
    "pypdfium2 plain text": pdfium_text,
    "pdfplumber extract_text": pdfplumber_text,
    "pdfminer.six extract_text": pdfminer_text,
    "archive reader (in process)": reader_text,
    "archive reader (bounded child)": bounded_reader_text,
}


def _squash(value) -> str:
    return re.sub(r"\s+", "", str(value))


def fidelity(source: str, extracted: str) -> tuple[int, int]:
    """(fields equal, fields compared) between the parse of the source text and of the extracted text."""
    from bulletins.parsing.bulletin import parse_bulletin
    from bulletins.parsing.results import ParseError

    want = parse_bulletin(source)
    try:
        got = parse_bulletin(extracted)
    except ParseError:
        return 0, 4 + len(want.articles) + len(want.briefs)
    equal = sum(
        _squash(getattr(want, f)) == _squash(getattr(got, f)) for f in ("publication", "number", "date", "title")
    )
    have = {(_squash(a.title), _squash(a.byline), a.date, _squash(a.body)) for a in got.articles}
    equal += sum((_squash(a.title), _squash(a.byline), a.date, _squash(a.body)) in have for a in want.articles)
    briefs = {(_squash(b.text), b.date) for b in got.briefs}
    equal += sum((_squash(b.text), b.date) in briefs for b in want.briefs)
    return equal, 4 + len(want.articles) + len(want.briefs)


def main() -> None:
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns about every CJK font without a FontBBox
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", action="store_true", help="also Chromium-printed PDFs")
    args = parser.parse_args()
    import pypdfium2 as pdfium

    files = build_files(args.chromium)
    pages = sum(len(pdfium.PdfDocument(data)) for _, data, _ in files)
    print(f"{len(files)} files, {pages} pages, {sum(len(d) for _, d, _ in files) / 1024:.0f} KiB")
    print(f"{'engine':32} {'pages/s':>8} {'ms/page':>8}  fidelity (fields equal / compared)")
    for name, engine in ENGINES.items():
        engine(files[0][1])  # warm up imports and the fork server
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            texts = [engine(data) for _, data, _ in files]
            best = min(best, time.perf_counter() - start)
        scores = [fidelity(source, text) for (_, _, source), text in zip(files, texts, strict=True)]
        equal, total = sum(s[0] for s in scores), sum(s[1] for s in scores)
        detail = " ".join(f"{s[0]}/{s[1]}" for s in scores)
        speed = f"{pages / best:8.1f} {1000 * best / pages:8.1f}"
        print(f"{name:32} {speed}  {equal}/{total} = {equal / total:.0%}  [{detail}]")


if __name__ == "__main__":
    main()
