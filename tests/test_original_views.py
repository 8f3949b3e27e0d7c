"""An imported PDF on the site: the original for download, its pages, the page beside an article, IIIF, the API."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from django.urls import reverse
from test_originals_import import MAKERS, import_files, seed_issue

from bulletins.models import Issue

IIIF_CONTEXT = "http://iiif.io/api/presentation/3/context.json"


@pytest.fixture
def pdf_issue(seeded, tmp_path) -> tuple[Issue, bytes]:
    data = MAKERS["reportlab"]("000")[1]
    pk = seed_issue("000").pk
    code, _out, err = import_files(tmp_path, {"000.pdf": data})
    assert code == 0, err
    return Issue.objects.get(pk=pk), data


def test_the_original_downloads_byte_for_byte_with_its_name_and_type(client, pdf_issue):
    issue, data = pdf_issue
    response = client.get(reverse("bulletins:original_download", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("湖北省红十字会简报-第4期.pdf")
    body = b"".join(response.streaming_content)
    assert body == data and hashlib.sha256(body).hexdigest() == issue.source_sha256


def test_issue_page_shows_thumbnails_that_open_each_page_large(client, pdf_issue):
    issue, _ = pdf_issue
    page = client.get(issue.get_absolute_url()).content.decode()
    assert reverse("bulletins:original_download", args=[issue.pk]) in page
    assert reverse("bulletins:iiif_manifest", args=[issue.pk]) in page
    for number in range(1, issue.pages.count() + 1):
        assert reverse("bulletins:page_image", args=[issue.pk, number, "thumbnail"]) in page
        assert reverse("bulletins:page_detail", args=[issue.pk, number]) in page
    detail = client.get(reverse("bulletins:page_detail", args=[issue.pk, 2]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert reverse("bulletins:page_image", args=[issue.pk, 2, "image"]) in html and "第 2 页" in html
    image = client.get(reverse("bulletins:page_image", args=[issue.pk, 2, "image"]))
    assert image["Content-Type"] == "image/webp"
    body = b"".join(image.streaming_content)
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    for bad in ([issue.pk, 99], [issue.pk, 0]):
        assert client.get(reverse("bulletins:page_detail", args=bad)).status_code == 404
    assert client.get(reverse("bulletins:page_image", args=[issue.pk, 1, "huge"])).status_code == 404


def test_article_page_shows_its_printed_page_beside_the_text(client, pdf_issue):
    issue, _ = pdf_issue
    article = issue.articles.get(title="省红十字会机关工会召开职工大会")
    assert article.pages and article.pages[0] == 2
    html = client.get(article.get_absolute_url()).content.decode()
    assert "第 2 页" in html
    assert reverse("bulletins:page_image", args=[issue.pk, 2, "image"]) in html


def test_a_text_issue_has_no_original_to_download(client, seeded):
    issue = seed_issue("001")
    assert client.get(reverse("bulletins:original_download", args=[issue.pk])).status_code == 404
    assert client.get(reverse("bulletins:iiif_manifest", args=[issue.pk])).status_code == 404
    data = client.get(reverse("opendata:issue-detail", args=[issue.pk])).json()
    assert data["original_url"] is None and data["iiif_manifest"] is None


def _label(value) -> None:
    """A IIIF 3.0 language map: language → list of strings."""
    assert isinstance(value, dict) and value
    assert all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(s, str) for s in v) for k, v in value.items()
    )


def test_iiif_manifest_has_every_required_field_of_presentation_3(client, pdf_issue):
    """The required properties of Manifest, Canvas, AnnotationPage, Annotation and Image (Presentation API 3.0)."""
    issue, _ = pdf_issue
    url = reverse("bulletins:iiif_manifest", args=[issue.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    manifest = response.json()
    assert manifest["@context"] == IIIF_CONTEXT
    assert manifest["id"] == f"http://testserver{url}" and manifest["type"] == "Manifest"
    _label(manifest["label"])
    canvases = manifest["items"]
    assert len(canvases) == issue.pages.count()
    ids = set()
    for number, (canvas, page) in enumerate(zip(canvases, issue.pages.order_by("number"), strict=True), 1):
        assert canvas["type"] == "Canvas" and canvas["id"].startswith("http")
        assert (canvas["width"], canvas["height"]) == (page.width, page.height)
        assert isinstance(canvas["width"], int) and isinstance(canvas["height"], int)
        _label(canvas["label"])
        [annotation_page] = canvas["items"]
        assert annotation_page["type"] == "AnnotationPage" and annotation_page["id"].startswith("http")
        [annotation] = annotation_page["items"]
        assert annotation["type"] == "Annotation" and annotation["motivation"] == "painting"
        assert annotation["target"] == canvas["id"]
        body = annotation["body"]
        assert body["type"] == "Image" and body["format"] == "image/webp"
        assert (body["width"], body["height"]) == (page.width, page.height)
        assert body["id"] == "http://testserver" + reverse("bulletins:page_image", args=[issue.pk, number, "image"])
        assert client.get(body["id"]).status_code == 200
        ids |= {canvas["id"], annotation_page["id"], annotation["id"]}
    assert len(ids) == 3 * len(canvases)
    [rendering] = manifest["rendering"]
    assert rendering["format"] == "application/pdf"


def test_api_links_the_original_and_the_manifest(client, pdf_issue):
    issue, _ = pdf_issue
    data = client.get(reverse("opendata:issue-detail", args=[issue.pk])).json()
    assert data["original_url"] == "http://testserver" + reverse("bulletins:original_download", args=[issue.pk])
    assert data["iiif_manifest"] == "http://testserver" + reverse("bulletins:iiif_manifest", args=[issue.pk])
    assert all(article["pages"] for article in data["articles"])


def test_backup_tar_holds_the_originals_and_page_images_and_restores_them(pdf_issue, tmp_path):
    from django.core.files.storage import default_storage

    from bulletins.stored_files import read_tar, tar_path, write_tar

    issue, data = pdf_issue
    names = [issue.original.name] + [n for p in issue.pages.all() for n in (p.image.name, p.thumbnail.name)]
    stored = {name: default_storage.open(name, "rb").read() for name in names}
    tar = tar_path(tmp_path / "archive.dump")
    assert tar.name == "archive.dump.originals.tar"
    assert write_tar(tar) >= len(names)
    for name in names:
        default_storage.delete(name)
    assert read_tar(tar) >= len(names)
    assert {name: default_storage.open(name, "rb").read() for name in names} == stored
    assert stored[issue.original.name] == data
