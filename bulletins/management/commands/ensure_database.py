"""``manage.py ensure_database``: create the configured database if the server lacks it.

Why: ``make run`` with ``DATABASE_URL=postgres://…/newname`` should work on a fresh
server as it does with the embedded one (which creates its database itself).
"""

from __future__ import annotations

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql


class Command(BaseCommand):
    help = "若 PostgreSQL 服务器上还没有配置的数据库，就创建它。"

    def handle(self, *args, **options):
        db = connection.settings_dict
        params = {
            key: value
            for key, value in {
                "host": db["HOST"],
                "port": db["PORT"],
                "user": db["USER"],
                "password": db["PASSWORD"],
            }.items()
            if value
        }
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **params) as conn:
                if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
                    return
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        except psycopg.Error as exc:
            raise CommandError(f"无法连接数据库服务器或创建数据库 {db['NAME']}：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已创建数据库 {db['NAME']}。"))
