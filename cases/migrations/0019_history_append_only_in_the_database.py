"""The history refuses UPDATE and DELETE in the database itself (a trigger), whoever asks."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0018_state_protected'),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name='caseevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='65b17c5dc231aae95e4a5d286bcd92a634f3ebd3', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_320b9', table='cases_caseevent', when='BEFORE')),
        ),
    ]
