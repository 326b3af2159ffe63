"""Today's visits by attention point and by who recorded them, on PostgreSQL.

"My work" lists today's visits at the center, newest first, optionally at one attention point
or recorded by the user. With millions of visits, these indexes let PostgreSQL read only
today's rows of that point or that staff member, in order. SQLite uses the occurred_at index;
fine for a laptop. Not in the model's Meta: like the search indexes, PostgreSQL only.
"""

from django.db import migrations

INDEXES = {
    "registry_visit_point_occurred": "(attention_point_id, occurred_at)",
    "registry_visit_staff_occurred": "(staff_id, occurred_at)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # CONCURRENTLY: building them on a large registry must not block recording visits.
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON registry_visit {columns}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("registry", "0005_person_search_order_by_sort_key")]
    operations = [migrations.RunPython(forwards, backwards)]
