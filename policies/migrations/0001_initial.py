"""The measure catalogue moves here from the cases app. Its tables keep their names (cases_measure,
cases_responsibleunit) and rows: this changes Django's state only, and the content types (and so
the administrators' permissions and admin log) follow the models."""

import django.db.models.deletion
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="cases", model__in=['measure', 'responsibleunit']).update(app_label="policies")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="policies", model__in=['measure', 'responsibleunit']).update(app_label="cases")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0016_figure_statement_triggers'),
        ('commissioners', '0006_manager_district'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='Measure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('programme', models.CharField(choices=[('shanghai_2024', 'Shanghai 2024 R&D centre upgrade plan'), ('national_2023', 'National 2023 measures for foreign-invested R&D centres')], max_length=30, verbose_name='programme')),
                ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                ('group_zh', models.CharField(blank=True, max_length=100, verbose_name='group (Chinese)')),
                ('group_en', models.CharField(blank=True, max_length=100, verbose_name='group (English)')),
                ('title_zh', models.CharField(max_length=200, verbose_name='title (Chinese)')),
                ('title_en', models.CharField(max_length=300, verbose_name='title (English)')),
                ('summary_en', models.TextField(blank=True, verbose_name='summary (English)')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'measure',
                'verbose_name_plural': 'measures',
                'db_table': 'cases_measure',
                'ordering': ['programme', 'number'],
                'constraints': [models.UniqueConstraint(fields=('programme', 'number'), name='measure_unique_number_per_programme'), models.CheckConstraint(condition=models.Q(('programme__in', ['shanghai_2024', 'national_2023'])), name='measure_programme_valid')],
            },
        ),
        migrations.CreateModel(
            name='ResponsibleUnit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_centre_district_government', models.BooleanField(default=False, help_text='各区政府: resolved to the government of the district where the centre is registered.', verbose_name="the centre's own district government")),
                ('is_lead', models.BooleanField(default=False, verbose_name='lead')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('bureau', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='responsible_for', to='commissioners.bureau', verbose_name='bureau')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responsible_units', to='policies.measure', verbose_name='measure')),
            ],
            options={
                'verbose_name': 'responsible unit',
                'verbose_name_plural': 'responsible units',
                'db_table': 'cases_responsibleunit',
                'ordering': ['measure', 'order', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('bureau__isnull', False), ('is_centre_district_government', False)), models.Q(('bureau__isnull', True), ('is_centre_district_government', True)), _connector='OR'), name='responsible_unit_bureau_xor_district_government'), models.UniqueConstraint(condition=models.Q(('is_lead', True)), fields=('measure',), name='responsible_unit_one_lead_per_measure'), models.UniqueConstraint(fields=('measure', 'bureau'), name='responsible_unit_bureau_once_per_measure'), models.UniqueConstraint(condition=models.Q(('is_centre_district_government', True)), fields=('measure',), name='responsible_unit_district_government_once_per_measure')],
            },
        ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
