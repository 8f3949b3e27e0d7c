"""The default cache is shared by every server process, and writers leave it warm.

These tests use the real default (Django's database cache in the archive's own
PostgreSQL), not the dummy cache the other tests run with, and commit their data
(transactional tests) so that other processes and threads see it.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from bulletins import caching, warmup
from bulletins.models import Article, Issue, Organisation
from tests.conftest import ROOT
from tests.test_reliability import child_env, fetch, free_port, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/", "/articles/", "/briefs/", "/issues/", "/organisations/", "/topics/", "/calendar/", "/about/"]


@pytest.fixture
def shared_cache(settings):
    """The production default: Django's database cache in the archive's PostgreSQL."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": settings.CACHE_TABLE}
    }
    cache.clear()
    caching.RECENT.clear()
    yield
    cache.clear()
    caching.RECENT.clear()


def cache_entries() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM archive_cache WHERE cache_key LIKE %s", [f"%{caching.KEY_PREFIX}%"])
        return cursor.fetchone()[0]


def computed(response) -> int:
    return int(response[caching.COMPUTED_HEADER])


def test_stamp_moves_with_archive_commits_only(seeded, shared_cache):
    """Cache writes (in the same database) leave the stamp alone; a committed archive change moves it once."""
    first = caching.archive_stamp()
    cache.set("unrelated", "x")
    caching.cached_aggregate("n", Issue.objects.count)
    assert caching.archive_stamp() == first
    Organisation.objects.create(name="共享缓存测试红十字会")
    assert caching.archive_stamp() != first


def test_two_server_processes_share_what_the_first_computed(seeded, shared_cache):
    """Two gunicorn processes with no cache configured: the second serves the first one's counts."""
    env = child_env(DJANGO_DEBUG="true")
    env.pop("REDIS_URL", None)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "archive.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    first, second = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        for server, base in zip(servers, (first, second), strict=True):

            def up(base=base):
                try:
                    return fetch(f"{base}/api/")[0] == 200
                except OSError:
                    return False

            wait_for(up, what="gunicorn to answer", proc=server)
        assert cache_entries() == 0
        status, _body, headers = fetch(f"{first}/")
        assert status == 200 and int(headers[caching.COMPUTED_HEADER]) >= 3  # months, totals, topic counts
        stored = cache_entries()
        assert stored >= 3
        status, _body, headers = fetch(f"{second}/")
        assert status == 200 and headers[caching.COMPUTED_HEADER] == "0"
        # and the other way round, for a list: its count and facets, and its rendered rows
        status, _body, headers = fetch(f"{second}/articles/")
        computed_for_list = int(headers[caching.COMPUTED_HEADER])
        assert status == 200 and computed_for_list >= 2  # the count with its facets, the rows
        status, _body, headers = fetch(f"{first}/articles/")
        assert status == 200 and headers[caching.COMPUTED_HEADER] == "0"
        assert cache_entries() == stored + computed_for_list
        # another page of the same list shares its count and facets; only its rows are new
        status, _body, headers = fetch(f"{first}/articles/?page=1&page_size=5")
        assert status == 200 and headers[caching.COMPUTED_HEADER] == "1"
        assert cache_entries() == stored + computed_for_list + 1
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


@pytest.mark.django_db
def test_redis_url_switches_the_cache_to_redis_and_a_redis_that_is_down_takes_no_page_down():
    """``REDIS_URL`` alone selects django-redis; a Redis that does not answer is a cache miss, not an error."""
    env = child_env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", DJANGO_SETTINGS_MODULE="archive.settings")
    code = (
        "import django; django.setup(); from django.core.cache import caches; cache = caches['default']; "
        "cache.set('probe', 1); print(type(cache).__module__, type(cache).__name__, cache.get('probe'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django_redis.cache", "RedisCache", "None"]


