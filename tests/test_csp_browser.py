"""Every kind of page works under the strict Content-Security-Policy in a real Chromium.

Why a browser: only the browser enforces the policy; an inline script, an
inline style attribute or a resource from elsewhere shows up as a
``securitypolicyviolation`` event and a console message, nowhere else.
"""

from __future__ import annotations

import pytest

from bulletins.models import Article, Issue, Organisation, Topic
from tests.admin_browser import admin_login, browser, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# Registered before any page script runs: every violation the document reports is kept for the test.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def public_pages() -> list[str]:
    issue = Issue.objects.get(title="湖北省红十字会简报 第4期")
    organisation = Organisation.objects.get(name="湖北省红十字会")
    return [
        "/",
        "/issues/",
        f"/issues/{issue.pk}/",
        "/articles/",
        f"/articles/{Article.objects.filter(issue=issue).first().pk}/",
        "/briefs/",
        "/organisations/",
        f"/organisations/{organisation.pk}/",
        "/topics/",
        f"/topics/{Topic.objects.first().slug}/",
        "/search/?q=红十字",
        "/api/",
        "/api/docs/",
        "/about/",
        "/calendar/",
    ]


def admin_pages() -> list[str]:
    issue = Issue.objects.get(title="湖北省红十字会简报 第4期")
    return [
        "/admin/bulletins/issue/",
        f"/admin/bulletins/issue/{issue.pk}/change/",
        f"/admin/bulletins/issue/{issue.pk}/history/",
        "/admin/bulletins/topic/add/",
    ]


def test_no_page_breaks_the_content_security_policy(live_server, seeded, page, artifacts):  # noqa: F811
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.add_init_script(COLLECT_VIOLATIONS)

    def visit(path: str) -> None:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{path}: {violations}"
        assert not [line for line in console if "Content Security Policy" in line or "pageerror" in line], path

    for path in public_pages():
        visit(path)
    visit("/admin/login/")
    admin_login(page, live_server, "csp-editor", "pw-csp-editor-123")
    for path in admin_pages():
        visit(path)
    page.screenshot(path=str(artifacts / "admin-under-csp.png"), full_page=True)
    # The autocomplete (select2) and the collapsible fieldsets run: scripts from /static/ are allowed.
    issue_change = admin_pages()[1]
    page.goto(f"{live_server.url}{issue_change}")
    assert page.locator(".select2-container").count() > 0
    assert page.evaluate("window.__cspViolations") == []
