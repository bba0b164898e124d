"""The history refuses UPDATE and DELETE in the database itself (a trigger), whoever asks."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_state_protected'),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name='assessmentevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='456fd68480a6781fe7b4f481c9e87c02415edc31', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_19df1', table='centres_assessmentevent', when='BEFORE')),
        ),
    ]
