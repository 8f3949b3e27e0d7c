"""Faults that really happen: a lost database, a killed importer, two importers, an editor racing an import.

Why real processes: a connection killed by the server, a process killed with
SIGKILL, two importers in separate processes and a web server whose database
goes away are not things a mock can stand for. The child processes talk to the
test database (``DATABASE_URL`` built from the test connection), so these tests
are transactional: what the children commit is visible here, and the test
database is flushed afterwards. Where timing matters, the test makes it
deterministic with a lock: it locks the topic table in ``EXCLUSIVE`` mode, so an
importer blocks inside its transaction at the first article-topic link (the
foreign-key check needs ``FOR KEY SHARE`` on a topic), after it has written the
issue and its articles, while it holds its advisory locks.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from bulletins import editing
from bulletins.importing import store
from bulletins.models import Article, BriefItem, Issue, Organisation, Publication
from tests.conftest import import_seeds

ROOT = Path(__file__).resolve().parent.parent
ARTICLES_PER_ISSUE = 3
BRIEFS_PER_ISSUE = 3

BULLETIN = """湖北省红十字会简报
第 {number} 期
湖北省红十字会办公室
2023 年 5 月 8 日

省红十字会开展应急救护培训

5月6日，省红十字会在武汉举办应急救护培训班，共有{number}名学员参加。{extra}学员学习了心肺复苏和止血包扎。

宜昌市红十字会开展造血干细胞捐献宣传

5月5日，宜昌市红十字会在夷陵广场开展造血干细胞捐献宣传活动，发放资料{number}份。

襄阳市红十字会慰问困难群众

5月4日，襄阳市红十字会走访慰问困难群众{number}户，送去米面油等物资。

简 讯

▲5月2日，省红十字会开展无偿献血宣传活动。
▲5月3日至4日，省红十字会举办志愿服务骨干培训。
▲5月7日，省红十字会召开工作例会。
"""


def bulletin(number: int, extra: str = "") -> str:
    """A numbered issue with three articles (the first one is about first aid: it gets a topic) and three briefs."""
    return BULLETIN.format(number=number, extra=extra)


def write_bulletins(folder: Path, numbers, *, extra: str = "", name: str = "n{number:04d}.txt") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in numbers:
        path = folder / name.format(number=number)
        path.write_text(bulletin(number, extra), encoding="utf-8")
        paths.append(path)
    return paths


# --- talking to the test database from other processes and connections ----------------------


def database_url() -> str:
    """The test database as a DATABASE_URL; a unix-socket directory goes percent-encoded in the host part."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = quote(s["HOST"] or "", safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(s['NAME'], safe='')}"


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("ARCHIVE_PGDATA", None)
    env.update(DATABASE_URL=database_url(), PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def raw_connection(**options) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        **options,
    )


def manage(*args: str, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=kwargs.pop("env", None) or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def start_import(*paths: Path, extra_args=()) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_bulletins", *map(str, paths), "--workers", "1", *extra_args],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, *, timeout: float = 90, what: str, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the child process ended before {what}: rc={proc.returncode}\n{out}\n{err}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


@contextlib.contextmanager
def topics_locked():
    """Lock the topic table against writers' key checks: an importer blocks mid-transaction at its first topic link.

    A table lock rather than FOR UPDATE on the rows: taken while an importer's transaction has already
    linked some topics, row locks taken one by one can deadlock with it, and PostgreSQL may then abort
    either side. The table lock simply waits for that transaction to end and blocks the next one.
    """
    locker = raw_connection()
    try:
        locker.execute("LOCK TABLE bulletins_topic IN EXCLUSIVE MODE")
        yield locker
    finally:
        locker.rollback()
        locker.close()


def backends_blocked_by(observer: psycopg.Connection, locker: psycopg.Connection) -> list[int]:
    rows = observer.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND %s = ANY(pg_blocking_pids(pid))",
        [locker.info.backend_pid],
    ).fetchall()
    return [pid for (pid,) in rows]


def locks_of(observer: psycopg.Connection, pid: int) -> dict[str, set[str]]:
    rows = observer.execute(
        "SELECT locktype, coalesce(relation::regclass::text, ''), mode FROM pg_locks WHERE pid = %s AND granted",
        [pid],
    ).fetchall()
    held: dict[str, set[str]] = {}
    for locktype, relation, mode in rows:
        held.setdefault(locktype, set()).add(relation if locktype == "relation" and mode == "RowExclusiveLock" else "")
    return held


