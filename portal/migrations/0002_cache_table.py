"""The database cache's table (CACHE_URL=db://), so that `migrate` alone sets a database up.

Django's own createcachetable builds it, so the table is exactly what that command makes;
on a server where createcachetable already ran, the table is there and nothing happens.
"""

import io

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# The LOCATION that portal.settings.cache_from_url gives db://.
CACHE_TABLE = "passerelles_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable(stdout=io.StringIO())
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
