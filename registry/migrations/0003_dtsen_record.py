"""DTSEN replaces DTKS: a member's standing becomes a history of records.

The DTKS number and "verified" flag each member carried become that member's first record
(source "dtks"): verified is "found" (DTKS gave no desil), a number without verification "not yet
checked" with the number kept as its reference. A programme that required DTKS now targets desil
1–4, the band Inpres 4/2025's programmes name most often; the administrator can change it. Phone
numbers are rewritten as +62… (E.164) where the phonenumbers library reads them as Indonesian
numbers; one it cannot read is left as it was, for the office to correct.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from typing import Any

import phonenumbers
from django.db import migrations, models

TARGET_DESIL_FOR_DTKS = 4


def _e164(raw: str) -> str:
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def forwards(apps: Any, schema_editor: Any) -> None:
    Member = apps.get_model("registry", "Member")
    DtsenRecord = apps.get_model("registry", "DtsenRecord")
    Programme = apps.get_model("registry", "Programme")
    Programme.objects.filter(requires_dtks=True).update(target_desil_max=TARGET_DESIL_FOR_DTKS)
    batch = []
    found = []
    rows = (Member.objects.exclude(dtks_number="", dtks_verified=False)
            .values_list("pk", "dtks_number", "dtks_verified", "created_at").iterator(chunk_size=2000))
    for pk, number, verified, created_at in rows:
        batch.append(DtsenRecord(member_id=pk, status="found" if verified else "unchecked", desil=None,
                                 source="dtks", reference=number or "", recorded_at=created_at,
                                 note="Dipindahkan dari data DTKS"))
        if verified:
            found.append(pk)
        if len(batch) >= 2000:
            DtsenRecord.objects.bulk_create(batch)
            batch = []
    DtsenRecord.objects.bulk_create(batch)
    for start in range(0, len(found), 900):
        Member.objects.filter(pk__in=found[start:start + 900]).update(dtsen_status="found")
    for pk, phone in Member.objects.exclude(phone="").values_list("pk", "phone").iterator(chunk_size=2000):
        normal = _e164(phone)
        if normal != phone:
            Member.objects.filter(pk=pk).update(phone=normal)


def backwards(apps: Any, schema_editor: Any) -> None:
    Member = apps.get_model("registry", "Member")
    DtsenRecord = apps.get_model("registry", "DtsenRecord")
    Programme = apps.get_model("registry", "Programme")
    Programme.objects.filter(target_desil_max__isnull=False).update(requires_dtks=True)
    for record in DtsenRecord.objects.filter(source="dtks"):
        Member.objects.filter(pk=record.member_id).update(dtks_number=record.reference,
                                                         dtks_verified=record.status == "found")


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_member_name_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DtsenRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('found', 'Ditemukan di DTSEN'), ('not_found', 'Tidak ditemukan di DTSEN'), ('unchecked', 'Belum diperiksa')], max_length=10, verbose_name='status DTSEN')),
                ('desil', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='desil')),
                ('data_date', models.DateField(blank=True, null=True, verbose_name='tanggal data')),
                ('source', models.CharField(choices=[('extract', 'Berkas ekstrak DTSEN/SIKS-NG'), ('manual', 'Dicatat petugas Dinas Sosial'), ('dtks', 'Data DTKS lama (sebelum DTSEN)')], max_length=8, verbose_name='sumber')),
                ('reference', models.CharField(blank=True, max_length=30, verbose_name='nomor DTSEN/DTKS')),
                ('extract_id', models.PositiveIntegerField(blank=True, null=True, verbose_name='ekstrak')),
                ('note', models.CharField(blank=True, max_length=250, verbose_name='keterangan')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='dicatat')),
            ],
            options={
                'verbose_name': 'catatan DTSEN',
                'verbose_name_plural': 'catatan DTSEN',
                'ordering': ['member_id', '-recorded_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='member',
            name='dtsen_desil',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='desil DTSEN'),
        ),
        migrations.AddField(
            model_name='member',
            name='dtsen_status',
            field=models.CharField(choices=[('found', 'Ditemukan di DTSEN'), ('not_found', 'Tidak ditemukan di DTSEN'), ('unchecked', 'Belum diperiksa')], default='unchecked', max_length=10, verbose_name='status DTSEN'),
        ),
        migrations.AddField(
            model_name='programme',
            name='target_desil_max',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Misalnya 4: program ini untuk keluarga desil 1–4. Kosong: tanpa batas desil.', null=True, verbose_name='desil DTSEN sasaran (1 sampai)'),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['kk_number', 'birth_date'], name='member_kk_birth'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('dtsen_desil__isnull', True), models.Q(('dtsen_desil__gte', 1), ('dtsen_desil__lte', 10)), _connector='OR'), name='member_desil_range'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.CheckConstraint(condition=models.Q(('target_desil_max__isnull', True), models.Q(('target_desil_max__gte', 1), ('target_desil_max__lte', 10)), _connector='OR'), name='programme_desil_range'),
        ),
        migrations.AddField(
            model_name='dtsenrecord',
            name='member',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dtsen_records', to='registry.member', verbose_name='anggota'),
        ),
        migrations.AddField(
            model_name='dtsenrecord',
            name='recorded_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dicatat oleh'),
        ),
        migrations.AddIndex(
            model_name='dtsenrecord',
            index=models.Index(fields=['member', 'recorded_at'], name='dtsen_member_at'),
        ),
        migrations.AddConstraint(
            model_name='dtsenrecord',
            constraint=models.CheckConstraint(condition=models.Q(('desil__isnull', True), models.Q(('desil__gte', 1), ('desil__lte', 10)), _connector='OR'), name='dtsen_desil_range'),
        ),
        migrations.AddConstraint(
            model_name='dtsenrecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'found'), _negated=True), ('desil__isnull', False), ('source', 'dtks'), _connector='OR'), name='dtsen_found_has_desil'),
        ),
        migrations.RunPython(forwards, backwards),
        # The DTKS columns are dropped in 0004: on PostgreSQL an ALTER TABLE after the rows were
        # updated in the same transaction fails ("pending trigger events").
    ]
