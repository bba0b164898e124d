"""The state field refuses direct assignment (django-fsm protected): no change to the database."""

import django_fsm
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0017_measures_moved_to_policies'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='state',
            field=django_fsm.FSMField(choices=[('submitted', 'submitted'), ('dispatched', 'dispatched'), ('in_progress', 'in progress'), ('answered', 'answered'), ('closed', 'closed'), ('referred_up', 'referred upward'), ('withdrawn', 'withdrawn')], default='submitted', max_length=20, protected=True, verbose_name='state'),
        ),
    ]