def assert_whole_issues(numbers=None) -> None:
    """Every issue (or those numbered ``numbers``) has all its articles and brief items: no half issue."""
    issues = Issue.objects.all() if numbers is None else Issue.objects.filter(number__in=numbers)
    for issue in issues:
        counts = (issue.articles.count(), issue.briefs.count())
        assert counts == (ARTICLES_PER_ISSUE, BRIEFS_PER_ISSUE), f"half issue: {issue} has {counts}"


# --- import faults ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_connection_killed_in_the_middle_of_a_file_leaves_nothing_and_a_rerun_completes_it(tmp_path):
    """The server ends the importer's connection while its transaction holds the locks and has written rows."""
    store.ensure_topics()
    folder = tmp_path / "batch"
    killed = write_bulletins(folder, [201], name="a_killed_{number}.txt")[0]
    write_bulletins(folder, [202], name="b_after_{number}.txt")
    before = (Issue.objects.count(), Article.objects.count(), BriefItem.objects.count(), Publication.objects.count())

    with raw_connection(autocommit=True) as observer, topics_locked() as locker:
        proc = start_import(folder)
        pid = wait_for(lambda: backends_blocked_by(observer, locker), what="the import to block", proc=proc)[0]
        held = locks_of(observer, pid)
        assert "advisory" in held, "the importer holds its per-issue advisory lock"
        assert {"bulletins_issue", "bulletins_article"} <= held["relation"], "it has written the issue and articles"
        # Nothing of the open transaction is visible to anyone else.
        assert observer.execute("SELECT count(*) FROM bulletins_issue WHERE number = 201").fetchone()[0] == 0
        assert observer.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
    out, err = proc.communicate(timeout=120)

    assert proc.returncode == 1, out + err
    assert killed.name in err and "数据库错误" in err
    assert "Traceback" not in err
    assert not Issue.objects.filter(number=201).exists()
    assert not Article.objects.filter(body__contains="共有201名").exists()
    # The batch went on with a fresh connection: the next file is complete.
    assert_whole_issues([202])
    after = (Issue.objects.count(), Article.objects.count(), BriefItem.objects.count())
    assert after == (before[0] + 1, before[1] + ARTICLES_PER_ISSUE, before[2] + BRIEFS_PER_ISSUE)

    rerun = manage("import_bulletins", str(folder), "--workers", "1")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "导入 1" in rerun.stdout and "未变 1" in rerun.stdout
    assert Issue.objects.filter(number=201).count() == 1
    assert_whole_issues([201, 202])


@pytest.mark.django_db(transaction=True)
def test_importer_killed_with_sigkill_mid_batch_then_rerun_gives_every_issue_once(tmp_path):
    """kill -9 after a few issues are committed, while the next file's transaction is open."""
    store.ensure_topics()
    numbers = range(501, 531)
    folder = tmp_path / "batch"
    write_bulletins(folder, numbers)

    with raw_connection(autocommit=True) as observer:
        proc = start_import(folder)
        wait_for(
            lambda: observer.execute("SELECT count(*) FROM bulletins_issue WHERE number >= 501").fetchone()[0] >= 3,
            what="three committed issues",
            proc=proc,
        )
        with topics_locked() as locker:
            pid = wait_for(lambda: backends_blocked_by(observer, locker), what="the import to block", proc=proc)[0]
            assert "advisory" in locks_of(observer, pid)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            assert proc.returncode == -signal.SIGKILL
        # Once the lock is released the orphaned backend finds its client gone and rolls back.
        wait_for(
            lambda: not observer.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone(),
            what="the orphaned backend to end",
        )

    committed = Issue.objects.filter(number__in=numbers).count()
    assert 3 <= committed < len(numbers), "the kill landed in the middle of the batch"
    assert_whole_issues(numbers)

    rerun = manage("import_bulletins", str(folder), "--workers", "1")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"导入 {len(numbers) - committed}" in rerun.stdout
    assert f"未变 {committed}" in rerun.stdout
    assert sorted(Issue.objects.filter(number__gte=501).values_list("number", flat=True)) == list(numbers)
    assert_whole_issues(numbers)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", ["1", "2"])
