"""What the importer really writes to PostgreSQL, from the seeds and from small texts of our own.

Why assert on the database rather than on the parser's dataclasses: editors and
visitors only ever see rows; the seeds' expected contents below were written
down by reading the seed files.
"""

from __future__ import annotations

import datetime
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from bulletins import editing
from bulletins.importing import run as importing_run
from bulletins.importing import store
from bulletins.importing.outcome import Outcome
from bulletins.models import Article, BriefItem, Issue, Organisation
from tests.conftest import SEEDS, seed_path

pytestmark = pytest.mark.django_db


def issue_from(prefix: str) -> Issue:
    return Issue.objects.get(source_name=seed_path(prefix).name)


# --- the five seeds -------------------------------------------------------------------


def test_seed_totals(seeded):
    assert Issue.objects.count() == 5
    assert Article.objects.count() == 4 + 8 + 1 + 1 + 9
    assert BriefItem.objects.count() == 9


def test_hubei_issue_4(seeded):
    issue = issue_from("000")
    assert issue.publication.name == "湖北省红十字会简报"
    assert issue.publication.publisher.name == "湖北省红十字会"
    assert (issue.number, issue.date) == (4, datetime.date(2021, 4, 30))
    assert issue.needs_review and issue.review_notes.startswith("缺字")  # "推进 年工作" lost its digits
    titles = list(issue.articles.values_list("title", flat=True))
    assert len(titles) == 4
    assert titles[0].startswith("省红十字会赈济救护部")
    assert titles[3] == "高勤书记带队到省妇联学习调研"
    first = issue.articles.get(position=1)
    assert first.date == datetime.date(2021, 4, 15)
    assert "在深学细研中强思想、提站位。" in first.body
    for article in issue.articles.all():
        for footer in ("分送", "联系电话", "责任编辑"):
            assert footer not in article.body
    briefs = list(issue.briefs.order_by("position"))
    assert len(briefs) == 9
    assert briefs[0].date == datetime.date(2021, 4, 1)
    assert briefs[-1].date == datetime.date(2021, 4, 26)
    assert briefs[-1].end_date == datetime.date(2021, 4, 27)
    assert all(b.date and b.date.month == 4 for b in briefs)
    hubei = Organisation.objects.get(name="湖北省红十字会")
    assert first.organisations.filter(pk=hubei.pk).exists()


def test_zhejiang_370(seeded):
    issue = issue_from("001")
    assert (issue.publication.name, issue.number, issue.date) == ("浙江红十字", 370, datetime.date(2020, 6, 24))
    articles = list(issue.articles.order_by("position"))
    assert len(articles) == 8
    assert articles[1].title == "王平来浙调研红十字会参与无偿献血工作"
    assert "贺佳晶" in articles[1].byline
    assert "沈宏轩" in articles[4].byline
    regional = [(a.section, a.region) for a in articles[5:]]
    assert regional == [("每月要览", "宁波"), ("每月要览", "绍兴"), ("每月要览", "金华")]
    assert Organisation.objects.get(name="宁波市红十字会").articles.filter(pk=articles[5].pk).exists()
    for article in articles:
        assert "□" not in article.body
        assert "永康市红十字救援队在救援现场参与救援。" not in article.body


def test_zhejiang_390(seeded):
    issue = issue_from("004")
    assert (issue.number, issue.date) == (390, datetime.date(2022, 1, 21))
    articles = list(issue.articles.order_by("position"))
    assert len(articles) == 9
    assert [a.section for a in articles[:2]] == ["每月要览", "每月要览"]
    assert [a.section for a in articles[5:]] == ["综合报道"] * 4
    assert [a.region for a in articles[5:]] == ["杭州", "湖州", "临海", "龙泉"]
    assert articles[4].subtitle == "省红十字会开展2022年“红十字博爱送万家”活动"


