"""Loads the shipped needs-assessment questionnaire (questionnaires/needs_v1.json)."""

import json
from pathlib import Path

from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "questionnaires" / "needs_v1.json"


def load(apps, schema_editor):
    Questionnaire = apps.get_model("cases", "Questionnaire")
    definition = json.loads(FILE.read_text(encoding="utf-8"))
    Questionnaire.objects.update_or_create(
        code=definition["code"],
        version=definition["version"],
        defaults={"title": definition["title_es"], "definition": definition, "is_active": True},
    )


def unload(apps, schema_editor):
    apps.get_model("cases", "Questionnaire").objects.filter(code="needs", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
