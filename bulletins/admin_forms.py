"""Admin form fields that store exactly what the editor meant, and notice only real changes.

Why: browsers submit every textarea with CRLF line ends (HTML's form encoding
says so), while the importer stores LF. Saved as posted, an untouched article
body would be rewritten with "\\r\\n", its paragraphs (split on "\\n\\n") would
run together on the public pages, and the body would count as an editor's
change that every later re-import keeps. So every multi-line field of every
admin form turns CRLF and lone CR into LF, and only that: no stripping of
leading or trailing spaces, which a multi-line text may legitimately carry.
A field counts as changed only when its normalised value differs from the
normalised stored value.

A list of texts (an article's picture captions) is edited one item per line:
the comma-separated input Django offers by default would split a caption that
contains a comma into two on an untouched save.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin import widgets
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


def normalise_line_ends(value):
    """CRLF and lone CR become LF; any other character is left as it is."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class MultiLineField(forms.CharField):
    """A textarea whose value is stored with LF line ends and otherwise untouched."""

    widget = forms.Textarea

    def __init__(self, *, strip=False, **kwargs):
        super().__init__(strip=strip, **kwargs)

    def to_python(self, value):
        return normalise_line_ends(super().to_python(value))

    def has_changed(self, initial, data):
        return super().has_changed(normalise_line_ends(initial), data)


class LinesArrayField(SimpleArrayField):
    """A list of one-line texts, one per line; blank lines are ignored, line ends normalised."""

    def __init__(self, base_field, **kwargs):
        kwargs.setdefault("widget", widgets.AdminTextareaWidget(attrs={"rows": 4}))
        # Compare with the stored list, not with a copy of it carried through a hidden input.
        kwargs["show_hidden_initial"] = False
        super().__init__(base_field, delimiter="\n", **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "\n".join(line for line in normalise_line_ends(value).split("\n") if line.strip())
        return super().to_python(value)


class LineEndsAdminMixin:
    """For every ModelAdmin and inline: each ``TextField`` is edited through a ``MultiLineField``.

    ``formfield_for_dbfield`` is the hook Django's admin uses for every model
    field of its forms and inline formsets, whatever form class the admin
    declares, so no multi-line field can be forgotten.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", MultiLineField)
        elif isinstance(db_field, ArrayField) and isinstance(db_field.base_field, models.TextField):
            kwargs.setdefault("form_class", LinesArrayField)
            kwargs.setdefault("help_text", _("每行一条。"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def verbose_field_names(model, names) -> str:
    """``edited_fields`` as a reader sees them: the fields' Chinese names, joined."""
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a field since removed from the model: show its stored name
            labels.append(name)
    return "、".join(labels) if labels else "—"
