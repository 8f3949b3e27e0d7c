"""Import throughput against bare jieba, measured in the same run.

    .venv/bin/python bench/import_bench.py --issues 300 --workers 1 2

1. Generates (or reuses) a synthetic corpus of ``--issues`` issues (bench/corpus.py).
2. Baseline: bare jieba (``jieba.Tokenizer`` with the archive's user dictionary,
   ``cut_for_search`` with HMM, one process, timed after loading) over the decoded
   text of the same files.
3. For each ``--workers`` value: empties the archive tables, then times
   ``run.import_paths`` over the files (what ``import_bulletins --workers N``
   runs: read, decode, parse, segment, keywords, organisations, topics, write,
   one transaction per file). With one worker the segmenter and the IDF, topic
   and place tables are loaded before the clock starts (like the baseline's
   dictionary); with more, the pool start-up (spawning, Django set-up and
   those loads in every worker) is included.

MB/s are megabytes (10^6 bytes) of source files per second, for both. Targets:
one worker at least 0.7 of bare jieba, all cores at least 1.0 of bare jieba (the
whole import faster than jieba alone on one core). The peak resident memory of
this process and of the largest worker process is printed after each run.
Each run's CPU time is split into this process, the worker processes and the
rest of the machine (the database server, on an otherwise idle machine): what
bounds the import. The last import is left in the database (``--keep-empty`` to empty it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, machine, setup_django

ARCHIVE_TABLES = (
    "bulletins_article_organisations",
    "bulletins_article_topics",
    "bulletins_briefitem_organisations",
    "bulletins_briefitem_topics",
    "bulletins_article",
    "bulletins_briefitem",
    "bulletins_issue",
    "bulletins_publication",
    "bulletins_organisation",
)


def corpus_dir(issues: int, seed: int) -> Path:
    return OUT / f"corpus-{seed}-{issues}"


def ensure_corpus(issues: int, seed: int) -> Path:
    """The corpus folder for (issues, seed), generated on first use (same seed, same bytes)."""
    from bench import corpus

    folder = corpus_dir(issues, seed)
    manifest = folder / "manifest.tsv"
    if manifest.exists():
        with open(manifest, encoding="utf-8") as fh:
            if sum(1 for _ in fh) == issues + 1:
                return folder
    started = time.perf_counter()
    totals = corpus.write_corpus(folder, issues, seed)
    print(
        f"corpus: {totals['files']} issues, {totals['articles']} articles, {totals['briefs']} briefs, "
        f"{totals['bytes'] / 1e6:.1f} MB generated in {time.perf_counter() - started:.1f} s -> {folder}",
        flush=True,
    )
    return folder


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


def empty_archive() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(ARCHIVE_TABLES)} RESTART IDENTITY CASCADE")


def bare_jieba(texts: list[str]) -> tuple[float, float, int]:
    """(load seconds, segmentation seconds, tokens) for jieba's own search mode over ``texts``."""
    import logging

    import jieba

    from bulletins.analysis.segmentation import USER_DICT, cache_dir

    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = cache_dir()
    tokenizer.initialize()
    tokenizer.load_userdict(str(USER_DICT))
    loaded = time.perf_counter() - started
    tokens = 0
    started = time.perf_counter()
    for text in texts:
        tokens += sum(1 for _ in tokenizer.cut_for_search(text, HMM=True))
    return loaded, time.perf_counter() - started, tokens


