"""The shared cache's table (Django's database cache), created with the schema.

Why a migration and not only ``createcachetable``: every way of setting up a
database (``make migrate``, a deployment's ``migrate``, the test database) then
has the table the default cache needs, so a forgotten set-up step cannot turn
every page into an error. ``createcachetable`` still works and does nothing
when the table exists.
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = getattr(settings, "CACHE_TABLE", "archive_cache")


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0012_archive_state")]

    operations = [migrations.RunPython(create, drop)]
