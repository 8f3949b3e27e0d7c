"""``manage.py backup_archive [--output FILE]``: a pg_dump of the archive database (custom format).

Why pg_dump -Fc: one compressed file holding schema and data (editors' changes
included, since ``edited_fields`` is an ordinary column) that ``pg_restore`` can
replay into an empty or an existing database. The client tools bundled with the
embedded server (PostgreSQL 16) are used for ``DATABASE_URL`` too: a newer
pg_dump can dump an older server, and nothing needs installing.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


def default_output(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now()
    return BACKUP_DIR / f"archive-{now:%Y%m%d-%H%M%S}.dump"


def client_tool(name: str) -> str:
    """The bundled client tool, else one on PATH (``ARCHIVE_PG_BIN`` names another folder)."""
    folder = os.environ.get("ARCHIVE_PG_BIN")
    if folder:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
        raise CommandError(f"ARCHIVE_PG_BIN={folder} 中没有 {name}。")
    try:
        from archive import embedded_db

        candidate = Path(embedded_db.bin_path(name))
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise CommandError(f"找不到 {name}：请安装 PostgreSQL 客户端，或用 ARCHIVE_PG_BIN 指定其所在目录。")
    return found


def libpq_env(alias: str = "default") -> dict[str, str]:
    """The database of ``alias`` as libpq environment variables (keeps the password out of the process list)."""
    db = connections[alias].settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGDATABASE"] = db["NAME"]
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if db.get(key):
            env[var] = str(db[key])
    options = db.get("OPTIONS") or {}
    for key, var in (("host", "PGHOST"), ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(key):
            env[var] = str(options[key])
    env["PGCONNECT_TIMEOUT"] = str(options.get("connect_timeout", 10))
    return env


def describe(env: dict[str, str]) -> str:
    where = env.get("PGHOST", "localhost") + (f":{env['PGPORT']}" if env.get("PGPORT") else "")
    return f"{env['PGDATABASE']}（{where}）"


def run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise CommandError(f"{what}失败：无法运行 {args[0]}（{exc.strerror or exc}）") from exc
    if result.returncode != 0:
        detail = "\n".join(line for line in result.stderr.strip().splitlines()[-5:])
        raise CommandError(f"{what}失败（{Path(args[0]).name} 退出码 {result.returncode}）：\n{detail}")


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
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"已备份 {describe(env)} 到 {output}（{size / 1024:.0f} KB）"))
