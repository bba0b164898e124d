"""Copies the case columns onto assignments again: moves made before the move path kept
them in step left some stale."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_case_columns(apps, schema_editor):
    Assignment = apps.get_model("cases", "Assignment")
    Case = apps.get_model("cases", "Case")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    Assignment.objects.update(
        case_state=Subquery(case.values("state")[:1]),
        case_is_confidential=Subquery(case.values("is_confidential")[:1]),
        case_answer_due_on=Subquery(case.values("answer_due_on")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_district_cover_index")]

    operations = [migrations.RunPython(copy_case_columns, migrations.RunPython.noop)]