def test_first_visit_after_an_import_computes_nothing(seeded, shared_cache, client, tmp_path):
    """The importer fills the cache before it exits: the first requests compute no aggregate."""
    for page in PAGES:  # warm for the archive as it was, to be sure the import makes it stale
        client.get(page)
    call_command("make_corpus", issues=2, out=str(tmp_path), verbosity=0)
    before = caching.archive_stamp()
    call_command("import_bulletins", str(tmp_path), workers=1, verbosity=0)
    assert caching.archive_stamp() != before
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        assert computed(response) == 0, page
    # another page of the list shares the count and facets the writer computed: only its own rows are rendered
    response = client.get("/articles/?page=2&page_size=5")
    assert response.status_code == 200 and computed(response) == 1
    # entries of the archive before the import were purged; only the current state's remain
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM archive_cache")
        keys = [key for (key,) in cursor.fetchall() if caching.KEY_PREFIX in key]
    assert keys and all(caching.stamp_prefix() in key for key in keys)


def test_an_editor_save_warms_the_cache_after_the_response(seeded, shared_cache, admin_client, client, monkeypatch):
    """The admin's change is followed by a warming pass in a thread of its own, after the response."""
    threads = []
    warm = warmup.warm_archive

    def recording():
        threads.append(threading.current_thread().name)
        return warm()

    monkeypatch.setattr(warmup, "warm_archive", recording)
    issue = Issue.objects.first()
    response = admin_client.post(
        "/admin/bulletins/issue/", {"action": "mark_reviewed", "_selected_action": [issue.pk]}, follow=False
    )
    assert response.status_code == 302
    warmup.wait()
    assert threads == ["archive-warmup"]
    for page in PAGES:
        assert computed(client.get(page)) == 0, page


def test_warming_is_skipped_without_a_shared_cache(seeded, tmp_path):
    """With the dummy (or a per-process) cache there is nothing another process could reuse."""
    assert warmup.warm_archive() == {}


def test_warm_archive_command_fills_the_cache(seeded, shared_cache, client):
    call_command("warm_archive", verbosity=0)
    for page in PAGES:
        assert computed(client.get(page)) == 0, page


def test_every_warmed_page_renders(seeded, shared_cache, caplog):
    """A page whose view or template fails on the warming request is logged and skipped, so it is checked here."""
    warmed = warmup.warm_archive()
    assert len(warmed) == len(warmup.PAGES) + len(warmup.AGGREGATES), caplog.text
    assert "failed" not in caplog.text


def test_the_writer_counts_what_related_items_need_so_an_article_first_visited_counts_nothing_whole_archive(
    seeded, shared_cache
):
    """Related items weigh keywords and organisations by how many articles carry them: counted for the whole
    archive once, by the writer, not for each article a visitor opens first."""
    warmup.warm_archive()
    with caching.request_scope() as counter:
        total, terms, _organisations = Article.objects.related_frequencies()
    assert counter[0] == 0
    assert total == Article.objects.count()
    some = Article.objects.exclude(keywords=[]).first()
    word = some.keywords[0]
    assert terms[word] == Article.objects.filter(keywords__contains=[word]).count()


def test_an_entry_read_once_is_read_again_without_a_query(seeded, shared_cache, django_assert_num_queries):
    """The process keeps what it read from the shared cache: a second read asks the database nothing.

    And what a caller does to its copy does not reach the next caller.
    """
    calls = []

    def compute():
        calls.append(1)
        return {"rows": [1, 2, 3]}

    with caching.request_scope():
        first = caching.cached_aggregate("recent-test", compute)
        first["rows"].append(99)
        with django_assert_num_queries(0):
            again = caching.cached_aggregate("recent-test", compute)
    assert again == {"rows": [1, 2, 3]} and len(calls) == 1


def test_recent_entries_keep_to_their_byte_budget():
    recent = caching.RecentEntries(budget=8000)
    for n in range(50):
        recent.put(f"k{n}", "x" * 500)
    assert recent.used <= 8000
    assert recent.get("k0") == (False, None)  # the oldest went first
    assert recent.get("k49") == (True, "x" * 500)
    recent.put("huge", "y" * 5000)  # more than an eighth of the budget: not kept
    assert recent.get("huge") == (False, None)


def counting_issues():
    """(calls, compute): an aggregate that counts the issues and notes each time it is computed."""
    calls = []

    def issue_count():
        calls.append(1)
        return Issue.objects.count()

    return calls, issue_count


