"""Visitors of the archive for locust: browsing, filtering, searching in Chinese, the API and CSV.

Run it through ``bench/load_locust.sh`` (gunicorn on 127.0.0.1, bounded users and
time, an import running meanwhile). The proportions follow what a public archive
sees: mostly pages (home, lists, an issue or an article), a quarter filtered
lists and searches, then machine clients (API) and a few CSV exports.

Every request is named by its kind (``/articles/?organisation``, ``/search/``),
not by its URL, so locust reports p50/p95/p99 per kind. Requests carry
``X-Forwarded-Proto: https`` as nginx would send it (production settings
redirect plain HTTP). Ids are read once from the API when the test starts.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_bench import COMMON, NOWHERE, ORGANISATIONS, SEED_RARE, TWO_WORDS

HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}

# Visitors' searches: the benchmark's common words, organisations, word pairs and rare names.
SEARCHES = [*COMMON, *ORGANISATIONS, *TWO_WORDS, *SEED_RARE, *NOWHERE]
YEARS = ["2019", "2020", "2021", "2022", "2023", "2024"]

# Filled at test start from the API.
IDS: dict[str, list] = {"issues": [], "articles": [], "organisations": [], "topics": []}


@events.test_start.add_listener
def load_ids(environment, **_kwargs):
    """A sample of real ids to visit (the first page of each list; locust's clock already runs)."""
    import requests

    host = environment.host
    for kind, key in (("issues", "id"), ("articles", "id"), ("organisations", "id"), ("topics", "slug")):
        response = requests.get(f"{host}/api/{kind}/", params={"page_size": 50}, headers=HEADERS, timeout=60)
        if response.status_code == 200:
            IDS[kind].extend(row[key] for row in response.json()["results"])


def pick(kind: str):
    return random.choice(IDS[kind]) if IDS[kind] else None


class Visitor(HttpUser):
    """One visitor: a page every 0.5-2 s, like a person reading."""

    wait_time = between(0.5, 2)

    def get(self, path: str, name: str, **params):
        with self.client.get(path, params=params, headers=HEADERS, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    # --- browsing ---
    @task(8)
    def home(self):
        self.get("/", "/")

    @task(6)
    def article_list(self):
        self.get("/articles/", "/articles/", page=random.randint(1, 20))

    @task(3)
    def brief_list(self):
        self.get("/briefs/", "/briefs/", page=random.randint(1, 10))

    @task(3)
    def issue_list(self):
        self.get("/issues/", "/issues/")

    @task(6)
    def issue_page(self):
        if (pk := pick("issues")) is not None:
            self.get(f"/issues/{pk}/", "/issues/[id]/")

    @task(10)
    def article_page(self):
        if (pk := pick("articles")) is not None:
            self.get(f"/articles/{pk}/", "/articles/[id]/")

    @task(2)
    def organisation_page(self):
        if (pk := pick("organisations")) is not None:
            self.get(f"/organisations/{pk}/", "/organisations/[id]/")

    @task(2)
    def topic_page(self):
        if (slug := pick("topics")) is not None:
            self.get(f"/topics/{slug}/", "/topics/[slug]/")

    @task(1)
    def topic_list(self):
        self.get("/topics/", "/topics/")

    # --- filtering ---
    @task(4)
    def articles_by_organisation(self):
        if (pk := pick("organisations")) is not None:
            self.get("/articles/", "/articles/?organisation", organisation=pk)

    @task(3)
    def articles_by_topic_and_year(self):
        if (slug := pick("topics")) is not None:
            year = random.choice(YEARS)
            self.get(
                "/articles/",
                "/articles/?topic&date",
                topic=slug,
                date_after=f"{year}-01-01",
                date_before=f"{year}-12-31",
            )

    @task(2)
    def issues_by_year(self):
        self.get("/issues/", "/issues/?year", year=random.choice(YEARS))

    # --- searching in Chinese ---
    @task(8)
    def search(self):
        self.get("/search/", "/search/", q=random.choice(SEARCHES))

    @task(2)
    def filtered_search(self):
        self.get("/articles/", "/articles/?q", q=random.choice(SEARCHES))

    # --- machines ---
    @task(4)
    def api_list(self):
        self.get("/api/articles/", "/api/articles/", page=random.randint(1, 5))

    @task(2)
    def api_search(self):
        self.get("/api/articles/", "/api/articles/?q", q=random.choice(SEARCHES))

    @task(2)
    def api_issue(self):
        if (pk := pick("issues")) is not None:
            self.get(f"/api/issues/{pk}/", "/api/issues/[id]/")

    @task(1)
    def csv_export(self):
        if (slug := pick("topics")) is not None:
            year = random.choice(YEARS)
            self.get(
                "/articles.csv",
                "/articles.csv?topic&date",
                topic=slug,
                date_after=f"{year}-01-01",
                date_before=f"{year}-12-31",
            )
