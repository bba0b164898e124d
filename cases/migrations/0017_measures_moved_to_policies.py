"""The measure catalogue leaves the cases app for the policies app (policies 0001): state only, the
tables cases_measure and cases_responsibleunit and their rows stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_figure_statement_triggers'),
        ('centres', '0009_assessments_moved_to_their_app'),
        ('policies', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.AlterField(
            model_name='case',
            name='measure',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='policies.measure', verbose_name='measure'),
        ),
        migrations.RemoveField(
            model_name='responsibleunit',
            name='measure',
        ),
        migrations.RemoveField(
            model_name='responsibleunit',
            name='bureau',
        ),
        migrations.DeleteModel(
            name='Measure',
        ),
        migrations.DeleteModel(
            name='ResponsibleUnit',
        ),
            ],
        ),
    ]
