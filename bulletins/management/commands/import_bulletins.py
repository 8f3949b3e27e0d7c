"""``manage.py import_bulletins PATH...``: load bulletin text files into the archive."""

from __future__ import annotations

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bulletins import caching, warmup
from bulletins.importing.outcome import Outcome, StoreResult
from bulletins.importing.report import result_line, summarise, summary_line
from bulletins.importing.run import collect_paths, import_paths


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

    def handle(self, *paths, **options):
        if options["workers"] < 1:
            raise CommandError("--workers 必须至少为 1。")
        files, missing = collect_paths(options["paths"])
        if not files and missing:
            raise CommandError("找不到要导入的文件：" + "、".join(r.source for r in missing))
        verbosity = options["verbosity"]
        as_json = options["json"]
        show_bar = not as_json and verbosity >= 1 and sys.stderr.isatty()
        bar = tqdm(total=len(files), unit="文件", disable=not show_bar, file=sys.stderr)

        articles_seen = 0

        def report(result: StoreResult) -> None:
            nonlocal articles_seen
            articles_seen += result.articles
            if marking:
                caching.mark_importing()
            bar.update(1)
            bar.set_postfix_str(f"文章 {articles_seen} · {result.source[-30:]}", refresh=False)
            if as_json:
                return
            if result.outcome is Outcome.FAILED:
                bar.write(self.style.ERROR(f"{result.source}: {result.message}"), file=self.stderr._out)
            elif verbosity >= 2 or (verbosity >= 1 and (result.kept or result.message)):
                bar.write(result_line(result), file=self.stdout._out)

        marking = not options["dry_run"]
        if marking:
            caching.mark_importing()  # visitors meanwhile get the counts as they were (bulletins.caching)
        for result in missing:
            report(result)
        try:
            results = missing + import_paths(
                files,
                force=options["force"],
                dry_run=options["dry_run"],
                workers=options["workers"],
                on_result=report,
            )
        except RuntimeError as exc:  # a helper process died (killed, out of memory): stop, and say what holds
            bar.close()
            raise CommandError(f"{exc}。已写入的期刊完整保留；再次运行同一命令即可继续导入其余文件。") from exc
        finally:
            if marking:
                caching.unmark_importing()
        bar.close()
        summary = summarise(results, dry_run=options["dry_run"])
        failed = summary["files"][Outcome.FAILED]
        if summary["issues"]:
            warmup.warm_archive()  # the first visitor after this import finds every page's counts ready
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        elif verbosity >= 1:
            style = self.style.ERROR if failed else self.style.SUCCESS
            self.stdout.write(style(summary_line(summary)))
        if failed:
            sys.exit(1)
