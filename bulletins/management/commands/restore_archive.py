"""``manage.py restore_archive FILE``: replace the archive database's contents with a backup.

Why ``--clean --if-exists --single-transaction``: every table in the backup is
dropped and recreated, and the whole restore is one transaction, so a restore
that fails half-way (a damaged file, a lost connection) leaves the database as
it was instead of half-restored. The originals and page images come back
from ``FILE.originals.tar`` when the backup has one.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from bulletins.database_tools import client_tool, describe, libpq_env, run_tool
from bulletins.stored_files import read_tar, tar_path

MAGIC = b"PGDMP"


def forget_cached_state() -> None:
    """A restored archive gets a new epoch and an empty cache: its version number was used before.

    Cached counts are keyed by the archive's version (bulletins/caching.py); after a
    restore, the next change would reach a version number the archive already had with
    other contents, and a shared cache (Redis) could still hold that version's counts.
    """
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE bulletins_archive_state SET epoch = gen_random_uuid()")
    cache.clear()


class Command(BaseCommand):
    help = "用 pg_restore 从 backup_archive 生成的备份文件恢复档案数据库（覆盖现有内容）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（backup_archive 生成的 .dump 文件）。")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="不询问确认，直接覆盖。",
        )

    def handle(self, *args, **options):
        path = Path(options["file"]).expanduser()
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        try:
            with path.open("rb") as handle:
                magic = handle.read(len(MAGIC))
        except OSError as exc:
            raise CommandError(f"无法读取备份文件 {path}：{exc.strerror or exc}") from exc
        if magic != MAGIC:
            raise CommandError(f"{path} 不是 pg_dump 自定义格式的备份（请用 backup_archive 生成的文件）。")
        env = libpq_env()
        if options["interactive"]:
            answer = input(f"这会用 {path} 覆盖数据库 {describe(env)} 的全部内容。确定吗？输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消恢复。")
        # Close this process's own connections so they hold no locks on the tables being replaced.
        connections.close_all()
        args = [
            client_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            env["PGDATABASE"],
            str(path),
        ]
        run_tool(args, env, f"恢复到 {describe(env)} ")
        forget_cached_state()
        files = read_tar(tar_path(path)) if tar_path(path).is_file() else None
        if options["verbosity"] >= 1:
            if files is not None:
                self.stdout.write(self.style.SUCCESS(f"已从 {tar_path(path)} 恢复原件和页面图像 {files} 个文件"))
            from bulletins.models import Article, BriefItem, Issue

            counts = f"期刊 {Issue.objects.count()}，文章 {Article.objects.count()}，简讯 {BriefItem.objects.count()}"
            self.stdout.write(self.style.SUCCESS(f"已从 {path} 恢复 {describe(env)}：{counts}"))
