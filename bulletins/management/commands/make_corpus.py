"""``manage.py make_corpus --issues N --out DIR``: a deterministic synthetic corpus for the benchmarks."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成确定性的合成简报语料（由种子文件重组），供基准测试导入。同一种子生成相同字节。"

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, required=True, help="期数（每期约 10 篇文章）。")
        parser.add_argument("--out", required=True, help="输出文件夹（每 1000 期一个子文件夹，另有 manifest.tsv）。")
        parser.add_argument("--seed", type=int, default=None, help="随机种子（默认固定值）。")
        parser.add_argument("--start", type=int, default=0, help="第一期的序号（用于分批生成）。")

    def handle(self, *args, **options):
        if options["issues"] < 1:
            raise CommandError("--issues 必须至少为 1。")
        base = str(Path(settings.BASE_DIR))
        if base not in sys.path:
            sys.path.insert(0, base)
        from bench import corpus

        seed = corpus.DEFAULT_SEED if options["seed"] is None else options["seed"]
        started = time.perf_counter()
        totals = corpus.write_corpus(options["out"], options["issues"], seed, start=options["start"])
        elapsed = time.perf_counter() - started
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"写入 {totals['files']} 期到 {options['out']}："
                    f"文章 {totals['articles']}，简讯 {totals['briefs']}，"
                    f"{totals['bytes'] / 1e6:.1f} MB，用时 {elapsed:.1f} 秒（种子 {seed}）"
                )
            )
