"""The admin's history page: every version of a row as before → after, and a one-click restore.

Why our own page instead of simple-history's: its page lists versions and
offers a pre-filled form to save again, which neither marks the restored
fields as the editor's (so a re-import would undo the restore) nor shows what
changed. Here each version is compared with the one before it, field by field
under the fields' Chinese names, long texts line by line, and a POST button
restores it through :func:`bulletins.editing.restore_version`.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import ForeignKey
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import editing
from .history import HIDDEN_FIELDS

KINDS = {"+": "创建", "~": "修改", "-": "删除"}
EMPTY = "（空）"


@dataclass
class Change:
    label: str
    before: str
    after: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # ("-"/"+", line) for long texts


@dataclass
class Version:
    record: object
    kind: str
    author: str
    changes: list[Change]
    restore_url: str = ""


def _display(model, fld, value) -> str:
    """A stored value as an editor reads it: names instead of ids, choice labels, Chinese yes/no."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(fld, ForeignKey):
        target = fld.related_model.objects.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    if fld.choices:
        return str(dict(fld.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if fld.name == "edited_fields":
        return "、".join(field_label(model, name) for name in value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _text_lines(before: str, after: str) -> list[tuple[str, str]]:
    """The lines that differ between two long texts (paragraphs are lines)."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [(line[0], line[1:]) for line in diff if line[:1] in "-+" and not line.startswith(("---", "+++"))]


def compare(model, older, newer) -> list[Change]:
    """What changed from ``older`` to ``newer`` (two versions of one row), in field order."""
    changes = []
    for fld in newer.tracked_fields:
        if fld.name in HIDDEN_FIELDS:
            continue
        before, after = getattr(older, fld.attname), getattr(newer, fld.attname)
        if before == after:
            continue
        label = field_label(model, fld.name)
        if isinstance(before, str) and isinstance(after, str) and ("\n" in before + after or len(before + after) > 160):
            changes.append(Change(label, "", "", _text_lines(before, after)))
        else:
            changes.append(Change(label, _display(model, fld, before), _display(model, fld, after)))
    return changes


def author(record) -> str:
    """Who made a version: the editor, else the recorded reason (an import names its file)."""
    if record.history_user_id:
        name = record.history_user.get_username()
        return f"{name}（{record.history_change_reason}）" if record.history_change_reason else name
    return record.history_change_reason or _("未知")


def versions_of(model, obj) -> list[Version]:
    """Every version of ``obj``, newest first, each compared with the one before it."""
    records = list(
        model.history.filter(id=obj.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    out = []
    for index, record in enumerate(records):
        changes = compare(model, records[index - 1], record) if index else []
        out.append(Version(record, KINDS.get(record.history_type, record.history_type), author(record), changes))
    return out[::-1]


class HistoryAdminMixin:
    """Replaces the admin's history page with the versions page, and adds the restore URL."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{opts.app_label}_{opts.model_name}_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = versions_of(self.model, obj)
        if self.has_change_permission(request, obj):
            for version in versions[1:]:  # the newest is the current state
                version.restore_url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_restore", args=[obj.pk, version.record.history_id]
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("修改历史：%(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": opts,
            "module_name": str(opts.verbose_name_plural),
            "versions": versions,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/bulletins/history.html", context)

    def restore_view(self, request, object_id, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(self.model.history.model, history_id=history_id, id=obj.pk)
        try:
            changed = editing.restore_version(obj, record, user=request.user)
        except IntegrityError:
            messages.error(request, _("无法恢复：恢复后的值与另一条记录重复（例如同名）。"))
        else:
            if changed:
                names = "、".join(field_label(self.model, name) for name in changed)
                messages.success(request, _("已恢复：%(fields)s。重新导入时保留这些字段。") % {"fields": names})
            else:
                messages.info(request, _("这个版本与当前内容相同，没有需要恢复的字段。"))
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_history", obj.pk)
