"""The rows an imported issue points to: organisations, its publisher and publication, topics.

Why a cache: a batch names the same few hundred organisations again and again;
each is looked up (or created) once per batch, in one statement per file for
the names not seen yet.
"""

from __future__ import annotations

from django.db import connection

from ..analysis.organisations import OrgMention, describe
from ..models import Organisation, Publication, Topic
from .prepare import PreparedFile
from .rows import References


class OrganisationCache:
    """Canonical organisations by name, created on first sight, in few queries.

    Also keeps the topics and publications already looked up during one batch,
    so a file costs no query for them once they are known.
    """

    def __init__(self):
        self._by_name: dict[str, Organisation] = {}
        self._publications: dict[tuple[str, int | None], Publication] = {}
        self._topics: dict[str, Topic] | None = None

    def clear(self) -> None:
        """Forget everything: after a rolled-back transaction, cached rows may not exist."""
        self._by_name.clear()
        self._publications.clear()
        self._topics = None

    def topics(self) -> dict[str, Topic]:
        if self._topics is None:
            self._topics = {t.slug: t for t in Topic.objects.all()}
        return self._topics

    def publication(self, name: str, publisher: Organisation | None) -> Publication:
        """The publication ``name`` of this publisher, created if new: one statement, no savepoint.

        Keyed by name and publisher: 工作简报 is the name of many organisations' series.
        """
        publisher_id = publisher.pk if publisher else None
        key = (name, publisher_id)
        found = self._publications.get(key)
        if found is None:
            table = Publication._meta.db_table
            look_up = (
                f"SELECT id, name, publisher_id FROM {table} WHERE name = %s AND publisher_id IS NOT DISTINCT FROM %s"
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH new AS (INSERT INTO {table} (name, publisher_id) VALUES (%s, %s)"
                    " ON CONFLICT (name, publisher_id) DO NOTHING RETURNING id, name, publisher_id)"
                    f" SELECT id, name, publisher_id FROM new UNION ALL {look_up}",
                    [name, publisher_id, name, publisher_id],
                )
                row = cursor.fetchone()
                if row is None:
                    # Committed by another import after this statement began: a new statement sees it.
                    cursor.execute(look_up, [name, publisher_id])
                    row = cursor.fetchone()
            found = Publication.from_db(None, ["id", "name", "publisher_id"], row)
            self._publications[key] = found
        return found

    def resolve(self, mentions: list[OrgMention]) -> dict[str, Organisation]:
        """Organisations by name for these mentions (and their parents), creating the new ones.

        Names not cached yet cost one statement: an ``INSERT ... ON CONFLICT DO
        NOTHING`` returning the new rows, and the existing ones read in the same
        statement. A name committed by a concurrent import after that statement
        began is in neither; a second look-up finds it.
        """
        wanted = {m.name: m for m in mentions}
        for parent in {m.parent for m in mentions if m.parent}:
            wanted.setdefault(parent, describe(parent))
        # Sorted, so that two imports creating the same names lock them in the same order.
        missing = sorted(name for name in wanted if name not in self._by_name)
        if missing:
            table = Organisation._meta.db_table
            fields = ["id", "name", "parent_id"]
            created = False
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH new AS (INSERT INTO {table} (name, kind, level, region, province, aliases)"
                    " SELECT name, kind, level, region, province, '{}' FROM unnest(%s::text[], %s::text[],"
                    " %s::text[], %s::text[], %s::text[]) AS v(name, kind, level, region, province)"
                    " ORDER BY name ON CONFLICT (name) DO NOTHING RETURNING id, name, parent_id, true)"
                    f" SELECT * FROM new UNION ALL SELECT id, name, parent_id, false FROM {table}"
                    " WHERE name = ANY(%s::text[])",
                    [
                        missing,
                        [wanted[n].kind for n in missing],
                        [wanted[n].level for n in missing],
                        [wanted[n].region for n in missing],
                        [wanted[n].province for n in missing],
                        missing,
                    ],
                )
                for *row, is_new in cursor.fetchall():
                    self._by_name[row[1]] = Organisation.from_db(None, fields, row)
                    created = created or is_new
                late = [name for name in missing if name not in self._by_name]
                if late:
                    cursor.execute(f"SELECT id, name, parent_id FROM {table} WHERE name = ANY(%s::text[])", [late])
                    for row in cursor.fetchall():
                        self._by_name[row[1]] = Organisation.from_db(None, fields, row)
            if created:
                self._link_parents(sorted((m for m in wanted.values() if m.parent), key=lambda m: m.name))
        return {name: self._by_name[name] for name in wanted}

    def _link_parents(self, mentions: list[OrgMention]) -> None:
        """Give organisations without a parent the one their mention names, in one statement."""
        pairs = []
        for mention in mentions:
            org, parent = self._by_name.get(mention.name), self._by_name.get(mention.parent)
            if org and parent and org.parent_id is None and org.pk != parent.pk:
                pairs.append((org, parent))
        if not pairs:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Organisation._meta.db_table} AS o SET parent_id = v.parent"
                f" FROM (VALUES {', '.join(['(%s::bigint, %s::bigint)'] * len(pairs))}) AS v(id, parent)"
                " WHERE o.id = v.id AND o.parent_id IS NULL",
                [pk for org, parent in pairs for pk in (org.pk, parent.pk)],
            )
        for org, parent in pairs:
            org.parent_id = parent.pk


def resolve_references(prepared: PreparedFile, cache: OrganisationCache, now) -> tuple[dict, References]:
    """The link targets by relation (organisations by name, topics by slug) and the issue's references."""
    parsed = prepared.issue
    mentions = [m for analysed in [*prepared.articles, *prepared.briefs] for m in analysed.organisations]
    if prepared.publisher:
        mentions.append(prepared.publisher)
    orgs = cache.resolve(mentions)
    publisher = orgs.get(prepared.publisher.name) if prepared.publisher else None
    publication = None
    if parsed.publication:
        publication = cache.publication(parsed.publication, publisher)
    refs = References(
        publication_id=publication.pk if publication else None,
        publisher_id=publisher.pk if publisher else None,
        imported_at=now,
    )
    return {"organisations": orgs, "topics": cache.topics()}, refs
