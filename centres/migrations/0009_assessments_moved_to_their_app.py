"""The assessment models leave the centres app for the assessments app (assessments 0001): state only,
their tables and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('centres', '0008_assessment_figures'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.RemoveField(
            model_name='assessment',
            name='assignee',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='centre',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='cycle',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='district',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='reviewed_by',
        ),
        migrations.RemoveField(
            model_name='assessment',
            name='submitted_by',
        ),
        migrations.RemoveField(
            model_name='assessmentevent',
            name='assessment',
        ),
        migrations.RemoveField(
            model_name='finding',
            name='assessment',
        ),
        migrations.RemoveField(
            model_name='assessmentproblem',
            name='assessment',
        ),
        migrations.RemoveField(
            model_name='assessmentevent',
            name='actor',
        ),
        migrations.DeleteModel(
            name='AssessmentFigure',
        ),
        migrations.RemoveField(
            model_name='assessmentproblem',
            name='case',
        ),
        migrations.RemoveField(
            model_name='assessmentproblem',
            name='measure',
        ),
        migrations.DeleteModel(
            name='ClassThreshold',
        ),
        migrations.DeleteModel(
            name='EligibilityFigure',
        ),
        migrations.RemoveField(
            model_name='finding',
            name='bureau',
        ),
        migrations.RemoveField(
            model_name='finding',
            name='handled_by',
        ),
        migrations.RemoveField(
            model_name='finding',
            name='measure',
        ),
        migrations.DeleteModel(
            name='FindingFigure',
        ),
        migrations.DeleteModel(
            name='ScoringWeight',
        ),
        migrations.DeleteModel(
            name='AssessmentCycle',
        ),
        migrations.DeleteModel(
            name='Assessment',
        ),
        migrations.DeleteModel(
            name='AssessmentEvent',
        ),
        migrations.DeleteModel(
            name='AssessmentProblem',
        ),
        migrations.DeleteModel(
            name='Finding',
        ),
            ],
        ),
    ]
