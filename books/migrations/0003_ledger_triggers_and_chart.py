"""The database's own guard of the ledger (books/triggers.py) and the default chart of accounts."""

from django.db import migrations


def forwards(apps, schema_editor):
    from books import triggers

    triggers.install(schema_editor.connection)
    Account = apps.get_model("books", "Account")
    from books.chart import DEFAULT_CHART

    existing = set(Account.objects.values_list("code", flat=True))
    Account.objects.bulk_create([
        Account(code=code, name=name, type=type_, role=role)
        for code, name, type_, role in DEFAULT_CHART if code not in existing
    ])


def backwards(apps, schema_editor):
    from books import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("books", "0002_initial"), ("grants", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
