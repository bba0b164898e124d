"""The state field refuses direct assignment (django-fsm protected): no change to the database."""

import django_fsm
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_relations_and_constraints'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assessment',
            name='state',
            field=django_fsm.FSMField(choices=[('open', 'to fill in'), ('submitted', 'submitted'), ('returned', 'returned for correction'), ('reviewed', 'reviewed')], default='open', max_length=20, protected=True, verbose_name='state'),
        ),
    ]
