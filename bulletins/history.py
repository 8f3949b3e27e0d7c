"""Who changed a row and why, for every version django-simple-history records.

Why a context and a subclass: the importer and the structural edits save rows
outside a request, and several of them through bulk statements, so the author
of a version ("导入 e.txt", an editor splitting an article) is set once around
the work with :func:`recording` and read here, instead of on every instance.
An ordinary admin save needs nothing: the middleware records the request, and
its user is the author.

This module does not import the models (they import it to declare their
history); functions that need a model take it as an argument.
"""

from __future__ import annotations

import contextlib
import functools
import threading

from django.db import connection
from django.db.models import signals
from django.utils import timezone
from simple_history.models import HistoricalRecords

_context = threading.local()

# Tracked fields that mean nothing to a reader: derived search data and book-keeping.
HIDDEN_FIELDS = {"id", "segmented_text", "keywords", "version", "updated_at", "imported_at", "day"}

# The reason recorded for the state a row had before its first recorded change.
BASELINE_REASON = "原始版本"


def import_reason(source_name: str) -> str:
    return f"导入 {source_name}"


@contextlib.contextmanager
def recording(reason: str, user=None):
    """Every version written inside this block carries ``reason`` (and ``user`` when given)."""
    previous = getattr(_context, "value", None)
    _context.value = (reason, user)
    try:
        yield
    finally:
        _context.value = previous


def current_reason() -> str | None:
    value = getattr(_context, "value", None)
    return value[0] if value else None


def current_user():
    value = getattr(_context, "value", None)
    return value[1] if value else None


class ArchiveHistoricalRecords(HistoricalRecords):
    """simple-history's records, with the author taken from :func:`recording` when set.

    Also records a row's state before its first change when no version of it
    exists yet (rows written by raw SQL, or before history was kept), so every
    change can be shown as before → after and undone.
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if getattr(sender._meta, "simple_history_manager_attribute", None) == self.manager_name:
            signals.pre_save.connect(self.pre_save_baseline, sender=sender, weak=False)

    def pre_save_baseline(self, instance, raw=False, **kwargs):
        if raw or instance.pk is None or instance._state.adding:
            return
        manager = getattr(type(instance), self.manager_name)
        if not manager.filter(**{instance._meta.pk.attname: instance.pk}).exists():
            copy_rows(type(instance), "id = %s", [instance.pk], BASELINE_REASON)

    def create_historical_record(self, instance, history_type, using=None):
        # A field saved as an expression (``version = F("version") + 1``) is read back: a version holds values.
        pending = [
            f.attname
            for f in self.fields_included(instance)
            if hasattr(instance.__dict__.get(f.attname), "resolve_expression")
        ]
        if pending:
            instance.refresh_from_db(fields=pending)
        super().create_historical_record(instance, history_type, using=using)

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or current_reason()

    def get_history_user(self, instance):
        if not hasattr(instance, "_history_user") and current_user() is not None:
            return current_user()
        return super().get_history_user(instance)


@functools.cache
def _history_model(model):
    """``model.history.model``, looked up once: each read of ``model.history`` builds a manager class anew
    (``from_queryset``), which cost the importer more than one of its statements per file."""
    return model.history.model


def _copy_sql(model, history_model, where: str) -> str:
    """``INSERT INTO <history> SELECT ... FROM <table> WHERE <where>``.

    Parameters: the date, reason and user of the versions, then those of ``where``.
    """
    history_model = history_model or _history_model(model)
    columns = ", ".join(f.column for f in history_model._meta.concrete_fields if not f.name.startswith("history_"))
    return (
        f"INSERT INTO {history_model._meta.db_table} ({columns}, history_date, history_type,"
        f" history_change_reason, history_user_id) SELECT {columns}, %s, '+', %s, %s FROM {model._meta.db_table}"
        f" WHERE {where}"
    )


def record_new_issue(issue_model, part_models, issue_id: int) -> None:
    """First versions of a new issue and its rows, inserted by SQL, in one statement."""
    head = [timezone.now(), current_reason(), getattr(current_user(), "pk", None)]
    parts = [f"p{index} AS ({_copy_sql(model, None, 'issue_id = %s')})" for index, model in enumerate(part_models)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(parts)} {_copy_sql(issue_model, None, 'id = %s')}",
            [*head, issue_id] * (len(part_models) + 1),
        )


def copy_rows(model, where: str, params: list, reason: str, *, history_model=None) -> None:
    """Record the stored state of ``model``'s rows matching ``where`` as versions, in one statement.

    Why SQL: the importer inserts new issues with hand-built statements, and a
    version per row through model instances would cost more than the insert.
    Works with the migration's frozen models too (columns come from the
    history model's own fields).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _copy_sql(model, history_model, where),
            [timezone.now(), reason, getattr(current_user(), "pk", None), *params],
        )


def record_bulk(model, objs, *, created: bool = False) -> None:
    """Versions for rows written by ``bulk_create``/``bulk_update``, skipping rows that did not change.

    A re-import rewrites every row of the issue; only the rows whose values
    really differ from their last version get a new one.
    """
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs:
        return
    history = model.history.model
    names = [f.attname for f in history.tracked_fields]
    latest = {}
    if not created:
        records = model.history.filter(id__in=[obj.pk for obj in objs]).order_by("id", "-history_date", "-history_id")
        latest = {record.id: record for record in records.distinct("id")}
    changed = [
        obj
        for obj in objs
        if obj.pk not in latest or any(getattr(obj, name) != getattr(latest[obj.pk], name) for name in names)
    ]
    model.history.bulk_history_create(
        changed,
        update=not created,
        default_change_reason=current_reason() or "",
        default_user=current_user(),
    )
