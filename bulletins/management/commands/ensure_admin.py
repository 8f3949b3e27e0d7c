"""``manage.py ensure_admin``: make sure someone can log into the admin, without a fixed password."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "若没有超级用户，创建 admin 并打印一次性随机密码；否则说明如何进入后台。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="新建超级用户的用户名（默认 admin）。")

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("后台账号已存在。忘记密码时运行：.venv/bin/python manage.py changepassword <用户名>")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(options["username"], email="", password=password)
        self.stdout.write(
            self.style.WARNING(
                f"已创建后台账号 {options['username']}，密码：{password}\n"
                "（只显示这一次；请登录后修改，或运行 manage.py changepassword 重设。）"
            )
        )
