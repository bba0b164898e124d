"""The assessment pages: the list, the form the district commissioner fills in, the city's review.

Thin views over the same selectors and services as the API: what a form sends is validated by the
API's serializers and written by the same services, so a page meets the same rules, history and
409 (someone moved the assessment first) or 412 (it was saved meanwhile) as the API; the page then
shows that message over the assessment as it is now.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from rest_framework.exceptions import ValidationError

from assessments import selectors
from assessments.api.filters import AssessmentFilter
from assessments.api.serializers import (
    AssessmentNoteSerializer,
    AssessmentReturnSerializer,
    class_reason_texts,
)
from assessments.models import FIGURE_FIELDS, Assessment, AssessmentCycle, AssessmentState
from assessments.services import assessment_return, assessment_review, assessment_update, period_figures
from assessments.services.entry import assessment_fill_in_and_submit
from commissioners.models import District, Role
from core.errors import error_messages, field_errors, known_error
from core.versioning import version_of

from .forms import EntryRefused, entry_data, entry_form

PAGE_SIZE = 50

SAVED = _("Saved as a draft.")
SUBMITTED = _("Submitted to the city for review.")
RETURNED = _("Returned to the district for correction.")
REVIEWED = _("Reviewed: the centre is classified and its findings are routed.")

EVENT_LABELS = {
    "open": _("opened"),
    "edit": _("saved"),
    "submit": _("submitted"),
    "return": _("returned for correction"),
    "review": _("reviewed"),
}
STATE_LABELS = dict(AssessmentState.choices)
# The district's own work first: what came back, then what is still to fill in.
DISTRICT_ORDER = {
    AssessmentState.RETURNED: 0,
    AssessmentState.OPEN: 1,
    AssessmentState.SUBMITTED: 2,
    AssessmentState.REVIEWED: 3,
}


# --- The list ------------------------------------------------------------------------------------


class AssessmentListView(LoginRequiredMixin, View):
    """The assessments the user may see: a district commissioner's to fill in (returned first), the
    city's submitted ones to review (oldest first); filtered as the API's list is."""

    def get(self, request):
        user = request.user
        params = request.GET.copy()
        page_number = params.pop("page", [None])[-1]
        is_city = user.role == Role.CITY_COMMISSIONER
        if is_city and "state" not in params:
            params["state"] = AssessmentState.SUBMITTED
        visible = selectors.assessment_list_visible_to(user=user).select_related(
            "cycle", "centre", "district"
        )
        filterset = AssessmentFilter(params, queryset=visible, request=request)
        status, page, errors = 200, None, {}
        if filterset.is_valid():
            found = filterset.qs
            if is_city or params.get("state") == AssessmentState.SUBMITTED:
                found = found.order_by("submitted_at", "id")
            elif user.role == Role.DISTRICT_COMMISSIONER:
                found = found.order_by("-cycle__period_end", _state_rank(), "centre__name_zh", "id")
            else:
                found = found.order_by("-cycle__period_end", "district__order", "centre__name_zh", "id")
            page = Paginator(found, PAGE_SIZE).get_page(page_number)
        else:
            status = 400
            errors = {name: [str(e) for e in errs] for name, errs in filterset.errors.items()}
        query = params.copy()
        context = {
            "page": page,
            "rows": list(page) if page is not None else [],
            "errors": error_messages(errors),
            "query": query.urlencode(),
            "chosen": {name: params.get(name, "") for name in ("cycle", "district", "state")},
            "cycles": [(str(c.pk), c.name) for c in AssessmentCycle.objects.order_by("-period_end", "name")],
            "districts": (
                [(d.code, d.name) for d in District.objects.all()] if user.district_id is None else []
            ),
            "states": list(AssessmentState.choices),
            "is_city": is_city,
            "is_district": user.role == Role.DISTRICT_COMMISSIONER,
        }
        return render(request, "assess/list.html", context, status=status)


def _state_rank():
    return Case(
        *(When(state=state, then=Value(rank)) for state, rank in DISTRICT_ORDER.items()),
        default=Value(9),
        output_field=IntegerField(),
    )


# --- The assessment page -------------------------------------------------------------------------


def _visible(user, pk: int) -> Assessment:
    assessment = selectors.assessment_for_page(user=user, pk=pk)
    if assessment is None:
        raise Http404
    return assessment


def _figures(assessment: Assessment, *, live: bool) -> list[tuple[str, int]]:
    """What the system counted for the centre over the period: now, while the assessment is being
    filled in; as kept on submission afterwards."""
    labels = {f.name: f.verbose_name for f in Assessment._meta.fields}
    if live:
        cycle = assessment.cycle
        counted = period_figures(
            period_start=cycle.period_start, period_end=cycle.period_end, centre_ids=[assessment.centre_id]
        )[assessment.centre_id]
    else:
        counted = {name: getattr(assessment, name) for name in FIGURE_FIELDS}
    return [(str(labels[name]), counted[name]) for name in FIGURE_FIELDS]


def _history(assessment: Assessment) -> list[dict]:
    return [
        {
            "at": event.created_at,
            "actor": (event.actor.get_full_name() or event.actor.username) if event.actor else "—",
            "action": str(EVENT_LABELS.get(event.action, event.action)),
            "from_state": str(STATE_LABELS.get(event.from_state, event.from_state)),
            "to_state": str(STATE_LABELS.get(event.to_state, event.to_state)),
            "moved": event.from_state != event.to_state,
            "note": event.note,
        }
        for event in assessment.events.all()
    ]


def _page(request, assessment: Assessment, *, form=None, review_errors=None, posted=None, status=200):
    moves = selectors.assessment_moves_for(assessment=assessment, user=request.user)
    may_enter = selectors.ENTER in moves
    if may_enter and form is None:
        form = entry_form(assessment=assessment)
    if not may_enter:
        form = None
    readonly = None if may_enter else entry_form(assessment=assessment)
    context = {
        "assessment": assessment,
        "version": version_of(assessment),
        "form": form,
        "readonly": readonly,
        "may_review": selectors.REVIEW in moves,
        "review_errors": review_errors or {},
        "posted": posted or {},
        "figures": _figures(assessment, live=may_enter),
        "figures_live": may_enter,
        "class_reasons": class_reason_texts(assessment.class_reasons or []),
        "history": _history(assessment),
    }
    return render(request, "assess/assessment.html", context, status=status)


def _refused(request, pk: int, exc: Exception, *, move: str, posted):
    """A refused write shown on the page as it is now; a bug is not a refusal and is raised."""
    error = known_error(exc)
    if error is None:
        raise exc
    fresh = _visible(request.user, pk)
    detail = field_errors(error)
    if (
        error.status_code in (409, 412)
        or selectors.assessment_moves_for(assessment=fresh, user=request.user) == frozenset()
    ):
        # Someone moved or saved it meanwhile: their version is shown, with what happened.
        messages.error(request, " ".join(error_messages(detail)))
        return _page(request, fresh, status=error.status_code)
    if move == "enter":
        return _page(
            request,
            fresh,
            form=entry_form(assessment=fresh, posted=posted, errors=detail),
            status=error.status_code,
        )
    return _page(
        request, fresh, review_errors={move: error_messages(detail)}, posted=posted, status=error.status_code
    )


def _done(request, pk: int, message) -> HttpResponseRedirect:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("assess:assessment", args=[pk]), status=303)


class AssessmentPageView(LoginRequiredMixin, View):
    """The assessment: its form while the district fills it in, its review for the city."""

    def get(self, request, pk: int):
        return _page(request, _visible(request.user, pk))

    def post(self, request, pk: int):
        assessment = _visible(request.user, pk)
        submit = request.POST.get("action") == "submit"
        try:
            try:
                data = entry_data(assessment=assessment, posted=request.POST)
            except EntryRefused as refused:
                raise ValidationError(refused.detail) from None
            problems = [
                {"description": p["description"], "measure": p.get("measure")}
                for p in data.pop("problems", [])
            ]
            write = assessment_fill_in_and_submit if submit else assessment_update
            write(
                assessment=assessment,
                actor=request.user,
                problems=problems,
                expected_version=request.POST.get("version") or None,
                **data,
            )
        except Exception as exc:
            return _refused(request, pk, exc, move="enter", posted=request.POST)
        return _done(request, pk, SUBMITTED if submit else SAVED)


class AssessmentReviewView(LoginRequiredMixin, View):
    """The city accepts a submitted assessment, with an optional note."""

    def post(self, request, pk: int):
        assessment = _visible(request.user, pk)
        try:
            serializer = AssessmentNoteSerializer(data=request.POST)
            serializer.is_valid(raise_exception=True)
            assessment_review(
                assessment=assessment, actor=request.user, note=serializer.validated_data["note"]
            )
        except Exception as exc:
            return _refused(request, pk, exc, move="review", posted=request.POST)
        return _done(request, pk, REVIEWED)


class AssessmentReturnView(LoginRequiredMixin, View):
    """The city sends a submitted assessment back to its district, saying why."""

    def post(self, request, pk: int):
        assessment = _visible(request.user, pk)
        try:
            serializer = AssessmentReturnSerializer(data=request.POST)
            serializer.is_valid(raise_exception=True)
            assessment_return(
                assessment=assessment, actor=request.user, reason=serializer.validated_data["reason"]
            )
        except Exception as exc:
            return _refused(request, pk, exc, move="return", posted=request.POST)
        return _done(request, pk, RETURNED)
