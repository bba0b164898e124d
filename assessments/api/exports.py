"""A cycle's results as a table, written out as CSV or XLSX."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from assessments.models import FIGURE_FIELDS, INDICATOR_FIELDS, Assessment, AssessmentCycle, Finding
from core import spreadsheets
from core.spreadsheets import Table

# Columns after the centre's identity: what was entered, what the system knew, the result.
VALUE_COLUMNS = (*INDICATOR_FIELDS, *FIGURE_FIELDS, "score")


def header() -> list[str]:
    labels = {
        field.name: str(field.verbose_name)
        for field in Assessment._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    return [
        _("cycle"),
        _("district"),
        _("centre (Chinese)"),
        _("centre (English)"),
        _("centre type"),
        _("state"),
        *[labels[name] for name in VALUE_COLUMNS],
        _("guidance class"),
        _("findings"),
        _("submitted at"),
        _("reviewed at"),
    ]


def rows(assessments: QuerySet[Assessment]) -> Iterable[list]:
    """One row per assessment, ordered by district and centre; a fixed number of queries."""
    assessments = assessments.select_related("cycle", "district", "centre").order_by(
        "district__order", "centre__name_zh", "pk"
    )
    findings = defaultdict(list)
    for assessment_id, rule, bureau in (
        Finding.objects.filter(assessment__in=assessments.values("pk"))
        .order_by("assessment_id", "rule", "bureau__code")
        .values_list("assessment_id", "rule", "bureau__code")
    ):
        findings[assessment_id].append(f"{rule}→{bureau}")
    for assessment in assessments:
        values = [getattr(assessment, name) for name in VALUE_COLUMNS]
        yield [
            assessment.cycle.name,
            assessment.district.name,
            assessment.centre.name_zh,
            assessment.centre.name_en,
            assessment.centre.get_centre_type_display(),
            assessment.get_state_display(),
            *[
                float(value) if value is not None and not isinstance(value, int) else value
                for value in values
            ],
            assessment.get_guidance_class_display() if assessment.guidance_class else "",
            "; ".join(findings[assessment.pk]),
            assessment.submitted_at.isoformat() if assessment.submitted_at else "",
            assessment.reviewed_at.isoformat() if assessment.reviewed_at else "",
        ]


def _filename(cycle: AssessmentCycle, extension: str) -> str:
    return f"assessments-{cycle.pk}.{extension}"


def _table(cycle: AssessmentCycle, assessments: QuerySet[Assessment]) -> Table:
    return Table(title=cycle.name, header=header(), rows=rows(assessments))


def csv_response(*, cycle: AssessmentCycle, assessments: QuerySet[Assessment]) -> HttpResponse:
    return spreadsheets.csv_response(table=_table(cycle, assessments), filename=_filename(cycle, "csv"))


def xlsx_response(*, cycle: AssessmentCycle, assessments: QuerySet[Assessment]) -> HttpResponse:
    return spreadsheets.xlsx_response(tables=[_table(cycle, assessments)], filename=_filename(cycle, "xlsx"))
