"""Load the starting topic taxonomy (DESIGN.md §3); editors change it in the admin afterwards.

The list lives in ``bulletins.analysis.topics.TOPICS`` beside the code that assigns
topics, so a fresh database starts with exactly the taxonomy the analysis was
written for. Existing topics (same slug) are left as editors made them.
"""

from django.db import migrations


def load_topics(apps, schema_editor):
    from bulletins.analysis.topics import load_starting_topics

    load_starting_topics(apps.get_model("bulletins", "Topic"))


def unload_topics(apps, schema_editor):
    from bulletins.analysis.topics import TOPICS

    apps.get_model("bulletins", "Topic").objects.filter(slug__in=[t["slug"] for t in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0001_initial")]

    operations = [migrations.RunPython(load_topics, unload_topics)]
