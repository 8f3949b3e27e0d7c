"""Repair what admin saves with CRLF line ends did: normalise stored text, and unmark untouched fields.

Browsers post textareas with CRLF; before the admin normalised line ends, an
untouched save stored every article body and brief text with "\r\n" and marked
``body``/``text`` as an editor's change, which every later re-import kept.

1. Every ``TextField`` of the app gets LF line ends (CRLF and lone CR become LF).
2. An article's ``body`` (a brief item's ``text``) marked as edited loses that
   mark when its stored value equals what the issue's stored ``raw_text`` gives
   through today's parser at the same position: that row was only re-saved, not
   edited. A row whose value differs keeps its mark: an editor really changed it.

The repair runs the current parser on purpose: the question is whether the next
re-import would produce the same text, and that is what the current parser decides.
"""

from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Replace

from bulletins.parsing.bulletin import parse_bulletin
from bulletins.parsing.results import ParseError

CR, LF = "\r", "\n"
# (model, field that an untouched save wrongly marked, the parsed issue's list, that list's item attribute)
MARKED = (("Article", "body", "articles", "body"), ("BriefItem", "text", "briefs", "text"))


def normalise_text_fields(apps) -> None:
    for model in apps.get_app_config("bulletins").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                name = field.attname
                value = Replace(Replace(F(name), Value(CR + LF), Value(LF)), Value(CR), Value(LF))
                model._base_manager.filter(**{f"{name}__contains": CR}).update(**{name: value})


def unmark_unedited(apps) -> None:
    Issue = apps.get_model("bulletins", "Issue")
    for model_name, field, parsed_list, parsed_attr in MARKED:
        model = apps.get_model("bulletins", model_name)
        marked = model._base_manager.filter(edited_fields__contains=[field]).order_by("issue_id", "position")
        by_issue = {}
        for row in marked:
            by_issue.setdefault(row.issue_id, []).append(row)
        for issue in Issue._base_manager.filter(pk__in=by_issue).only("pk", "raw_text", "source_name"):
            try:
                parsed = parse_bulletin(issue.raw_text, source_name=issue.source_name)
            except ParseError:
                continue  # the source no longer parses: nothing to compare with, the marks stay
            source = {item.position: getattr(item, parsed_attr) for item in getattr(parsed, parsed_list)}
            for row in by_issue[issue.pk]:
                if source.get(row.position) == getattr(row, field):
                    row.edited_fields = [name for name in row.edited_fields if name != field]
                    row.save(update_fields=["edited_fields"])


def repair(apps, schema_editor) -> None:
    normalise_text_fields(apps)
    unmark_unedited(apps)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0006_linear_bigrams")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
