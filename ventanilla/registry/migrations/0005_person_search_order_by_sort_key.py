"""The covering search index of 0003, keyed on sort_key (accent- and case-blind order)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS registry_person_search_order")
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS registry_person_search_sorted "
        "ON registry_person (sort_key, id) INCLUDE (search_text, birth_date)"
    )
    schema_editor.execute("ANALYZE registry_person")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS registry_person_search_sorted")
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS registry_person_search_order "
        "ON registry_person (first_surname, second_surname, given_names, id) "
        "INCLUDE (search_text, birth_date)"
    )


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("registry", "0004_person_sort_key")]
    operations = [migrations.RunPython(forwards, backwards)]