def test_while_an_import_runs_visitors_get_the_earlier_counts(seeded, shared_cache):
    """Each file an import commits moves the archive state; visitors meanwhile are served the last
    value computed instead of computing every aggregate again, and the import's end brings them current."""
    calls, issue_count = counting_issues()
    with caching.request_scope():
        before = caching.cached_aggregate("import-test", issue_count)
    caching.mark_importing()
    try:
        Issue.objects.order_by("pk").first().delete()  # the archive changes, as with each imported file
        with caching.request_scope() as computed:
            assert caching.cached_aggregate("import-test", issue_count) == before
        assert computed[0] == 0 and len(calls) == 1
    finally:
        caching.unmark_importing()
    with caching.request_scope() as computed:
        assert caching.cached_aggregate("import-test", issue_count) == before - 1
    assert computed[0] == 1


def test_while_one_request_computes_an_aggregate_the_others_get_its_earlier_value(seeded, shared_cache):
    """After a change, the first request computes a missing aggregate; one arriving meanwhile (its claim is
    taken) is served the earlier value instead of computing the same thing again."""
    calls, issue_count = counting_issues()
    with caching.request_scope():
        before = caching.cached_aggregate("claim-test", issue_count)
    Issue.objects.order_by("pk").first().delete()
    digest = hashlib.sha256(repr(("claim-test", ())).encode()).hexdigest()[:40]
    claim = caching.COMPUTING_PREFIX + caching.stamp_prefix() + digest
    assert cache.add(claim, True, 60)  # another worker is computing it
    with caching.request_scope() as computed:
        assert caching.cached_aggregate("claim-test", issue_count) == before
    assert computed[0] == 0 and len(calls) == 1
    cache.delete(claim)  # that worker died without storing it: the next request computes
    with caching.request_scope() as computed:
        assert caching.cached_aggregate("claim-test", issue_count) == before - 1
    assert computed[0] == 1


def test_the_import_command_marks_itself_while_it_runs(seeded, shared_cache, tmp_path, monkeypatch):
    seen = []
    original = caching.mark_importing
    monkeypatch.setattr(caching, "mark_importing", lambda: (original(), seen.append(cache.get(caching.IMPORTING_KEY))))
    call_command("make_corpus", issues=2, out=str(tmp_path), verbosity=0)
    call_command("import_bulletins", str(tmp_path), verbosity=0)
    assert seen and all(seen)  # marked at the start and after each file
    assert cache.get(caching.IMPORTING_KEY) is None  # and no longer once it has ended


def test_an_aggregate_of_one_item_is_served_stale_for_its_time(seeded, shared_cache, monkeypatch):
    """Per-item aggregates (related items, an organisation's totals) outlive a change for ``stale_seconds``."""
    calls, issue_count = counting_issues()
    with caching.request_scope():
        before = caching.cached_aggregate("stale-test", issue_count, stale_seconds=600)
    Issue.objects.order_by("pk").first().delete()
    with caching.request_scope():
        assert caching.cached_aggregate("stale-test", issue_count, stale_seconds=600) == before
        assert caching.cached_aggregate("stale-test", issue_count) == before - 1  # without: computed afresh
    assert len(calls) == 2
    clock = caching.time.time()
    monkeypatch.setattr(caching.time, "time", lambda: clock + 601)
    Issue.objects.order_by("pk").first().delete()
    with caching.request_scope():
        assert caching.cached_aggregate("stale-test", issue_count, stale_seconds=600) == before - 2


def test_an_unreadable_earlier_entry_is_ignored(seeded, shared_cache):
    """Whatever else stands under an earlier-value key (another version's format) is computed past, not served."""
    digest = caching.hashlib.sha256(repr(("odd-test", ())).encode()).hexdigest()[:40]
    cache.set(caching.LATEST_PREFIX + digest, {"not": "a pair"})
    caching.mark_importing()
    try:
        with caching.request_scope():
            assert caching.cached_aggregate("odd-test", lambda: 7, stale_seconds=600) == 7
    finally:
        caching.unmark_importing()