def test_feature_pages_are_flagged_for_review(seeded):
    shiyan, shijiazhuang = issue_from("002"), issue_from("003")
    for issue in (shiyan, shijiazhuang):
        assert issue.needs_review
        assert issue.number is None
        assert "期号" in issue.review_notes
    assert shijiazhuang.articles.get().byline == "张雷"
    assert shijiazhuang.date == datetime.date(2021, 12, 10)
    assert shijiazhuang.publisher.name == "石家庄市红十字会"
    assert len(shiyan.articles.get().captions) == 7
    shiyan_rc = Organisation.objects.get(name="十堰市红十字会")
    assert shiyan.articles.get().organisations.filter(pk=shiyan_rc.pk).exists()


def test_articles_get_keywords_topics_and_search_text(seeded):
    for article in Article.objects.all():
        assert article.segmented_text
        assert article.keywords
    assert Article.objects.filter(topics__slug="first-aid-training").exists()
    assert (
        Article.objects.filter(search_vector="应急救护").exists()
        or Article.objects.filter(search_vector="救护").exists()
    )


def test_second_import_reports_unchanged(seeded):
    out = io.StringIO()
    call_command("import_bulletins", str(SEEDS), workers=1, stdout=out)
    assert "未变 5" in out.getvalue()
    assert Issue.objects.count() == 5


# --- small texts of our own -------------------------------------------------------------

SAMPLE = """湖北省红十字会简报
第 {number} 期
湖北省红十字会办公室
{date}

省红十字会开展应急救护培训

5月6日，省红十字会在武汉举办应急救护培训班，{body}

简 讯

▲5月2日，省红十字会开展造血干细胞捐献宣传活动。
▲5月3日至4日，省红十字会举办志愿服务骨干培训。
"""


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def sample(number: int = 77, date: str = "2023 年 5 月 8 日", body: str = "共有120名学员参加。") -> str:
    return SAMPLE.format(number=number, date=date, body=body)


def run_import(*args, **options) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_bulletins", *args, stdout=out, stderr=err, workers=1, **options)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", sample()),
        ("utf-8-sig", sample()),
        ("gb18030", sample()),
        ("utf-8", sample().replace("\n", "\r\n")),
        ("utf-8", sample().replace("\n", "\r")),
        ("utf-8", sample(number=77, date="２０２３年５月８日 星期一")),
        ("utf-8", sample(date="二〇二三年五月八日")),
    ],
)
def test_encodings_line_ends_and_date_forms(seeded, tmp_path, encoding, text):
    code, _out, err = run_import(write(tmp_path, "a.txt", text, encoding))
    assert code == 0, err
    issue = Issue.objects.get(publication__name="湖北省红十字会简报", number=77)
    assert issue.date == datetime.date(2023, 5, 8)
    assert issue.articles.get().title == "省红十字会开展应急救护培训"
    assert list(issue.briefs.values_list("date", "end_date")) == [
        (datetime.date(2023, 5, 2), None),
        (datetime.date(2023, 5, 3), datetime.date(2023, 5, 4)),
    ]


