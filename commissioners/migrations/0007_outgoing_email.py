"""The outbox: every e-mail a row, sent exactly once by commissioners.mail."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commissioners', '0006_manager_district'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutgoingEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('to', models.EmailField(max_length=254, verbose_name='to')),
                ('subject', models.CharField(max_length=300, verbose_name='subject')),
                ('body', models.TextField(verbose_name='body')),
                ('status', models.CharField(choices=[('pending', 'waiting to be sent'), ('sent', 'sent'), ('failed', 'given up')], default='pending', max_length=20, verbose_name='status')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='next attempt at')),
                ('claimed_until', models.DateTimeField(blank=True, null=True, verbose_name='claimed until')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('digest', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='email', to='commissioners.dailydigest', verbose_name='daily digest')),
                ('notification', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='email', to='commissioners.notification', verbose_name='notification')),
            ],
            options={
                'verbose_name': 'outgoing e-mail',
                'verbose_name_plural': 'outgoing e-mails',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at', 'id'], name='outgoing_email_due'), models.Index(fields=['status', '-created_at'], name='outgoing_email_status')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'sent', 'failed'])), name='outgoing_email_status_valid'), models.CheckConstraint(condition=models.Q(('notification__isnull', True), ('digest__isnull', True), _connector='OR'), name='outgoing_email_one_source'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='outgoing_email_sent_has_time')],
            },
        ),
    ]
