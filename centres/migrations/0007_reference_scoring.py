"""Default scoring weights and class thresholds; administrators change them in the admin.

The weights add up to 100, so a score reads as points out of 100. Rows that already
exist are left as they are."""

from decimal import Decimal

from django.db import migrations

# indicator, weight, full marks at
WEIGHTS = [
    ("full_time_rd_staff", "25", "200"),
    ("rd_staff_share", "10", "60"),
    ("rd_spending_cny", "20", "100000000"),
    ("patents_filed", "10", "30"),
    ("patents_granted", "10", "15"),
    ("joint_projects", "15", "6"),
    ("startups_incubated", "5", "3"),
    ("foreign_experts", "5", "10"),
]
THRESHOLDS = [("leading", "60"), ("growing", "30")]


def load(apps, schema_editor):
    ScoringWeight = apps.get_model("centres", "ScoringWeight")
    ClassThreshold = apps.get_model("centres", "ClassThreshold")
    for indicator, weight, full_marks_at in WEIGHTS:
        ScoringWeight.objects.get_or_create(
            indicator=indicator, defaults={"weight": Decimal(weight), "full_marks_at": Decimal(full_marks_at)}
        )
    for guidance_class, min_score in THRESHOLDS:
        ClassThreshold.objects.get_or_create(guidance_class=guidance_class, defaults={"min_score": Decimal(min_score)})


class Migration(migrations.Migration):
    dependencies = [("centres", "0006_assessments")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