def peak_memory_mb() -> dict:
    """Peak resident memory (MB) of this process and of the largest child process that has ended."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_main_mb": round(own), "peak_worker_mb": round(children)}


def machine_busy_seconds() -> float | None:
    """CPU seconds every core of the machine has been busy since boot (Linux ``/proc/stat``), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and waiting for I/O
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> tuple[float, float]:
    """(this process, its ended child processes): user + system CPU seconds so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def run_import(paths: list[Path], workers: int) -> tuple[float, dict]:
    """Seconds of one import, and what it did; with where the CPU time went.

    The CPU split says what bounds the run: this process (reading, and with
    one worker preparing), the worker processes (preparing and storing), and
    the rest of the machine's busy time, which on an otherwise idle machine is
    the database server (indexes, search vector, constraint checks).
    """
    from bulletins.importing import run, store
    from bulletins.importing.prepare import warm_up

    empty_archive()
    # jieba and the IDF, topic and place tables are loaded before the clock, like the baseline's dictionary.
    warm_up(store.topic_taxonomy())
    own_before, children_before = cpu_seconds()
    busy_before = machine_busy_seconds()
    started = time.perf_counter()
    results = run.import_paths(paths, workers=workers)
    elapsed = time.perf_counter() - started
    busy_after = machine_busy_seconds()
    own_after, children_after = cpu_seconds()
    outcomes: dict[str, int] = {}
    for r in results:
        outcomes[str(r.outcome)] = outcomes.get(str(r.outcome), 0) + 1
    stats = {
        "outcomes": outcomes,
        "articles": sum(r.articles for r in results),
        "briefs": sum(r.briefs for r in results),
        "failed": [f"{r.source}: {r.message}" for r in results if str(r.outcome) == "failed"][:5],
        "cpu_main_s": round(own_after - own_before, 1),
        "cpu_workers_s": round(children_after - children_before, 1),
    }
    if busy_before is not None and busy_after is not None:
        stats["cpu_rest_s"] = round(busy_after - busy_before - stats["cpu_main_s"] - stats["cpu_workers_s"], 1)
        stats["cpu_available_s"] = round(elapsed * (os.cpu_count() or 1), 1)
    return elapsed, stats


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=300, help="corpus size in issues (about 10 articles each)")
    parser.add_argument("--seed", type=int, default=None, help="corpus seed")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, os.cpu_count() or 1],
        help="worker counts to time (default: 1 and all cores)",
    )
    parser.add_argument("--no-jieba", action="store_true", help="skip the bare jieba baseline")
    parser.add_argument("--keep-empty", action="store_true", help="empty the archive tables at the end")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    url = setup_django()
    from bench import corpus

    seed = corpus.DEFAULT_SEED if args.seed is None else args.seed
    folder = ensure_corpus(args.issues, seed)
    paths = corpus_files(folder)
    data = [p.read_bytes() for p in paths]
    total_bytes = sum(len(d) for d in data)
    mb = total_bytes / 1e6
    print(f"machine: {machine()}")
    print(f"database: {url}")
    print(f"corpus: {len(paths)} files, {mb:.2f} MB ({folder})", flush=True)

    figures: dict = {"issues": len(paths), "megabytes": round(mb, 3), "runs": {}}
    if not args.no_jieba:
        from bulletins.parsing.decoding import decode_bytes

        texts = [decode_bytes(d) for d in data]
        loaded, seconds, tokens = bare_jieba(texts)
        figures["jieba"] = {"load_s": round(loaded, 3), "seconds": round(seconds, 3), "mb_s": round(mb / seconds, 3)}
        print(
            f"bare jieba cut_for_search (HMM, 1 process): {seconds:.2f} s, {mb / seconds:.3f} MB/s, "
            f"{tokens} tokens (load {loaded:.2f} s, not timed)",
            flush=True,
        )

    for workers in args.workers:
        seconds, stats = run_import(paths, workers)
        peak = peak_memory_mb()
        figures["runs"][workers] = {"seconds": round(seconds, 3), "mb_s": round(mb / seconds, 3), **stats, **peak}
        print(
            f"import --workers {workers}: {seconds:.2f} s, {mb / seconds:.3f} MB/s, "
            f"{stats['articles']} articles, {stats['briefs']} briefs, {stats['outcomes']}; peak memory so far: "
            f"this process {peak['peak_main_mb']} MB, largest worker {peak['peak_worker_mb']} MB",
            flush=True,
        )
        if "cpu_rest_s" in stats:
            print(
                f"  CPU: this process {stats['cpu_main_s']} s, workers {stats['cpu_workers_s']} s, rest of the "
                f"machine (the database server) {stats['cpu_rest_s']} s, of {stats['cpu_available_s']} s available",
                flush=True,
            )
        if stats["failed"]:
            print("  failures:", *stats["failed"], sep="\n    ")

    runs = figures["runs"]
    if "jieba" in figures and 1 in runs:
        ratio = runs[1]["mb_s"] / figures["jieba"]["mb_s"]
        figures["ratio_import_1_vs_jieba"] = round(ratio, 3)
        verdict = "met" if ratio >= 0.7 else "MISSED"
        print(f"ratio import(1 worker) / bare jieba: {ratio:.2f}  (target >= 0.70: {verdict})")
    many = max(runs) if runs else 1
    if "jieba" in figures and many > 1:
        ratio = runs[many]["mb_s"] / figures["jieba"]["mb_s"]
        figures["ratio_import_all_vs_jieba"] = round(ratio, 3)
        verdict = "met" if ratio >= 1.0 else "MISSED"
        print(f"ratio import({many} workers) / bare jieba: {ratio:.2f}  (target >= 1.00: {verdict})")
    if 1 in runs and many > 1:
        speedup = runs[many]["mb_s"] / runs[1]["mb_s"]
        figures["speedup_all_cores"] = round(speedup, 3)
        print(f"speed-up --workers {many} over 1: {speedup:.2f}x")
    if args.keep_empty:
        empty_archive()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
