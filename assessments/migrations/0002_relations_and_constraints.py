"""The moved assessment models' relations, indexes and constraints, as they already are in the
database: state only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0001_initial'),
        ('commissioners', '0006_manager_district'),
        ('policies', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.AddField(
            model_name='assessmentproblem',
            name='measure',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policies.measure', verbose_name='measure'),
        ),
        migrations.AddConstraint(
            model_name='classthreshold',
            constraint=models.CheckConstraint(condition=models.Q(('guidance_class__in', ['leading', 'growing'])), name='class_threshold_scored_class'),
        ),
        migrations.AddConstraint(
            model_name='eligibilityfigure',
            constraint=models.UniqueConstraint(fields=('cycle_id', 'district_id', 'rule'), name='eligibility_figure_key'),
        ),
        migrations.AddField(
            model_name='finding',
            name='assessment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='findings', to='assessments.assessment', verbose_name='assessment'),
        ),
        migrations.AddField(
            model_name='finding',
            name='bureau',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='findings', to='commissioners.bureau', verbose_name='bureau'),
        ),
        migrations.AddField(
            model_name='finding',
            name='handled_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by'),
        ),
        migrations.AddField(
            model_name='finding',
            name='measure',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='policies.measure', verbose_name='measure'),
        ),
        migrations.AddConstraint(
            model_name='findingfigure',
            constraint=models.UniqueConstraint(fields=('cycle_id', 'district_id', 'bureau_id', 'rule', 'status'), name='finding_figure_key'),
        ),
        migrations.AddConstraint(
            model_name='scoringweight',
            constraint=models.CheckConstraint(condition=models.Q(('weight__gte', 0)), name='scoring_weight_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='scoringweight',
            constraint=models.CheckConstraint(condition=models.Q(('full_marks_at__gt', 0)), name='scoring_full_marks_positive'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['cycle', 'district', 'state'], name='assessment_cycle_district'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(fields=('cycle', 'centre'), name='assessment_once_per_cycle'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('full_time_rd_staff__isnull', True), ('total_staff__isnull', True), ('full_time_rd_staff__lte', models.F('total_staff')), _connector='OR'), name='assessment_rd_staff_within_total'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['open', 'submitted', 'returned', 'reviewed'])), name='assessment_state_valid'),
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(fields=['bureau', 'status', '-created_at'], name='finding_bureau_inbox'),
        ),
        migrations.AddConstraint(
            model_name='finding',
            constraint=models.UniqueConstraint(fields=('assessment', 'rule', 'bureau'), name='finding_once_per_rule_and_bureau'),
        ),
        migrations.AddConstraint(
            model_name='finding',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['open', 'acknowledged', 'acted_on'])), name='finding_status_valid'),
        ),
            ],
        ),
    ]
