"""Indexes for the "my work" page at scale (bench/center.py, docs/benchmarks.md).

Plain SQL with no model state: partial and expression indexes that only the my-work
selectors rely on. Both PostgreSQL and SQLite accept this syntax.

- cases_task_open_case_due_idx: a case worker's urgent cases count the overdue open tasks of
  each of their open cases (a thousand and more): one index-only probe per case.
- cases_referral_case_outcome_idx: the recent answers to a case worker's referrals, by case
  and date of the outcome, without reading every referral of every case of theirs.
"""

from django.db import migrations

ANSWERED = "('accepted', 'rejected', 'completed', 'did_not_attend')"


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_my_work_and_notification_messages")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cases_task_open_case_due_idx "
            "ON cases_task (case_id, due_date) WHERE done_at IS NULL",
            "DROP INDEX IF EXISTS cases_task_open_case_due_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cases_referral_case_outcome_idx "
            "ON cases_referral (case_id, (COALESCE(completed_at, answered_at))) "
            f"WHERE status IN {ANSWERED}",
            "DROP INDEX IF EXISTS cases_referral_case_outcome_idx",
        ),
    ]