def test_chinese_numeral_issue_number(seeded, tmp_path):
    text = sample().replace("第 77 期", "第四十四期")
    code, _, err = run_import(write(tmp_path, "n.txt", text))
    assert code == 0, err
    assert Issue.objects.filter(number=44, publication__name="湖北省红十字会简报").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "空"),
        (b"   \n\n  \r\n", "空"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe" * 50, "二进制"),
    ],
)
def test_bad_input_gets_a_clear_message_and_the_batch_goes_on(seeded, tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = write(tmp_path, "good.txt", sample(number=78))
    code, out, err = run_import(str(bad), good)
    assert code == 1
    assert "bad.txt" in err and reason in err
    assert "Traceback" not in err
    assert "失败 1" in out
    assert Issue.objects.filter(number=78).exists()


def test_pages_separated_by_form_feeds_are_text(seeded, tmp_path):
    """A form feed is a page break, not binary content: 300 short pages, one brief item each, import whole."""
    pages = [f"▲5月{1 + i % 28}日，宣传{i}。\n" for i in range(300)]
    text = sample(number=81).split("简 讯")[0] + "简 讯\n\f" + "\f".join(pages)
    assert text.count("\f") == 300
    code, _, err = run_import(write(tmp_path, "pages.txt", text))
    assert code == 0, err
    issue = Issue.objects.get(publication__name="湖北省红十字会简报", number=81)
    assert issue.articles.get().title == "省红十字会开展应急救护培训"
    briefs = list(issue.briefs.order_by("position").values_list("text", "date"))
    assert len(briefs) == 300
    assert briefs[-1] == ("5月20日，宣传299。", datetime.date(2023, 5, 20))


def test_too_large_file_is_refused(seeded, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    big = write(tmp_path, "big.txt", sample(body="很长的正文。" * 2000))
    code, _, err = run_import(big)
    assert code == 1
    assert "big.txt" in err and "过大" in err


def test_read_source_refuses_a_file_over_the_limit_before_reading_it(tmp_path):
    from bulletins.importing.prepare import read_source

    source = read_source(write(tmp_path, "big.txt", "a" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)
    assert (source.data, source.sha256) == (b"", "")
    assert "文件过大（1.0 MB，上限 1 MB）" in source.error


def test_text_without_structure_is_refused(seeded, tmp_path):
    code, _, err = run_import(write(tmp_path, "x.txt", "。。。\n，，，\n"))
    assert code == 1
    assert "x.txt" in err


def test_missing_path_is_an_error(seeded, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到"):
        call_command("import_bulletins", str(tmp_path / "nope"), workers=1)


def test_dry_run_writes_nothing(seeded, tmp_path):
    before = Issue.objects.count()
    code, out, _ = run_import(write(tmp_path, "d.txt", sample(number=79)), dry_run=True)
    assert code == 0
    assert "试运行" in out
    assert Issue.objects.count() == before


def test_json_report(seeded, tmp_path):
    code, out, _ = run_import(write(tmp_path, "j.txt", sample(number=80)), json=True)
    assert code == 0
    report = json.loads(out)
    assert report["files"]["created"] == 1
    assert report["results"][0]["articles"] == 1
    assert report["results"][0]["briefs"] == 2


def test_changed_file_updates_in_place_but_editor_changes_win(seeded, tmp_path):
    path = write(tmp_path, "e.txt", sample(number=81))
    run_import(path)
    issue = Issue.objects.get(number=81)
    article = issue.articles.get()
    article_id = article.pk
    # What the admin does when an editor fixes the title and the issue date:
    article.title = "编辑改的标题"
    editing.mark_edited(article, ["title"])
    article.save()
    issue.date = datetime.date(2023, 5, 9)
    editing.mark_edited(issue, ["date"])
    issue.save()

    path = write(tmp_path, "e.txt", sample(number=81, body="共有150名学员参加。"))
    code, out, _ = run_import(path, verbosity=1)
    assert code == 0
    assert "更新 1" in out
    assert "保留编辑改动" in out
    issue.refresh_from_db()
    article = issue.articles.get()
    assert article.pk == article_id, "an updated article keeps its id and permalink"
    assert article.title == "编辑改的标题"
    assert "150名学员" in article.body
    assert issue.date == datetime.date(2023, 5, 9)
    assert issue.version == 2


def test_force_reparses_unchanged_files(seeded, tmp_path):
    path = write(tmp_path, "f.txt", sample(number=82))
    run_import(path)
    code, out, _ = run_import(path, force=True)
    assert code == 0
    assert "更新 1" in out
    assert Issue.objects.filter(number=82).count() == 1


@pytest.mark.django_db(transaction=True)
def test_workers_give_the_same_result(tmp_path):
    """Workers write over their own connections, so this test commits (and is flushed afterwards)."""
    store.ensure_topics()
    for n in range(83, 87):
        write(tmp_path, f"w{n}.txt", sample(number=n))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_bulletins", str(tmp_path), workers=2, stdout=out, stderr=err)
    assert "导入 4" in out.getvalue(), err.getvalue()
    assert Issue.objects.filter(number__in=range(83, 87)).count() == 4
    assert BriefItem.objects.filter(issue__number__in=range(83, 87)).count() == 8
    assert Article.objects.filter(issue__number__in=range(83, 87), topics__isnull=False).exists()
    assert Article.objects.filter(issue__number__in=range(83, 87), organisations__isnull=False).exists()
    # Same rows as the in-process path writes for the same text.
    (tmp_path / "one").mkdir()
    write(tmp_path / "one", "w87.txt", sample(number=87))
    call_command("import_bulletins", str(tmp_path / "one"), workers=1, verbosity=0)
    reference = Article.objects.get(issue__number=87)
    for article in Article.objects.filter(issue__number__in=range(83, 87)):
        assert article.keywords == reference.keywords
        assert set(article.topics.values_list("slug", flat=True)) == set(
            reference.topics.values_list("slug", flat=True)
        )
        assert article.organisations.count() == reference.organisations.count()
    # A second run with workers finds every file unchanged.
    out = io.StringIO()
    call_command("import_bulletins", str(tmp_path), workers=2, stdout=out)
    assert "未变 5" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_write_each_issue_once(tmp_path):
    """Overlapping batches in two threads (two connections): the advisory lock serialises them."""
    store.ensure_topics()
    paths = [tmp_path / write(tmp_path, f"c{n}.txt", sample(number=n)) for n in range(90, 96)]
    results: list = []
    errors: list = []

    def run(batch):
        try:
            results.extend(importing_run.import_paths(batch, workers=1))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(paths,)), threading.Thread(target=run, args=(paths[::-1],))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Issue.objects.filter(number__in=range(90, 96)).count() == 6
    outcomes = sorted(str(r.outcome) for r in results)
    assert outcomes.count(str(Outcome.CREATED)) == 6
    assert outcomes.count(str(Outcome.UNCHANGED)) == 6


@pytest.mark.django_db(transaction=True)
def test_a_file_that_loses_a_real_deadlock_is_run_again(tmp_path):
    """A concurrent writer that deadlocks with an import makes PostgreSQL abort one of them;
    the importer runs that file's transaction again instead of reporting it failed."""
    import time

    import psycopg

    from bulletins.importing import prepare

    store.ensure_topics()
    prepared = prepare.prepare_file(
        write(tmp_path, "dl.txt", sample(number=97)), topics=store.topic_taxonomy(), max_bytes=10**6
    )
    sha_key, issue_key = f"sha:{prepared.sha256}", store.issue_key(prepared)
    db = connection.settings_dict
    other = psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None, password=db["PASSWORD"]
    )
    lock = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"
    other.execute(lock, [issue_key])  # the other writer holds the issue's key (transaction open)
    results = []

    def run_import():
        try:
            results.append(store.store_safely(prepared, force=False, dry_run=False, cache=store.OrganisationCache()))
        finally:
            connection.close()

    importer = threading.Thread(target=run_import)
    importer.start()
    # Wait until the import holds the file's hash key and waits for the issue key ...
    waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    for _ in range(200):
        if other.execute(waiting).fetchone()[0]:
            break
        time.sleep(0.05)
    # ... then ask for the hash key: a cycle, which PostgreSQL breaks by aborting the import.
    other.execute(lock, [sha_key])
    other.commit()
    other.close()
    importer.join(timeout=60)
    assert [str(r.outcome) for r in results] == [str(Outcome.CREATED)], [r.message for r in results]
    assert Issue.objects.filter(number=97, publication__name="湖北省红十字会简报").count() == 1
