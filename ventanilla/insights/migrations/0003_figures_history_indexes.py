"""Indexes the figures need in the registry's tables.

The group a person had on a day and the household they belonged to are looked up by
(person, start_date) — the latest period starting on or before the day — for every person
served in a range; the served rows of a range are read by visit date.
"""

from django.db import migrations

INDEXES = [
    (
        "insights_groupperiod_person_start",
        "registry_populationgroupperiod",
        "(person_id, start_date DESC, id DESC)",
        "",
    ),
    (
        "insights_membership_person_start",
        "registry_membership",
        "(person_id, start_date DESC, id DESC)",
        "",
    ),
]


def create(apps, schema_editor):
    for name, table, columns, _ in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")
    if schema_editor.connection.vendor == "postgresql":
        # Served rows of a range: read from the index alone (PostgreSQL's INCLUDE).
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS insights_visit_occurred_cover ON registry_visit "
            "(occurred_at) INCLUDE (id, attention_point_id, household_id)"
        )


def drop(apps, schema_editor):
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS insights_visit_occurred_cover")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_referral_sent_at_index"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, atomic=True)]
