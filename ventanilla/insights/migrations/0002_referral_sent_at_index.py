"""An index the figures need in another app's table: referrals are counted by sending date."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial"), ("cases", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS insights_referral_sent_at ON cases_referral (sent_at)",
            "DROP INDEX IF EXISTS insights_referral_sent_at",
        )
    ]
