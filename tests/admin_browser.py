"""What the admin's browser tests share: Chromium fixtures and a login through the real form."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model

from tests.test_browser import browser, page

__all__ = ["admin_login", "browser", "page"]


def admin_login(tab, live_server, username: str, password: str) -> None:
    """Create a superuser and sign in through the login form, as an editor would."""
    get_user_model().objects.create_superuser(username, f"{username}@example.org", password)
    tab.goto(f"{live_server.url}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.click("input[type=submit]")
    tab.wait_for_url(re.compile(r"/admin/$"))
