"""``manage.py warm_archive``: compute the whole-archive counts into the shared cache now.

``import_bulletins`` and the admin do this themselves after a change; this is for
after a deployment, a migration or a restore, when nothing was imported.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bulletins import warmup


class Command(BaseCommand):
    help = "预先计算首页与各列表的统计，存入共享缓存（导入与后台修改之后会自动进行）。"

    def handle(self, *args, **options):
        if not warmup.cache_is_shared():
            raise CommandError("当前缓存不是共享缓存（未配置或仅限本进程），预先计算对其他进程无效。")
        computed = warmup.warm_archive()
        if options["verbosity"] >= 1:
            for path, n in computed.items():
                self.stdout.write(f"{path}: 计算 {n} 项")
            self.stdout.write(self.style.SUCCESS(f"已预先计算 {len(computed)} 个页面的统计。"))
