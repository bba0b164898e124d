"""The assessment models, moved here from the centres app. Their tables keep their names (centres_*),
rows, triggers and summary functions: this changes Django's state only, and the content types
(and so permissions and the admin log) follow the models."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="centres", model__in=['assessmentcycle', 'assessment', 'assessmentproblem', 'assessmentevent', 'finding', 'scoringweight', 'classthreshold', 'assessmentfigure', 'findingfigure', 'eligibilityfigure']).update(app_label="assessments")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="assessments", model__in=['assessmentcycle', 'assessment', 'assessmentproblem', 'assessmentevent', 'finding', 'scoringweight', 'classthreshold', 'assessmentfigure', 'findingfigure', 'eligibilityfigure']).update(app_label="centres")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0016_figure_statement_triggers'),
        ('centres', '0009_assessments_moved_to_their_app'),
        ('commissioners', '0006_manager_district'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ClassThreshold',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('guidance_class', models.CharField(choices=[('unclassified', 'not yet classified'), ('leading', 'leading'), ('growing', 'growing'), ('needs_attention', 'needs attention')], max_length=30, unique=True, verbose_name='guidance class')),
                ('min_score', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='lowest score')),
            ],
            options={
                'verbose_name': 'class threshold',
                'verbose_name_plural': 'class thresholds',
                'db_table': 'centres_classthreshold',
                'ordering': ['-min_score'],
            },
        ),
        migrations.CreateModel(
            name='EligibilityFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cycle_id', models.IntegerField(verbose_name='cycle')),
                ('district_id', models.IntegerField(verbose_name='district')),
                ('rule', models.CharField(max_length=60, verbose_name='rule')),
                ('centres', models.IntegerField(default=0, verbose_name='centres')),
            ],
            options={
                'verbose_name': 'eligibility figures',
                'verbose_name_plural': 'eligibility figures',
                'db_table': 'centres_eligibilityfigure',
            },
        ),
        migrations.CreateModel(
            name='Finding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rule', models.CharField(max_length=60, verbose_name='rule')),
                ('status', models.CharField(choices=[('open', 'open'), ('acknowledged', 'acknowledged'), ('acted_on', 'acted on')], default='open', max_length=20, verbose_name='status')),
                ('note', models.TextField(blank=True, max_length=20000, verbose_name='note')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled at')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'finding',
                'verbose_name_plural': 'findings',
                'db_table': 'centres_finding',
                'ordering': ['-created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='FindingFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cycle_id', models.IntegerField(verbose_name='cycle')),
                ('district_id', models.IntegerField(verbose_name='district')),
                ('bureau_id', models.IntegerField(verbose_name='bureau')),
                ('rule', models.CharField(max_length=60, verbose_name='rule')),
                ('status', models.CharField(max_length=20, verbose_name='status')),
                ('findings', models.IntegerField(default=0, verbose_name='findings')),
            ],
            options={
                'verbose_name': 'finding figures',
                'verbose_name_plural': 'finding figures',
                'db_table': 'centres_findingfigure',
            },
        ),
        migrations.CreateModel(
            name='ScoringWeight',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.CharField(choices=[('full_time_rd_staff', 'full-time R&D staff'), ('rd_staff_share', 'share of full-time R&D staff in total staff (%)'), ('rd_spending_cny', 'R&D spending (CNY)'), ('patents_filed', 'patents filed'), ('patents_granted', 'patents granted'), ('joint_projects', 'joint projects with local universities, institutes and firms'), ('startups_incubated', 'start-ups incubated'), ('foreign_experts', 'foreign experts employed')], max_length=40, unique=True, verbose_name='indicator')),
                ('weight', models.DecimalField(decimal_places=2, max_digits=5, validators=[django.core.validators.MinValueValidator(0)], verbose_name='weight')),
                ('full_marks_at', models.DecimalField(decimal_places=2, help_text='The value at which the indicator earns its whole weight.', max_digits=16, validators=[django.core.validators.MinValueValidator(0.01)], verbose_name='full marks at')),
            ],
            options={
                'verbose_name': 'scoring weight',
                'verbose_name_plural': 'scoring weights',
                'db_table': 'centres_scoringweight',
                'ordering': ['indicator'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentCycle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('period_start', models.DateField(verbose_name='period from')),
                ('period_end', models.DateField(verbose_name='period to')),
                ('opens_on', models.DateField(verbose_name='opens on')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('opened_at', models.DateTimeField(blank=True, null=True, verbose_name='opened at')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'assessment cycle',
                'verbose_name_plural': 'assessment cycles',
                'db_table': 'centres_assessmentcycle',
                'ordering': ['-period_end', 'name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='cycle_period_ordered'), models.CheckConstraint(condition=models.Q(('due_on__gte', models.F('opens_on'))), name='cycle_due_after_opening')],
            },
        ),
        migrations.CreateModel(
            name='Assessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', django_fsm.FSMField(choices=[('open', 'to fill in'), ('submitted', 'submitted'), ('returned', 'returned for correction'), ('reviewed', 'reviewed')], default='open', max_length=20, verbose_name='state')),
                ('full_time_rd_staff', models.PositiveIntegerField(blank=True, null=True, verbose_name='full-time R&D staff')),
                ('total_staff', models.PositiveIntegerField(blank=True, null=True, verbose_name='total staff')),
                ('rd_spending_cny', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='R&D spending (CNY)')),
                ('patents_filed', models.PositiveIntegerField(blank=True, null=True, verbose_name='patents filed')),
                ('patents_granted', models.PositiveIntegerField(blank=True, null=True, verbose_name='patents granted')),
                ('joint_projects_universities', models.PositiveIntegerField(blank=True, null=True, verbose_name='joint projects with local universities')),
                ('joint_projects_institutes', models.PositiveIntegerField(blank=True, null=True, verbose_name='joint projects with local research institutes')),
                ('joint_projects_firms', models.PositiveIntegerField(blank=True, null=True, verbose_name='joint projects with local firms')),
                ('startups_incubated', models.PositiveIntegerField(blank=True, null=True, verbose_name='start-ups incubated')),
                ('foreign_experts', models.PositiveIntegerField(blank=True, null=True, verbose_name='foreign experts employed')),
                ('problems_met', models.TextField(blank=True, max_length=20000, verbose_name='problems met')),
                ('centre_view_of_service', models.TextField(blank=True, max_length=20000, verbose_name="the centre's view of the service")),
                ('cases_logged', models.PositiveIntegerField(default=0, verbose_name='cases logged')),
                ('cases_answered', models.PositiveIntegerField(default=0, verbose_name='cases answered')),
                ('cases_answered_on_time', models.PositiveIntegerField(default=0, verbose_name='cases answered within deadline')),
                ('cases_resolved', models.PositiveIntegerField(default=0, verbose_name='cases confirmed resolved')),
                ('callbacks', models.PositiveIntegerField(default=0, verbose_name='call-backs')),
                ('callbacks_satisfied', models.PositiveIntegerField(default=0, verbose_name='call-backs satisfied or basically satisfied')),
                ('contacts_made', models.PositiveIntegerField(default=0, verbose_name='contacts made')),
                ('figures_computed_at', models.DateTimeField(blank=True, null=True, verbose_name='figures computed at')),
                ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='score')),
                ('guidance_class', models.CharField(blank=True, choices=[('unclassified', 'not yet classified'), ('leading', 'leading'), ('growing', 'growing'), ('needs_attention', 'needs attention')], max_length=30, verbose_name='guidance class')),
                ('class_reasons', models.JSONField(blank=True, default=list, verbose_name='why this class')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('return_reason', models.TextField(blank=True, verbose_name='reason for return')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                ('review_note', models.TextField(blank=True, verbose_name='review note')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to=settings.AUTH_USER_MODEL, verbose_name='district commissioner')),
                ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='centres.centre', verbose_name='centre')),
                ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='commissioners.district', verbose_name='district')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='assessments.assessmentcycle', verbose_name='cycle')),
            ],
            options={
                'verbose_name': 'assessment',
                'verbose_name_plural': 'assessments',
                'db_table': 'centres_assessment',
                'ordering': ['cycle', 'district__order', 'centre__name_zh'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=40, verbose_name='action')),
                ('from_state', models.CharField(blank=True, max_length=20, verbose_name='from state')),
                ('to_state', models.CharField(max_length=20, verbose_name='to state')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='assessments.assessment', verbose_name='assessment')),
            ],
            options={
                'verbose_name': 'assessment history entry',
                'verbose_name_plural': 'assessment history',
                'db_table': 'centres_assessmentevent',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cycle_id', models.IntegerField(verbose_name='cycle')),
                ('district_id', models.IntegerField(verbose_name='district')),
                ('state', models.CharField(max_length=20, verbose_name='state')),
                ('guidance_class', models.CharField(max_length=30, verbose_name='guidance class')),
                ('assessments', models.IntegerField(default=0, verbose_name='assessments')),
                ('full_time_rd_staff', models.BigIntegerField(default=0)),
                ('total_staff', models.BigIntegerField(default=0)),
                ('rd_spending_cny', models.DecimalField(decimal_places=2, default=0, max_digits=20)),
                ('patents_filed', models.BigIntegerField(default=0)),
                ('patents_granted', models.BigIntegerField(default=0)),
                ('joint_projects_universities', models.BigIntegerField(default=0)),
                ('joint_projects_institutes', models.BigIntegerField(default=0)),
                ('joint_projects_firms', models.BigIntegerField(default=0)),
                ('startups_incubated', models.BigIntegerField(default=0)),
                ('foreign_experts', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'assessment figures',
                'verbose_name_plural': 'assessment figures',
                'db_table': 'centres_assessmentfigure',
                'constraints': [models.UniqueConstraint(fields=('cycle_id', 'district_id', 'state', 'guidance_class'), name='assessment_figure_key')],
            },
        ),
        migrations.CreateModel(
            name='AssessmentProblem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('description', models.TextField(max_length=20000, verbose_name='description')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='problems', to='assessments.assessment', verbose_name='assessment')),
                ('case', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessment_problem', to='cases.case', verbose_name='case logged from it')),
            ],
            options={
                'verbose_name': 'problem met',
                'verbose_name_plural': 'problems met',
                'db_table': 'centres_assessmentproblem',
                'ordering': ['assessment', 'order', 'id'],
            },
        ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
