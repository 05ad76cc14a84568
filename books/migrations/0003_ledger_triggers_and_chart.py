"""The database's own guard of the ledger, revision 1 (books/sql/guards_v1_*.sql, explained in
books/triggers.py), and the default chart of accounts."""

from django.db import migrations

# The files this migration installs, as they were released: it refuses to run if they changed.
GUARDS_REVISION = 1
GUARDS_SHA256 = {
    "guards_v1_sqlite.sql": "1c1151c0aeb7db229c47d85d98767b97654a5e00c7a442717195d10e955cc457",
    "guards_v1_sqlite_down.sql": "e2f15a3870982eaebcaa16e06d048ade93880cfbe047644f662e44de76c06cb5",
    "guards_v1_postgresql.sql": "36799269b2ba2ef0e733f47611b848070cb4ce158193e6b81901a9ec3883c8d1",
    "guards_v1_postgresql_down.sql": "b326846b0953c115bd7219cb5bfac79f0ea42b87f837ead5ed97c200cf95a5dd",
}


def forwards(apps, schema_editor):
    from books import triggers

    triggers.install(schema_editor.connection, revision=GUARDS_REVISION, sha256=GUARDS_SHA256)
    Account = apps.get_model("books", "Account")
    from books.chart import DEFAULT_CHART

    existing = set(Account.objects.values_list("code", flat=True))
    Account.objects.bulk_create([
        Account(code=code, name=name, type=type_, role=role)
        for code, name, type_, role in DEFAULT_CHART if code not in existing
    ])


def backwards(apps, schema_editor):
    from books import triggers

    triggers.uninstall(schema_editor.connection, revision=GUARDS_REVISION, sha256=GUARDS_SHA256)


class Migration(migrations.Migration):
    dependencies = [("books", "0002_initial"), ("grants", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
