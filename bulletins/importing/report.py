"""The import report: one line per file and the totals, as ``import_bulletins`` prints them (no Django)."""

from __future__ import annotations

from .outcome import Outcome, StoreResult

LABELS = {
    Outcome.CREATED: "导入",
    Outcome.UPDATED: "更新",
    Outcome.UNCHANGED: "未变",
    Outcome.FAILED: "失败",
    Outcome.CHECKED: "检查",
}


def result_line(result: StoreResult) -> str:
    """What happened to one file that was written or checked, with the editor's changes kept or why it was skipped."""
    line = f"{LABELS[result.outcome]} {result.source}: {result.title}（文章 {result.articles}，简讯 {result.briefs}）"
    if result.kept:
        line += "；保留编辑改动：" + "、".join(result.kept)
    if result.message:
        line += f"；{result.message}"
    return line


def summarise(results: list[StoreResult], *, dry_run: bool) -> dict:
    """The totals and every result, as the ``--json`` report gives them."""
    counts = {outcome: sum(r.outcome is outcome for r in results) for outcome in Outcome}
    written = [r for r in results if r.outcome in (Outcome.CREATED, Outcome.UPDATED)]
    return {
        "files": {str(k): v for k, v in counts.items()},
        "issues": len(written),
        "articles": sum(r.articles for r in written),
        "briefs": sum(r.briefs for r in written),
        "dry_run": dry_run,
        "results": [r.as_dict() for r in results],
    }


def summary_line(summary: dict) -> str:
    """The closing line of a run."""
    files = summary["files"]
    line = (
        f"文件：导入 {files[Outcome.CREATED]}，更新 {files[Outcome.UPDATED]}，"
        f"未变 {files[Outcome.UNCHANGED]}，失败 {files[Outcome.FAILED]}"
    )
    if summary["dry_run"]:
        line += f"，检查 {files[Outcome.CHECKED]}（试运行，未写入）"
    return line + f"；写入期刊 {summary['issues']}，文章 {summary['articles']}，简讯 {summary['briefs']}"
