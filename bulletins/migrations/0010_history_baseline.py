"""Record every row already stored as its first version.

Why: the history view shows each change as before → after and a restore needs
the state to go back to; rows imported before history was kept would
otherwise have no "before". One INSERT ... SELECT per table.
"""

from django.db import migrations

from bulletins.history import BASELINE_REASON, copy_rows

MODELS = ("Issue", "Article", "BriefItem", "Organisation", "Topic")


def record_baseline(apps, schema_editor):
    for name in MODELS:
        copy_rows(
            apps.get_model("bulletins", name),
            "true",
            [],
            BASELINE_REASON,
            history_model=apps.get_model("bulletins", f"Historical{name}"),
        )


def forget_baseline(apps, schema_editor):
    for name in MODELS:
        apps.get_model("bulletins", f"Historical{name}").objects.filter(history_change_reason=BASELINE_REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0009_history_tables")]

    operations = [migrations.RunPython(record_baseline, forget_baseline)]