def test_importer_killed_with_sigkill_leaves_no_worker_behind(tmp_path, workers):
    """The processes an import starts (the writer, or the pool's workers) end with it and drop their connections."""
    store.ensure_topics()
    folder = tmp_path / "batch"
    write_bulletins(folder, range(601, 621))

    def import_backends(observer):
        return observer.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND pid <> ALL(%s) AND backend_type = 'client backend'",
            [own],
        ).fetchall()

    with raw_connection(autocommit=True) as observer:
        own = [pid for (pid,) in import_backends_before(observer)]
        proc = start_import(folder, extra_args=("--workers", workers))
        wait_for(
            lambda: observer.execute("SELECT count(*) FROM bulletins_issue WHERE number >= 601").fetchone()[0] >= 2,
            what="two committed issues",
            proc=proc,
        )
        with topics_locked() as locker:
            wait_for(lambda: backends_blocked_by(observer, locker), what="the import to block mid-file", proc=proc)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        wait_for(lambda: not import_backends(observer), what="every connection of the import to close", timeout=30)
    assert_whole_issues(range(601, 621))


def spawned_workers(pid: int) -> list[int]:
    """The worker processes an importer spawned (not multiprocessing's resource tracker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in map(int, children):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except FileNotFoundError:
            continue
        if "spawn_main" in cmdline:
            found.append(child)
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_helper_process_killed_by_the_system_stops_the_import_with_a_clear_message(tmp_path, workers):
    """The OOM killer takes a worker (or the writer) mid-file: the import ends with a message, a rerun completes."""
    store.ensure_topics()
    numbers = range(701, 716)
    folder = tmp_path / "batch"
    write_bulletins(folder, numbers)

    with raw_connection(autocommit=True) as observer:
        proc = start_import(folder, extra_args=("--workers", workers))
        with topics_locked() as locker:
            wait_for(lambda: backends_blocked_by(observer, locker), what="the import to block mid-file", proc=proc)
            helpers = wait_for(lambda: spawned_workers(proc.pid), what="the import's helper processes", proc=proc)
            os.kill(helpers[0], signal.SIGKILL)
        out, err = proc.communicate(timeout=120)  # after the lock is gone: the importer may be writing a file itself

    assert proc.returncode == 1, out + err
    assert "导入的辅助进程意外退出" in err and "再次运行同一命令即可继续" in err
    assert "Traceback" not in err
    assert_whole_issues(numbers)

    rerun = manage("import_bulletins", str(folder), "--workers", workers)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert sorted(Issue.objects.filter(number__in=numbers).values_list("number", flat=True)) == list(numbers)
    assert_whole_issues(numbers)


def import_backends_before(observer: psycopg.Connection) -> list[tuple[int]]:
    """Backends already connected before an import starts (this test's own, pytest's)."""
    return observer.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
    ).fetchall()


# --- concurrency -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_import_processes_over_overlapping_folders_write_each_issue_once(tmp_path):
    """Folder A holds 301-308, folder B 305-312: 305-306 identical, 307-308 corrected copies."""
    store.ensure_topics()
    first = tmp_path / "a"
    second = tmp_path / "b"
    write_bulletins(first, range(301, 309))
    write_bulletins(second, range(305, 307))
    write_bulletins(second, range(307, 309), extra="（更正稿）")
    write_bulletins(second, range(309, 313))

    with raw_connection(autocommit=True) as observer:
        with topics_locked() as locker:
            procs = [start_import(first, extra_args=["--json"]), start_import(second, extra_args=["--json"])]

            def both_waiting():
                rows = observer.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> %s",
                    [locker.info.backend_pid],
                ).fetchone()
                return rows[0] >= 2

            # Both importers are inside a transaction at the same moment before either can go on.
            wait_for(both_waiting, what="both imports to be mid-transaction")
        outputs = [proc.communicate(timeout=180) for proc in procs]

    reports = []
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, out + err
        reports.append(json.loads(out))
    totals = {key: sum(r["files"][key] for r in reports) for key in ("created", "updated", "unchanged", "failed")}
    assert totals == {"created": 12, "updated": 2, "unchanged": 2, "failed": 0}
    batch = Issue.objects.filter(number__range=(301, 312))
    assert sorted(batch.values_list("number", flat=True)) == list(range(301, 313))
    assert_whole_issues(range(301, 313))
    assert set(Issue.objects.filter(number__in=[307, 308]).values_list("version", flat=True)) == {2}


# --- an editor and an import on the same issue -------------------------------------------------


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("rel-editor", password="pw-rel-editor-123", is_staff=True)
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def run_import(*paths: Path, **options) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_bulletins", *map(str, paths), stdout=out, stderr=err, workers=1, **options)
    except SystemExit as exc:
        pytest.fail(f"import failed ({exc.code}): {err.getvalue()}")
    return out.getvalue()


def change_form(editor, issue: Issue) -> tuple[str, dict]:
    """GET the admin change page and return (url, the form data a browser would post back unchanged)."""
    from tests.test_admin import issue_form_data

    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    html = editor.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html)
    assert version, "the change form carries the row version"
    data = issue_form_data(issue)
    data["version"] = version.group(1)
    return url, data


@pytest.mark.django_db
def test_import_between_the_editors_get_and_post_refuses_the_post(seeded, editor, tmp_path):
    """The editor opens the form, an import updates the issue, the editor saves: refused, clearly, nothing lost."""
    path = write_bulletins(tmp_path, [401])[0]
    run_import(path)
    issue = Issue.objects.get(number=401)
    url, data = change_form(editor, issue)
    data.update({"title": "编辑改的期刊标题", "articles-0-title": "编辑改的文章标题"})

    path.write_text(bulletin(401, extra="导入的新内容。"), encoding="utf-8")
    assert "更新 1" in run_import(path)

    response = editor.post(url, data)
    assert response.status_code == 200, "the stale form is shown again, not saved"
    assert "已被更新" in response.content.decode()
    issue.refresh_from_db()
    assert issue.version == 2
    assert issue.title != "编辑改的期刊标题" and issue.edited_fields == []
    first = issue.articles.get(position=1)
    assert "导入的新内容" in first.body, "the import's update is kept"
    assert first.title != "编辑改的文章标题" and first.edited_fields == []

    # Reloading and saving again works, on top of the import.
    url, data = change_form(editor, issue)
    data.update({"title": "编辑改的期刊标题"})
    assert editor.post(url, data).status_code == 302
    issue.refresh_from_db()
    assert issue.title == "编辑改的期刊标题" and issue.version == 3
    assert "导入的新内容" in issue.articles.get(position=1).body


@pytest.mark.django_db
def test_an_editors_saved_fields_survive_the_following_import(seeded, editor, tmp_path):
    path = write_bulletins(tmp_path, [402])[0]
    run_import(path)
    issue = Issue.objects.get(number=402)
    url, data = change_form(editor, issue)
    briefs = list(issue.briefs.order_by("position"))
    brief_index = next(i for i, b in enumerate(issue.briefs.all()) if b.pk == briefs[1].pk)
    data.update(
        {
            "title": "编辑改的期刊标题",
            "date": "2023-05-09",
            "articles-0-title": "编辑改的文章标题",
            f"briefs-{brief_index}-text": "编辑改的简讯。",
        }
    )
    assert editor.post(url, data).status_code == 302

    path.write_text(bulletin(402, extra="导入的新内容。"), encoding="utf-8")
    out = run_import(path, verbosity=1)
    assert "更新 1" in out and "保留编辑改动" in out

    issue.refresh_from_db()
    assert issue.title == "编辑改的期刊标题"
    assert issue.date == datetime.date(2023, 5, 9)
    assert {"title", "date"} <= set(issue.edited_fields)
    edited_article = Article.objects.get(title="编辑改的文章标题")
    assert edited_article.issue_id == issue.pk and edited_article.edited_fields == ["title"]
    assert "导入的新内容" in edited_article.body, "fields the editor did not touch are still updated"
    assert issue.briefs.get(pk=briefs[1].pk).text == "编辑改的简讯。"
    assert issue.articles.count() == ARTICLES_PER_ISSUE and issue.briefs.count() == BRIEFS_PER_ISSUE


# --- the database goes away under a running web server ----------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def embedded(code: str, env: dict) -> str:
    script = f"import json\nfrom archive import embedded_db\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


PAGES = ["/", "/issues/", "/articles/", "/search/?q=救护", "/api/issues/", "/api/articles/?q=救护"]


def test_database_outage_gives_503_pages_and_the_site_recovers_without_restart(tmp_path):
    """A separate embedded server in a temporary folder is stopped and started under gunicorn.

    DEBUG is on in the web process so that an uncaught error would show Django's
    traceback page: the 503 bodies must show none.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(ARCHIVE_PGDATA=str(tmp_path / "pg"), DJANGO_DEBUG="true", PYTHONUNBUFFERED="1")
    port = free_port()
    server = None
    try:
        embedded("embedded_db.ensure_running()", env)
        migrate = manage("migrate", "--noinput", env=env)
        assert migrate.returncode == 0, migrate.stderr
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "archive.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

        def up():
            try:
                return fetch(f"http://127.0.0.1:{port}/api/issues/")[0] == 200
            except OSError:
                return False

        wait_for(up, what="gunicorn to answer", proc=server)
        for page in PAGES:
            assert fetch(f"http://127.0.0.1:{port}{quote(page, safe='/?=&')}")[0] == 200, page

        assert embedded("print(embedded_db.stop())", env) == "True"
        for _ in range(2):  # two rounds: both workers meet the outage with their persistent connections
            for page in PAGES:
                status, body, headers = fetch(f"http://127.0.0.1:{port}{quote(page, safe='/?=&')}")
                assert status == 503, (page, status, body[:500])
                assert headers.get("Retry-After") == "30"
                assert "Traceback" not in body and "OperationalError" not in body and "psycopg" not in body
                if page.startswith("/api/"):
                    assert headers["Content-Type"].startswith("application/json")
                    assert "数据库暂时不可用" in json.loads(body)["detail"]
                else:
                    assert "暂时无法访问" in body

        embedded("embedded_db.ensure_running()", env)
        for _ in range(2):
            for page in PAGES:
                assert fetch(f"http://127.0.0.1:{port}{quote(page, safe='/?=&')}")[0] == 200, page
        assert server.poll() is None, "the same web process served before, during and after the outage"
    finally:
        if server is not None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.communicate(timeout=30)
        with contextlib.suppress(Exception):
            embedded("embedded_db.stop()", env)


