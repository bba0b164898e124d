"""Writes sent with an Idempotency-Key and the answers they got (retries are answered from here)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commissioners', '0007_outgoing_email'),
    ]

    operations = [
        migrations.CreateModel(
            name='IdempotentRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=255, verbose_name='idempotency key')),
                ('method', models.CharField(max_length=10, verbose_name='method')),
                ('path', models.CharField(max_length=500, verbose_name='path')),
                ('fingerprint', models.CharField(max_length=64, verbose_name='request fingerprint')),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='status')),
                ('response_body', models.JSONField(blank=True, null=True, verbose_name='response')),
                ('etag', models.CharField(blank=True, max_length=100, verbose_name='ETag')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'idempotent request',
                'verbose_name_plural': 'idempotent requests',
                'indexes': [models.Index(fields=['created_at'], name='idempotent_request_age')],
                'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='idempotency_key_once_per_user')],
            },
        ),
    ]
