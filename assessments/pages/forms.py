"""The assessment form: its inputs drawn from the assessment's fields, what is sent validated by the
API's serializer (`AssessmentSerializer`), so that the page refuses exactly what the API refuses."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from assessments.api.serializers import AssessmentSerializer
from assessments.models import INDICATOR_FIELDS, TEXT_FIELDS, Assessment, Indicator, ScoringWeight
from core.errors import error_messages
from policies.models import Measure, Programme

# Blank problem rows the form offers beyond those entered (no script needed to add one).
BLANK_PROBLEM_ROWS = 2
# Rows beyond this many are not read: a form that sends more was not made by the page.
MAX_PROBLEM_ROWS = 50
PROBLEM_KEY = re.compile(r"^problem-(\d{1,3})-(description|measure)$")

UNITS = {
    "full_time_rd_staff": _("persons"),
    "total_staff": _("persons"),
    "rd_spending_cny": _("CNY"),
    "patents_filed": _("patents"),
    "patents_granted": _("patents"),
    "joint_projects_universities": _("projects"),
    "joint_projects_institutes": _("projects"),
    "joint_projects_firms": _("projects"),
    "startups_incubated": _("start-ups"),
    "foreign_experts": _("persons"),
}
# The scored indicator each entered figure counts towards.
SCORED_AS = {
    "full_time_rd_staff": Indicator.FULL_TIME_RD_STAFF,
    "total_staff": Indicator.RD_STAFF_SHARE,
    "rd_spending_cny": Indicator.RD_SPENDING_CNY,
    "patents_filed": Indicator.PATENTS_FILED,
    "patents_granted": Indicator.PATENTS_GRANTED,
    "joint_projects_universities": Indicator.JOINT_PROJECTS,
    "joint_projects_institutes": Indicator.JOINT_PROJECTS,
    "joint_projects_firms": Indicator.JOINT_PROJECTS,
    "startups_incubated": Indicator.STARTUPS_INCUBATED,
    "foreign_experts": Indicator.FOREIGN_EXPERTS,
}
FULL_MARKS = _("Counts towards “%(indicator)s”: full marks at %(full)s, worth %(weight)s points.")
TOO_MANY_PROBLEMS = _("At most %(count)s problems can be entered.")


@dataclass
class EntryInput:
    name: str
    label: str
    unit: str
    value: object
    full_marks: str
    required: bool
    kind: str = "number"  # number or textarea
    step: str = "1"
    errors: list[str] = field(default_factory=list)


@dataclass
class ProblemRow:
    index: int
    description: str
    measure: str
    case_id: int | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class EntryForm:
    inputs: list[EntryInput]
    problems: list[ProblemRow]
    measures: list[tuple[str, str]]
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(i.errors for i in self.inputs) or any(p.errors for p in self.problems)


def _full_marks(name: str, weights: dict[str, ScoringWeight]) -> str:
    indicator = SCORED_AS.get(name)
    weight = weights.get(indicator)
    if weight is None:
        return ""
    return FULL_MARKS % {
        "indicator": Indicator(indicator).label,
        "full": f"{weight.full_marks_at.normalize():f}",
        "weight": f"{weight.weight.normalize():f}",
    }


def _measure_choices() -> list[tuple[str, str]]:
    measures = Measure.objects.filter(programme=Programme.SHANGHAI_2024, is_active=True).order_by("number")
    return [(str(m.number), f"{m.number}. {m.title}") for m in measures]


def _posted_problems(posted) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for key in posted:
        match = PROBLEM_KEY.match(key)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = posted.get(key, "")
    return dict(sorted(rows.items()))


def entry_form(*, assessment: Assessment, posted=None, errors: dict | None = None) -> EntryForm:
    """The form over the assessment as it is, or over what the user sent and what was wrong with it."""
    errors = errors or {}
    weights = {w.indicator: w for w in ScoringWeight.objects.all()}
    model_fields = {f.name: f for f in Assessment._meta.fields}
    inputs = []
    for name in (*INDICATOR_FIELDS, *TEXT_FIELDS):
        is_text = name in TEXT_FIELDS
        value = posted.get(name, "") if posted is not None else getattr(assessment, name)
        inputs.append(
            EntryInput(
                name=name,
                label=str(model_fields[name].verbose_name),
                unit=str(UNITS.get(name, "")),
                value="" if value is None else value,
                full_marks=_full_marks(name, weights),
                required=name != "problems_met",
                kind="textarea" if is_text else "number",
                step="0.01" if name == "rd_spending_cny" else "1",
                errors=error_messages(errors.get(name)),
            )
        )
    if posted is not None:
        problems = [
            ProblemRow(index=i, description=row.get("description", ""), measure=row.get("measure", ""))
            for i, row in enumerate(_posted_problems(posted).values())
        ][:MAX_PROBLEM_ROWS]
    else:
        problems = [
            ProblemRow(
                index=i,
                description=p.description,
                measure=str(p.measure.number) if p.measure else "",
                case_id=p.case_id,
            )
            for i, p in enumerate(assessment.problems.all())
        ]
    problem_errors = errors.get("problems")
    general = error_messages(
        [value for name, value in errors.items() if name not in model_fields and name != "problems"]
    )
    if isinstance(problem_errors, list) and problem_errors and isinstance(problem_errors[0], dict):
        # The serializer's errors, one per row sent (the rows left blank were not sent).
        sent = [p for p in problems if p.description.strip() or p.measure]
        for row, row_errors in zip(sent, problem_errors, strict=False):
            row.errors = error_messages(row_errors)
    else:
        general += error_messages(problem_errors)
    start = len(problems)
    problems += [ProblemRow(index=start + i, description="", measure="") for i in range(BLANK_PROBLEM_ROWS)]
    return EntryForm(inputs=inputs, problems=problems, measures=_measure_choices(), errors=general)


class EntryRefused(Exception):
    """What the form sent is not an assessment the API would take; `detail` says why, by field."""

    def __init__(self, detail: dict):
        super().__init__(detail)
        self.detail = detail


def entry_data(*, assessment: Assessment, posted) -> dict:
    """What the form sent as the service's arguments (`problems` included), validated by the API's
    serializer; raises `EntryRefused` with the serializer's errors."""
    data: dict = {}
    for name in INDICATOR_FIELDS:
        value = (posted.get(name) or "").strip()
        data[name] = value or None
    for name in TEXT_FIELDS:
        data[name] = posted.get(name, "")
    rows = list(_posted_problems(posted).values())
    if len(rows) > MAX_PROBLEM_ROWS + BLANK_PROBLEM_ROWS:
        raise EntryRefused({"problems": [str(TOO_MANY_PROBLEMS % {"count": MAX_PROBLEM_ROWS})]})
    data["problems"] = [
        {"description": row.get("description", ""), "measure_number": row.get("measure") or None}
        for row in rows
        if (row.get("description") or "").strip() or row.get("measure")
    ]
    serializer = AssessmentSerializer(assessment, data=data, partial=True)
    if not serializer.is_valid():
        raise EntryRefused(serializer.errors)
    return dict(serializer.validated_data)
