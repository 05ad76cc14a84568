"""The default PEKA instrument (assessments/instrument.py); an administrator publishes new versions."""

from django.db import migrations


def forwards(apps, schema_editor):
    from assessments.instrument import ensure_default_instrument

    ensure_default_instrument(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
