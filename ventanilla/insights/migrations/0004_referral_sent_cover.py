"""Referrals of a range are counted and timed from the sending-date index alone (PostgreSQL)."""

from django.db import migrations

NAME = "insights_referral_sent_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_referral (sent_at) "
            "INCLUDE (id, status, answered_at, completed_at, person_id, is_external, service_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_figures_history_indexes"), ("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
