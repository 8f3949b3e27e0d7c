"""Reusable reads: every list, feed, export and API endpoint builds on these.

Why querysets and not helpers in views: the HTML lists, the JSON API, the CSV
exports and the feeds all ask the same questions ("articles mentioning this
organisation", "brief items in April 2021"); writing them once keeps them
answering alike. Full-text search is in ``search.py``.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncMonth

from .caching import cached_aggregate

# How many of the newest articles per shared keyword set or organisation ``related_to`` weighs.
RELATED_POOL = 200


def _model(name: str) -> type[models.Model]:
    """A model of this app by name: the models module imports this one, so it cannot be imported here."""
    return apps.get_model("bulletins", name)


def _count_subquery(queryset: models.QuerySet) -> models.Subquery:
    """COUNT(*) of a correlated queryset as an integer expression (0 when empty)."""
    counted = queryset.order_by().annotate(n=models.Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), models.Value(0))


def within(queryset: models.QuerySet, field: str = "pk") -> Q:
    """``Q(field__in=<the ids of queryset>)``, or an empty ``Q`` when ``queryset`` holds every row.

    Why: a facet count restricts link rows to the list's items with a subquery
    of their ids; for an unfiltered list that subquery names every article,
    and PostgreSQL would join every link row with it for nothing.
    """
    if queryset.query.has_filters() or queryset.query.is_sliced:
        return Q(**{f"{field}__in": queryset.order_by().values("pk")})
    return Q()


def _organisation_pair_counts(pairs: models.QuerySet) -> list[tuple[int, str, int]]:
    """[(organisation id, name, count)] from a queryset of distinct (organisation id, item id) pairs.

    Why raw SQL around an ORM union: an item counts for an organisation whether
    it mentions it or its issue was published by it, once; grouping a UNION is
    the one-query way to say that, and the ORM cannot aggregate over a union.
    """
    Organisation = _model("Organisation")
    try:
        sql, params = pairs.query.get_compiler(using=pairs.db).as_sql()
    except EmptyResultSet:  # e.g. a search that matched nothing of this kind
        return []
    table = connections[pairs.db].ops.quote_name(Organisation._meta.db_table)
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT o.id, o.name, COUNT(*) AS n FROM ({sql}) AS pairs (org_id, item_id) "
            f"JOIN {table} o ON o.id = pairs.org_id GROUP BY o.id, o.name ORDER BY n DESC, o.name",
            params,
        )
        return [tuple(row) for row in cursor.fetchall()]


class _DatedTextQuerySet(models.QuerySet):
    """Shared reads for articles and brief items: both are dated texts in an issue."""

    text_fields: tuple[str, ...] = ()

    def between(self, after: datetime.date | None = None, before: datetime.date | None = None):
        """By effective date (``day``: the event date, else the issue's), an indexed column."""
        qs = self
        if after:
            qs = qs.filter(day__gte=after)
        if before:
            qs = qs.filter(day__lte=before)
        return qs

    def for_organisation(self, organisation):
        """Items that mention the organisation or appear in an issue it published.

        Looked up from the organisation's side (its mentions, and the items of
        the issues it published, as one UNION) rather than tested item by item
        ("mentions it OR its issue's publisher is it"): PostgreSQL cannot drive
        such an OR from an index, so a count, a facet or a list of an
        organisation with few items read the whole archive (0.8-3 s at a
        million articles, under a millisecond this way; a busy organisation's
        count 0.8 s -> 0.12 s).
        """
        pk = getattr(organisation, "pk", organisation)
        column = f"{self.model._meta.model_name}_id"
        mentions = self.model.organisations.through.objects.using(self.db).filter(organisation_id=pk)
        published = self.model.objects.using(self.db).filter(issue__publisher=pk).order_by().values("pk")
        return self.filter(pk__in=mentions.order_by().values(column).union(published))

    def for_topic(self, topic):
        through = self.model.topics.through
        tagged = through.objects.filter(
            **{f"{self.model._meta.model_name}_id": OuterRef("pk"), "topic_id": getattr(topic, "pk", topic)}
        )
        return self.filter(Exists(tagged))

    def for_publication(self, publication):
        return self.filter(issue__publication=publication)

    def newest_first(self):
        """The order of the lists, exports and API: newest effective date first (undated last), then issue order."""
        return self.order_by(F("day").desc(nulls_last=True), "-issue_id", "position")

    def list_related(self):
        """What a list row shows, fetched in a constant number of queries."""
        return (
            self.select_related("issue__publication", "issue__publisher")
            .prefetch_related("organisations", "topics")
            # search-only columns, as large as the text itself; and each row's issue without its whole original text
            .defer("segmented_text", "search_text", "search_vector", *(f"issue__{name}" for name in ISSUE_TEXT_FIELDS))
        )

    def organisation_counts(self) -> list[tuple[int, str, int]]:
        """[(organisation id, name, n)]: how many of these items ``for_organisation`` would keep, per organisation."""
        return _organisation_pair_counts(self._organisation_pairs())

    def _organisation_pairs(self) -> models.QuerySet:
        """(organisation id, item id) once for each item ``for_organisation`` keeps for each organisation."""
        model_name = self.model._meta.model_name
        through = self.model.organisations.through
        links = through.objects.using(self.db)
        mentioned = links.filter(within(self, f"{model_name}_id")).values_list("organisation_id", f"{model_name}_id")
        # Items counted for their issue's publisher only when they do not mention it already: the two sets are
        # then disjoint and UNION ALL needs no de-duplication (no sort of every pair).
        also_mentioned = links.filter(
            **{f"{model_name}_id": OuterRef("pk"), "organisation_id": OuterRef("issue__publisher_id")}
        )
        published = (
            self.model.objects.using(self.db)
            .filter(within(self), issue__publisher__isnull=False)
            .exclude(Exists(also_mentioned))
            .order_by()
            .values_list("issue__publisher_id", "pk")
        )
        return mentioned.union(published, all=True)

    def subject_months(self, subject: str) -> dict:
        """{organisation id or topic slug: {first day of month or None (undated): n}} for the whole archive.

        What an organisation's or a topic's page shows (its total is the sum,
        its chart the dated months), for every organisation or topic in one
        grouped query: per page, a busy topic's months read 1.5 s at a million
        articles; grouped once, by the writer after a change, they cost a look-up.
        """
        table = self.model._meta.db_table
        if subject == "topic":
            through = self.model.topics.through
            pairs = through.objects.using(self.db).values_list("topic__slug", f"{self.model._meta.model_name}_id")
        else:
            pairs = self._organisation_pairs()
        sql, params = pairs.query.get_compiler(using=self.db).as_sql()
        found: dict = {}
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT pairs.subject, date_trunc('month', item.day)::date, COUNT(*) FROM ({sql}) AS pairs"
                f" (subject, item_id) JOIN {table} item ON item.id = pairs.item_id GROUP BY 1, 2",
                params,
            )
            for key, month, n in cursor.fetchall():
                found.setdefault(key, {})[month] = n
        return found

    def topic_counts(self) -> list[tuple[str, str, int]]:
        """[(topic slug, name, n)]: how many of these items each topic holds, one grouped query."""
        model_name = self.model._meta.model_name
        through = self.model.topics.through
        rows = (
            through.objects.using(self.db)
            .filter(within(self, f"{model_name}_id"))
            .values_list("topic__slug", "topic__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "topic__name")
        )
        return list(rows)

    def month_counts(self) -> dict[datetime.date, int]:
        """{first day of month: n} by effective date (items with no date at all are left out)."""
        rows = (
            self.order_by()
            .filter(day__isnull=False)
            .annotate(month=TruncMonth("day"))
            .values_list("month")
            .annotate(n=Count("pk"))
        )
        return dict(rows)


class ArticleQuerySet(_DatedTextQuerySet):
    text_fields = ("title", "subtitle", "body")

    def for_section(self, section: str):
        return self.filter(section=section)

    def related_to(self, article, limit: int = 5):
        """Other articles sharing the most specific keywords and organisations with ``article``.

        Scored by :mod:`bulletins.related_scoring` (each shared thing weighs its
        inverse document frequency, shared topics only break ties). Bounded at
        archive scale: the candidates are the ``RELATED_POOL`` newest articles
        carrying one of its rarest keywords (the GIN index on ``keywords``) and,
        per organisation it mentions, the ``RELATED_POOL`` newest mentioning it
        (migration 0004's index); frequencies are counted for its own keywords
        and organisations only.
        """
        if not article.pk:
            return []
        # Remembered per archive state, and served up to an hour after a change: the frequencies read every
        # article carrying one of its keywords (1.5 s at a million articles), and a new import barely moves them.
        ids = cached_aggregate(
            "related", lambda: self._related_ids(article.pk, limit), params=(article.pk, limit), stale_seconds=3600
        )
        found = (
            self.filter(pk__in=ids)
            .select_related("issue")
            .defer("segmented_text", "search_text", "search_vector", *(f"issue__{name}" for name in ISSUE_TEXT_FIELDS))
            .in_bulk()
        )
        return [found[pk] for pk in ids if pk in found]

    def _related_ids(self, pk: int, limit: int) -> list[int]:
        from .related_scoring import related, specific_terms

        profiles = self._profiles([pk])
        if not profiles:
            return []
        profile = profiles[0]
        freq = self._frequencies(profile)
        terms = specific_terms(profile, freq)
        pool = set()
        if terms:
            pool.update(
                self.filter(keywords__overlap=terms)
                .exclude(pk=pk)
                .order_by("-pk")
                .values_list("pk", flat=True)[:RELATED_POOL]
            )
        pool.update(self._organisation_pool(pk))
        return [pk for pk, _score in related(profile, self._profiles(sorted(pool)), freq, limit=limit)]

    def _organisation_pool(self, pk: int) -> list[int]:
        orgs = self.model.organisations.through._meta.db_table
        sql = f"""
            SELECT DISTINCT linked.article_id
            FROM {orgs} mine CROSS JOIN LATERAL (
                SELECT article_id FROM {orgs} o
                WHERE o.organisation_id = mine.organisation_id AND o.article_id <> %(pk)s
                ORDER BY o.article_id DESC LIMIT %(pool)s
            ) linked WHERE mine.article_id = %(pk)s
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, {"pk": pk, "pool": RELATED_POOL})
            return [row[0] for row in cursor.fetchall()]

    def _profiles(self, ids: list[int]) -> list:
        """:class:`~bulletins.related_scoring.ItemProfile` of each article in ``ids`` (three queries)."""
        from .related_scoring import ItemProfile

        if not ids:
            return []
        rows = self.model.objects.filter(pk__in=ids).values_list("pk", "keywords", "day", "issue__publisher_id")
        orgs: dict[int, set[int]] = {pk: set() for pk in ids}
        for pk, org in self.model.organisations.through.objects.filter(article_id__in=ids).values_list(
            "article_id", "organisation_id"
        ):
            orgs[pk].add(org)
        topics: dict[int, set[str]] = {pk: set() for pk in ids}
        for pk, slug in self.model.topics.through.objects.filter(article_id__in=ids).values_list(
            "article_id", "topic__slug"
        ):
            topics[pk].add(slug)
        by_pk = {
            pk: ItemProfile(
                id=pk,
                keywords=tuple(keywords or ()),
                organisations=frozenset(orgs[pk] | ({publisher} if publisher else set())),
                topics=frozenset(topics[pk]),
                day=day,
            )
            for pk, keywords, day, publisher in rows
        }
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def _frequencies(self, profile):
        """How many articles carry each of ``profile``'s keywords and organisations, and how many there are."""
        from .related_scoring import Frequencies

        total, terms, organisations = self.related_frequencies()
        return Frequencies(
            total=total,
            terms={term: terms[term] for term in profile.keywords if term in terms},
            organisations={org: organisations[org] for org in profile.organisations if org in organisations},
        )

    def related_frequencies(self) -> tuple[int, dict[str, int], dict[int, int]]:
        """(articles, {keyword: articles carrying it}, {organisation: articles mentioning it + published by it}).

        Why for the whole archive at once: counted for one article's keywords,
        the common ones among them read a tenth of the archive (1.3 s for a
        first visit to an article at a million articles); grouped once, by the
        writer after an import (:mod:`bulletins.warmup`) and served for up to an
        hour after a change (document frequencies hardly move with a few more
        issues), they cost a dictionary look-up.
        """
        return cached_aggregate("related-frequencies", self._count_frequencies, stale_seconds=3600)

    def _count_frequencies(self) -> tuple[int, dict[str, int], dict[int, int]]:
        base = self.model.objects.using(self.db)
        table = self.model._meta.db_table
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT k, COUNT(*) FROM {table}, unnest(keywords) AS k GROUP BY k")
            terms = dict(cursor.fetchall())
        organisations = dict(
            self.model.organisations.through.objects.using(self.db)
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        published = base.filter(issue__publisher_id__isnull=False).order_by()
        for org, n in published.values_list("issue__publisher_id").annotate(n=Count("pk")):
            organisations[org] = organisations.get(org, 0) + n
        return base.count(), terms, organisations


class BriefItemQuerySet(_DatedTextQuerySet):
    text_fields = ("text",)


# An issue's columns that only its own page shows: the original text is 5-20 KB per issue, and a list of
# 100 issues (or of 100 articles, each with its issue) would otherwise read and send all of it.
ISSUE_TEXT_FIELDS = ("raw_text", "review_notes")


class IssueQuerySet(models.QuerySet):
    def without_text(self):
        """Issues for lists and feeds: everything but the original text and review notes (see ISSUE_TEXT_FIELDS)."""
        return self.defer(*ISSUE_TEXT_FIELDS)

    def with_item_counts(self):
        """article_count and brief_count by subqueries: no articles x briefs row product on big issues."""
        Article, BriefItem = _model("Article"), _model("BriefItem")
        return self.annotate(
            article_count=_count_subquery(Article.objects.filter(issue=OuterRef("pk"))),
            brief_count=_count_subquery(BriefItem.objects.filter(issue=OuterRef("pk"))),
        )

    def newest_first(self):
        """The order of the issue list and its API: newest first, undated issues last."""
        return self.order_by(F("date").desc(nulls_last=True), F("number").desc(nulls_last=True), "-pk")

    def for_organisation(self, organisation):
        return self.filter(Q(publisher=organisation) | Q(publication__publisher=organisation))

    def organisation_counts(self) -> list[tuple[int, str, int]]:
        """[(organisation id, name, n)]: how many of these issues ``for_organisation`` would keep, per organisation."""
        base = self.model.objects.using(self.db).filter(within(self)).order_by()  # no sort inside the union
        published = base.filter(publisher__isnull=False).values_list("publisher_id", "pk")
        series = base.filter(publication__publisher__isnull=False).values_list("publication__publisher_id", "pk")
        return _organisation_pair_counts(published.union(series))

    def neighbours(self, issue):
        """(previous, next) issue of the same publication by date then number; None where there is none."""
        if issue.publication_id is None:
            return None, None
        same = self.filter(publication_id=issue.publication_id).exclude(pk=issue.pk)
        if issue.date is not None:
            before = Q(date__lt=issue.date) | Q(date=issue.date, pk__lt=issue.pk)
            after = Q(date__gt=issue.date) | Q(date=issue.date, pk__gt=issue.pk)
            order = ("date", "pk")
        elif issue.number is not None:
            before, after = Q(number__lt=issue.number), Q(number__gt=issue.number)
            order = ("number", "pk")
        else:
            return None, None
        previous = same.filter(before).order_by(*(f"-{f}" for f in order)).first()
        following = same.filter(after).order_by(*order).first()
        return previous, following


class OrganisationQuerySet(models.QuerySet):
    def with_item_counts(self):
        """issue_count, article_count, brief_count as the ``organisation`` filter counts them, by subqueries.

        Why subqueries: an item counts when it mentions the organisation or its
        issue was published by it (as ``for_organisation`` says), and joins would
        multiply articles x briefs x issues rows.
        """
        Article, BriefItem, Issue = _model("Article"), _model("BriefItem"), _model("Issue")

        def items(model):
            link = model.organisations.through.objects.filter(
                **{f"{model._meta.model_name}_id": OuterRef("pk"), "organisation_id": OuterRef(OuterRef("pk"))}
            )
            return model.objects.filter(Q(Exists(link)) | Q(issue__publisher=OuterRef("pk")))

        return self.annotate(
            issue_count=_count_subquery(Issue.objects.for_organisation(OuterRef("pk"))),
            article_count=_count_subquery(items(Article)),
            brief_count=_count_subquery(items(BriefItem)),
        )


class TopicQuerySet(models.QuerySet):
    def with_item_counts(self):
        """article_count and brief_count by subqueries on the link tables (no row product)."""
        Article, BriefItem = _model("Article"), _model("BriefItem")
        return self.annotate(
            article_count=_count_subquery(Article.topics.through.objects.filter(topic_id=OuterRef("pk"))),
            brief_count=_count_subquery(BriefItem.topics.through.objects.filter(topic_id=OuterRef("pk"))),
        )
