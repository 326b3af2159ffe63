"""Reloads the shipped needs-assessment questionnaire: version 1 got a wording pass (labels
and titles in es/en/pt; the same questions and answer codes), so stored answers stay valid."""

from django.db import migrations


def reload_questionnaire(apps, schema_editor):
    from importlib import import_module

    import_module("ventanilla.cases.migrations.0002_default_questionnaire").load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_my_work_indexes")]
    operations = [migrations.RunPython(reload_questionnaire, migrations.RunPython.noop)]
