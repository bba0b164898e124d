"""The case page's move forms, drawn from each move's API serializer.

A move's form is its serializer's fields written out as HTML inputs; what the user sends is
validated by that same serializer and written by the same service as the API's (`cases.api.moves`),
so the page can neither accept what the API refuses nor word an error differently.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import rules, services
from cases.api.case_serializers import CaseEditSerializer
from cases.api.moves import MOVE_ENDPOINT_OF, MoveEndpoint
from cases.models import Appeal, Case, PolicyIssue
from commissioners.models import Bureau
from core.errors import error_messages
from core.versioning import version_of
from policies.models import Measure, Programme

# What the case page offers: every move, and the logging district's edit (a PATCH in the API, sent
# with the version the page showed, so that an edit made meanwhile is not overwritten: a 412).
PAGE_ENDPOINT_OF: dict[str, MoveEndpoint] = MOVE_ENDPOINT_OF | {
    "edit": MoveEndpoint("edit", services.case_edit, CaseEditSerializer, "Edit the case.")
}
EDITED_FIELDS = ("title", "description", "urgency", "is_confidential", "source", "measure")

# The words a form shows for each input, by the serializer's field name.
FIELD_LABELS = {
    "reason": _("Reason"),
    "lead_bureau": _("Lead bureau"),
    "co_bureaus": _("Co-handling bureaus"),
    "measure": _("Measure"),
    "override_reason": _("Why the bureaus differ from the routing"),
    "contribution": _("Your bureau's contribution"),
    "answer_text": _("Answer to the centre"),
    "answer_actions": _("What was done"),
    "answer_outcome": _("Outcome"),
    "reached": _("Call"),
    "resolved": _("Resolved?"),
    "satisfaction": _("Satisfaction"),
    "note": _("Note"),
    "upheld": _("Ruling"),
    "reply": _("Reply"),
    "appeal": _("Appeal"),
    "department": _("National department"),
    "national_measure": _("National measure"),
    "outcome": _("Outcome"),
    "next_due_on": _("Next follow-up by"),
    "working_days": _("Extra working days"),
    "approve": _("Decision"),
    "due_on": _("Reply by"),
    "title": _("Title"),
    "description": _("Description"),
    "urgency": _("Urgency"),
    "is_confidential": _("Confidential"),
    "source": _("Source"),
    "policy_issue": _("Policy issue"),
    "case": _("Case"),
}

# A yes/no input's two answers, worded for the move (true first).
BOOLEAN_ANSWERS = {
    ("rule_return", "upheld"): (
        _("Uphold: the case was misrouted; dispatch it again"),
        _("Reject: back to the bureau that returned it"),
    ),
    ("decide_extension", "approve"): (_("Approve the extension"), _("Reject the extension")),
    ("decide_appeal", "upheld"): (_("Uphold: the case leaves the bureau's rates"), _("Reject the appeal")),
    ("callback", "reached"): (_("The centre was reached"), _("The centre could not be reached")),
    ("callback", "resolved"): (_("Resolved"), _("Not resolved")),
}
YES_NO = (_("Yes"), _("No"))


@dataclass
class Input:
    name: str
    label: str
    kind: str  # textarea, text, number, date, select, radio, checkboxes, hidden
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: object = ""
    errors: list[str] = field(default_factory=list)
    help_text: str = ""
    min_value: int | None = None
    max_value: int | None = None


@dataclass
class MoveForm:
    move: str
    label: str
    inputs: list[Input]
    errors: list[str] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    # Where the form is sent; empty for a case's move (its address is the case's).
    action: str = ""

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(i.errors for i in self.inputs)


def _bureau_choices(*, national: bool) -> list[tuple[str, str]]:
    bureaus = (
        Bureau.objects.filter(level=Bureau.Level.NATIONAL)
        if national
        else Bureau.objects.exclude(level=Bureau.Level.NATIONAL)
    )
    return [(b.code, b.name) for b in bureaus.order_by("code")]


def _measure_choices(*, programme: str) -> list[tuple[str, str]]:
    measures = Measure.objects.filter(programme=programme, is_active=True).order_by("number")
    return [(str(m.pk), f"{m.number}. {m.title}") for m in measures]


def _policy_issue_choices() -> list[tuple[str, str]]:
    issues = PolicyIssue.objects.filter(state__in=rules.ISSUE_BEING_HANDLED).select_related("measure")
    return [(str(i.pk), f"#{i.pk} {i.title} ({i.measure.number})") for i in issues.order_by("-created_at")]


def _choices_for(move: str, name: str, serializer_field) -> list[tuple[str, str]]:
    if name in ("lead_bureau", "co_bureaus"):
        return _bureau_choices(national=False)
    if name == "department":
        return _bureau_choices(national=True)
    if name == "measure":
        return _measure_choices(programme=Programme.SHANGHAI_2024)
    if name == "policy_issue":
        return [("", "—"), *_policy_issue_choices()]
    if name == "national_measure":
        return [("", "—"), *_measure_choices(programme=Programme.NATIONAL_2023)]
    if isinstance(serializer_field, serializers.BooleanField):
        yes, no = BOOLEAN_ANSWERS.get((move, name), YES_NO)
        choices = [("true", str(yes)), ("false", str(no))]
        return [("", "—"), *choices] if serializer_field.allow_null else choices
    if isinstance(serializer_field, serializers.ChoiceField):
        blank = [("", "—")] if serializer_field.allow_blank else []
        return blank + [(str(value), str(label)) for value, label in serializer_field.choices.items()]
    return []


def _kind_of(name: str, serializer_field) -> str:
    if name == "appeal":
        return "hidden"
    if isinstance(serializer_field, serializers.ManyRelatedField):
        return "checkboxes"
    if isinstance(serializer_field, serializers.BooleanField):
        return "radio"
    if isinstance(serializer_field, serializers.ChoiceField | serializers.RelatedField):
        return "select"
    if isinstance(serializer_field, serializers.IntegerField):
        return "number"
    if isinstance(serializer_field, serializers.DateField):
        return "date"
    if isinstance(serializer_field, serializers.CharField) and (serializer_field.max_length or 0) <= 200:
        return "text"
    return "textarea"


def _initial(serializer_field):
    default = serializer_field.default
    if default is serializers.empty or callable(default):
        return [] if isinstance(serializer_field, serializers.ManyRelatedField) else ""
    if isinstance(default, bool):
        return "true" if default else "false"
    return "" if default is None else default


def _routing_initial(case: Case) -> dict:
    """The dispatch form filled in with the routing table's proposal for the case's centre."""
    try:
        proposal = services.case_routing_proposal(case=case)
    except ValidationError:  # a measure without routing: the form starts empty and says why on sending
        proposal = []
    lead = next((row.bureau.code for row in proposal if row.is_lead), "")
    return {
        "lead_bureau": lead,
        "co_bureaus": [row.bureau.code for row in proposal if not row.is_lead],
        "measure": str(case.measure_id),
    }


def _pending_appeal(case: Case) -> Appeal | None:
    return next((a for a in case.appeals.all() if a.status == Appeal.Status.PENDING), None)


def move_form(*, case: Case, move: str, posted=None, errors: dict | None = None) -> MoveForm:
    """The form of one move: its inputs with their initial values, or with what the user sent and
    what was wrong with it."""
    endpoint = PAGE_ENDPOINT_OF[move]
    initial: dict = {}
    context: dict = {}
    if move == "edit":
        initial = {name: getattr(case, name) for name in EDITED_FIELDS if name != "measure"}
        initial["is_confidential"] = "true" if case.is_confidential else "false"
        initial["measure"] = str(case.measure_id)
        context["version"] = version_of(case)
    if move == "dispatch":
        initial = _routing_initial(case)
        context["proposal"] = initial
    if move == "decide_appeal":
        appeal = _pending_appeal(case)
        context["appeal"] = appeal
        initial["appeal"] = appeal.pk if appeal else ""
    inputs, general = form_inputs(
        move=move, input_serializer=endpoint.input, initial=initial, posted=posted, errors=errors
    )
    return MoveForm(
        move=move, label=str(rules.MOVES[move].label), inputs=inputs, errors=general, context=context
    )


def _chosen(value: str, chosen) -> bool:
    return value in {str(v) for v in chosen or []}


def form_inputs(
    *, move: str, input_serializer, initial: dict, posted=None, errors: dict | None = None
) -> tuple[list[Input], list[str]]:
    """The inputs of a move's serializer, with their initial values or with what the user sent and
    what was wrong with it; and the errors that belong to no input shown."""
    inputs = []
    fields = input_serializer().fields if input_serializer is not None else {}
    errors = errors or {}
    for name, serializer_field in fields.items():
        if serializer_field.read_only:
            continue
        kind = _kind_of(name, serializer_field)
        if posted is not None:
            value = posted.getlist(name) if kind == "checkboxes" else posted.get(name, "")
        else:
            value = initial.get(name, _initial(serializer_field))
        inputs.append(
            Input(
                name=name,
                label=str(FIELD_LABELS.get(name, name)),
                kind=kind,
                required=serializer_field.required,
                choices=_choices_for(move, name, serializer_field),
                value=value,
                errors=error_messages(errors.get(name)),
                help_text=str(serializer_field.help_text or ""),
                min_value=getattr(serializer_field, "min_value", None),
                max_value=getattr(serializer_field, "max_value", None),
            )
        )
    for input_ in inputs:
        if input_.kind == "checkboxes":
            # The chosen ones first: a long list of bureaus must not hide the proposal below its fold.
            input_.choices.sort(key=lambda choice: not _chosen(choice[0], input_.value))
    # An error about no field, or about one the form does not show (the case's measure, say), on top.
    shown = {i.name for i in inputs}
    general = error_messages([value for name, value in errors.items() if name not in shown])
    return inputs, general
