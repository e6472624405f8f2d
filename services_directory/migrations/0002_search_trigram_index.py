"""On PostgreSQL, a trigram index makes `search_text LIKE '% word%'` fast at 50,000 services.

SQLite has no such index and does not need one at the sizes it serves.
"""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS service_search_text_trgm "
        "ON services_directory_service USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS service_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("services_directory", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
