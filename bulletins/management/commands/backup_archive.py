"""``manage.py backup_archive [--output FILE]``: a pg_dump of the archive database, and its stored files.

The originals and page images go into ``FILE.originals.tar`` beside the dump
(:mod:`bulletins.stored_files`).

Why pg_dump -Fc: one compressed file holding schema and data (editors' changes
included, since ``edited_fields`` is an ordinary column) that ``pg_restore`` can
replay into an empty or an existing database. The client tools bundled with the
embedded server (PostgreSQL 16) are used for ``DATABASE_URL`` too: a newer
pg_dump can dump an older server, and nothing needs installing.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bulletins.database_tools import client_tool, describe, libpq_env, run_tool
from bulletins.stored_files import tar_path, write_tar

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


def default_output(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now()
    return BACKUP_DIR / f"archive-{now:%Y%m%d-%H%M%S}.dump"


class Command(BaseCommand):
    help = "用 pg_dump 备份档案数据库（自定义格式），默认写到 backups/archive-年月日-时分秒.dump。"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="备份文件路径（默认：backups/archive-YYYYmmdd-HHMMSS.dump）。")

    def handle(self, *args, **options):
        output = Path(options["output"]).expanduser() if options["output"] else default_output()
        output = output.resolve()
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法写入 {output}：{exc.strerror or exc}") from exc
        if output.is_dir():
            raise CommandError(f"无法写入 {output}：这是一个文件夹。")
        env = libpq_env()
        # Write next to the target and rename at the end: a failed dump never looks like a backup.
        partial = output.with_name(output.name + ".partial")
        args = [client_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)]
        args.append(f"--exclude-table-data={settings.CACHE_TABLE}")  # cached counts: recomputed, not restored
        try:
            run_tool(args, env, f"备份 {describe(env)} ")
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        size = output.stat().st_size
        files = write_tar(tar_path(output))
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"已备份 {describe(env)} 到 {output}（{size / 1024:.0f} KB）"))
            self.stdout.write(self.style.SUCCESS(f"已备份原件和页面图像 {files} 个文件到 {tar_path(output)}"))
