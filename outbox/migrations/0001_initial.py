import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="PendingChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kube_id", models.BigIntegerField(verbose_name="KUBE")),
                ("month", models.PositiveIntegerField(blank=True, help_text="YYYYMM; kosong: keadaan KUBE saja",
                                                      null=True, verbose_name="bulan")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="dicatat")),
            ],
            options={
                "verbose_name": "perubahan menunggu",
                "indexes": [models.Index(fields=["kube_id"], name="pending_kube")],
            },
        ),
    ]
