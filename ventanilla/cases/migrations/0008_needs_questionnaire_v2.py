"""Loads needs-assessment questionnaire version 2 (questionnaires/needs_v2.json) and makes it
the active one: version 1 plus eight optional questions the labor vulnerability index reads
(years of schooling, skills certification, time without work, food coping, childcare for
children under 5, sleeping rooms, command of Spanish, internet access). Version 1 stays,
inactive, for the assessments recorded with it."""

import json
from pathlib import Path

from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "questionnaires" / "needs_v2.json"


def load(apps, schema_editor):
    Questionnaire = apps.get_model("cases", "Questionnaire")
    definition = json.loads(FILE.read_text(encoding="utf-8"))
    Questionnaire.objects.filter(code=definition["code"]).exclude(
        version=definition["version"]
    ).update(is_active=False)
    Questionnaire.objects.update_or_create(
        code=definition["code"],
        version=definition["version"],
        defaults={"title": definition["title_es"], "definition": definition, "is_active": True},
    )


def unload(apps, schema_editor):
    Questionnaire = apps.get_model("cases", "Questionnaire")
    Questionnaire.objects.filter(code="needs", version=2).delete()
    Questionnaire.objects.filter(code="needs", version=1).update(is_active=True)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_referral_waiting_index")]
    operations = [migrations.RunPython(load, unload)]