# --- backups ------------------------------------------------------------------------------------


def snapshot() -> dict:
    """Everything an editor or a visitor cares about, in a comparable form."""
    through = Article.organisations.through
    return {
        "issues": list(Issue.objects.order_by("pk").values()),
        "articles": list(Article.objects.order_by("pk").values()),
        "briefs": list(BriefItem.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "publications": list(Publication.objects.order_by("pk").values()),
        "links": list(through.objects.order_by("pk").values_list("article_id", "organisation_id")),
        "topics": list(Article.topics.through.objects.order_by("pk").values_list("article_id", "topic_id")),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_keeps_every_row_and_every_editors_change(tmp_path):
    import_seeds()
    article = Article.objects.order_by("pk").first()
    article.title = "编辑改过的标题"
    editing.mark_edited(article, ["title"])
    article.save()
    brief = BriefItem.objects.order_by("pk").first()
    brief.text = "编辑改过的简讯。"
    editing.mark_edited(brief, ["text"])
    brief.save()
    issue = Issue.objects.order_by("pk").first()
    issue.review_notes = "编辑核对过"
    editing.mark_edited(issue, ["review_notes"])
    issue.save()
    before = snapshot()
    assert before["issues"] and before["articles"] and before["briefs"]

    dump = tmp_path / "nested" / "archive.dump"
    backup = manage("backup_archive", "--output", str(dump))
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert dump.read_bytes()[:5] == b"PGDMP"
    assert str(dump) in backup.stdout

    # Damage: an issue deleted (with its articles and briefs), an editor's change overwritten, briefs gone.
    Issue.objects.filter(pk=issue.pk).delete()
    Article.objects.filter(pk=article.pk).update(title="被覆盖", edited_fields=[])
    BriefItem.objects.all().delete()
    assert snapshot() != before

    restore = manage("restore_archive", str(dump), "--noinput")
    assert restore.returncode == 0, restore.stdout + restore.stderr
    connection.close()
    after = snapshot()
    assert after == before
    assert Article.objects.get(pk=article.pk).edited_fields == ["title"]
    assert Issue.objects.get(pk=issue.pk).edited_fields == ["review_notes"]


def test_backup_default_name_is_timestamped_in_backups():
    from bulletins.management.commands.backup_archive import default_output

    path = default_output(datetime.datetime(2024, 3, 5, 14, 7, 9))
    assert path == ROOT / "backups" / "archive-20240305-140709.dump"
    assert "backups/" in (ROOT / ".gitignore").read_text().splitlines()


@pytest.mark.django_db
def test_restore_refuses_a_missing_or_foreign_file_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore_archive", str(tmp_path / "nope.dump"), interactive=False)
    foreign = tmp_path / "notes.dump"
    foreign.write_text("not a dump", encoding="utf-8")
    with pytest.raises(CommandError, match="不是 pg_dump"):
        call_command("restore_archive", str(foreign), interactive=False)
    with pytest.raises(CommandError, match="无法写入"):
        call_command("backup_archive", output=str(foreign / "inside-a-file.dump"))
