"""The default stage checklist (mentoring/criteria.py); an administrator may edit the table afterwards."""

from django.db import migrations


def forwards(apps, schema_editor):
    from mentoring.criteria import DEFAULT_CRITERIA

    StageCriterion = apps.get_model("mentoring", "StageCriterion")
    for order, (stage, code, text) in enumerate(DEFAULT_CRITERIA):
        StageCriterion.objects.get_or_create(stage=stage, code=code, defaults={"text": text, "order": order})


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
