"""The DTKS fields, now the first DTSEN record of each member (0003), are dropped in a migration
of their own, so that on PostgreSQL the ALTER TABLE runs after 0003's row updates committed."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0003_dtsen_record'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='member',
            name='dtks_number',
        ),
        migrations.RemoveField(
            model_name='member',
            name='dtks_verified',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='requires_dtks',
        ),
    ]
