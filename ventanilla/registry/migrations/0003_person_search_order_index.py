"""Search results in surname order without sorting every match, on PostgreSQL.

person_search lists matches by surname, at most 50. A common name ("maria") matches a sixth of
the registry; with only the trigram index PostgreSQL reads every match and sorts it (200 ms at
1M persons). This covering index lets it walk the names in order and stop after 51 matches;
search_text and birth_date are included so that the walk tests the query inside the index
(index-only scan) without visiting the table. A larger statistics sample on search_text lets
the planner tell a common name from a rare one (the default sample rates anything under ~1%
as rare). Measured in docs/benchmarks.md. SQLite sorts; fine for a laptop.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # CONCURRENTLY: building it on a large registry must not block registrations.
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS registry_person_search_order "
        "ON registry_person (first_surname, second_surname, given_names, id) "
        "INCLUDE (search_text, birth_date)"
    )
    schema_editor.execute(
        "ALTER TABLE registry_person ALTER COLUMN search_text SET STATISTICS 1000")
    schema_editor.execute("ANALYZE registry_person")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS registry_person_search_order")
    schema_editor.execute("ALTER TABLE registry_person ALTER COLUMN search_text SET STATISTICS -1")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("registry", "0002_person_search_trigram")]
    operations = [migrations.RunPython(forwards, backwards)]
