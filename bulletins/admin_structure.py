"""The issue's structure page in the admin: split, merge, convert and reorder articles.

Why a page of its own, linked from the issue's change page: each correction
is one small POST form (a button, or a paragraph choice and a title), which
cannot sit inside the change form's own form. Every operation runs in
:mod:`bulletins.editing`, in one transaction, and comes back here with a
message; the hidden issue version refuses a page older than the issue.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import editing


class StructureForm(forms.Form):
    operation = forms.ChoiceField(
        choices=[(name, name) for name in ("split", "merge", "to_brief", "to_article", "move")]
    )
    target = forms.IntegerField(min_value=1)
    version = forms.IntegerField(required=False)
    at = forms.IntegerField(required=False, min_value=1)
    position = forms.IntegerField(required=False, min_value=1)
    title = forms.CharField(required=False, max_length=500)


def _run(issue_id: int, data: dict, user) -> str:
    """Perform one operation; the message to show the editor."""
    common = {"user": user, "version": data["version"]}
    operation, target = data["operation"], data["target"]
    if operation == "split":
        if not data["at"]:
            raise editing.EditError(_("请选择新文章从哪一段开始。"))
        new = editing.split_article(issue_id, target, data["at"], data["title"], **common)
        return _("已拆分，新文章“%(title)s”排在第 %(position)d 篇。") % {"title": new.title, "position": new.position}
    if operation == "merge":
        merged = editing.merge_into_previous(issue_id, target, **common)
        return _("已并入第 %(position)d 篇“%(title)s”。") % {"position": merged.position, "title": merged.title}
    if operation == "to_brief":
        brief = editing.article_to_brief(issue_id, target, **common)
        return _("已改为第 %(position)d 条简讯。") % {"position": brief.position}
    if operation == "to_article":
        article = editing.brief_to_article(issue_id, target, data["title"], **common)
        return _("已改为第 %(position)d 篇文章“%(title)s”。") % {"position": article.position, "title": article.title}
    if not data["position"]:
        raise editing.EditError(_("请指定新的位置。"))
    moved = editing.move_article(issue_id, target, data["position"], **common)
    return _("“%(title)s”已移到第 %(position)d 篇。") % {"title": moved.title, "position": moved.position}


class StructureAdminMixin:
    """Adds ``<issue>/structure/`` to the issue admin."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/structure/",
                self.admin_site.admin_view(self.structure_view),
                name=f"{opts.app_label}_{opts.model_name}_structure",
            ),
            *super().get_urls(),
        ]

    def structure_view(self, request, object_id):
        opts = self.model._meta
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            return self._get_obj_does_not_exist_redirect(request, opts, object_id)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_structure", args=[issue.pk])
        if request.method == "POST":
            if not self.has_change_permission(request, issue):
                raise PermissionDenied
            form = StructureForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请求不完整，请重新打开本页再试。"))
                return redirect(url)
            try:
                messages.success(request, _run(issue.pk, form.cleaned_data, request.user))
            except editing.EditError as exc:
                messages.error(request, str(exc))
            return redirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("修改文章结构：%(issue)s") % {"issue": issue},
            "subtitle": None,
            "opts": opts,
            "original": issue,
            "articles": list(issue.articles.order_by("position")),
            "briefs": list(issue.briefs.order_by("position")),
            "can_change": self.has_change_permission(request, issue),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/bulletins/issue/structure.html", context)
