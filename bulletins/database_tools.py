"""The PostgreSQL client tools (pg_dump, pg_restore) as the backup and restore commands run them.

Why a module of its own: both commands need the same tool look-up and the
same connection environment, and a command should not import another.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections


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
