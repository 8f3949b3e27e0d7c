"""``manage.py import_bulletins PATH...``: load bulletin text files into the archive."""

from __future__ import annotations

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bulletins import services, warmup
from bulletins.services import Outcome

LABELS = {
    Outcome.CREATED: "导入",
    Outcome.UPDATED: "更新",
    Outcome.UNCHANGED: "未变",
    Outcome.FAILED: "失败",
    Outcome.CHECKED: "检查",
}


class Command(BaseCommand):
    help = "导入简报纯文本文件（文件或文件夹，文件夹内递归查找 *.txt）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="要导入的文件或文件夹。")
        parser.add_argument("--dry-run", action="store_true", help="只解析并报告，不写入数据库。")
        parser.add_argument("--force", action="store_true", help="重新解析已导入的文件（编辑改过的字段仍然保留）。")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="解析、分词并写入数据库的进程数（默认：全部核心；1 表示本进程分词，另一进程写入）。",
        )
        parser.add_argument("--json", action="store_true", help="在标准输出打印机器可读的 JSON 报告。")
        parser.add_argument("--max-bytes", type=int, default=None, help="单个文件的大小上限（字节，默认 20 MB）。")

    def handle(self, *paths, **options):
        if options["workers"] < 1:
            raise CommandError("--workers 必须至少为 1。")
        files, missing = services.collect_paths(options["paths"])
        if not files and missing:
            raise CommandError("找不到要导入的文件：" + "、".join(r.source for r in missing))
        verbosity = options["verbosity"]
        as_json = options["json"]
        show_bar = not as_json and verbosity >= 1 and sys.stderr.isatty()
        bar = tqdm(total=len(files), unit="文件", disable=not show_bar, file=sys.stderr)

        articles_seen = 0

        def report(result: services.StoreResult) -> None:
            nonlocal articles_seen
            articles_seen += result.articles
            bar.update(1)
            bar.set_postfix_str(f"文章 {articles_seen} · {result.source[-30:]}", refresh=False)
            if as_json:
                return
            if result.outcome is Outcome.FAILED:
                bar.write(self.style.ERROR(f"{result.source}: {result.message}"), file=self.stderr._out)
            elif verbosity >= 2 or (verbosity >= 1 and result.kept):
                line = (
                    f"{LABELS[result.outcome]} {result.source}: {result.title}"
                    f"（文章 {result.articles}，简讯 {result.briefs}）"
                )
                if result.kept:
                    line += "；保留编辑改动：" + "、".join(result.kept)
                bar.write(line, file=self.stdout._out)

        for result in missing:
            report(result)
        try:
            results = missing + services.import_paths(
                files,
                force=options["force"],
                dry_run=options["dry_run"],
                workers=options["workers"],
                max_bytes=options["max_bytes"],
                on_result=report,
            )
        except RuntimeError as exc:  # a helper process died (killed, out of memory): stop, and say what holds
            bar.close()
            raise CommandError(f"{exc}。已写入的期刊完整保留；再次运行同一命令即可继续导入其余文件。") from exc
        bar.close()
        counts = {outcome: sum(r.outcome is outcome for r in results) for outcome in Outcome}
        written = [r for r in results if r.outcome in (Outcome.CREATED, Outcome.UPDATED)]
        if written:
            warmup.warm_archive()  # the first visitor after this import finds every page's counts ready
        summary = {
            "files": {str(k): v for k, v in counts.items()},
            "issues": len(written),
            "articles": sum(r.articles for r in written),
            "briefs": sum(r.briefs for r in written),
            "dry_run": options["dry_run"],
            "results": [r.as_dict() for r in results],
        }
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        elif verbosity >= 1:
            line = (
                f"文件：导入 {counts[Outcome.CREATED]}，更新 {counts[Outcome.UPDATED]}，"
                f"未变 {counts[Outcome.UNCHANGED]}，失败 {counts[Outcome.FAILED]}"
            )
            if options["dry_run"]:
                line += f"，检查 {counts[Outcome.CHECKED]}（试运行，未写入）"
            line += f"；写入期刊 {summary['issues']}，文章 {summary['articles']}，简讯 {summary['briefs']}"
            style = self.style.ERROR if counts[Outcome.FAILED] else self.style.SUCCESS
            self.stdout.write(style(line))
        if counts[Outcome.FAILED]:
            sys.exit(1)
