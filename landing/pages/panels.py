"""Policy landing's parts of other apps' pages, loaded into them by htmx (`hx-get`), so that the
apps below (centres, assessments) need not know of landing: a centre's landing panel, and an
assessment's findings with the form recording what became of each eligibility.

Asked for without htmx, each part comes as a page of its own."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views import View

from assessments.eligibility import ELIGIBILITY_RULE_CODES
from assessments.selectors import assessment_list_visible_to, finding_list_visible_to
from assessments.services.findings import finding_record_outcome
from centres.selectors import centre_list_visible_to
from commissioners.models import Role
from commissioners.pages import RolePageMixin
from landing import selectors, services
from policies.models import Measure

from .common import form_refused
from .forms import FindingOutcomeForm

OUTCOME_RECORDERS = frozenset({Role.BUREAU_STAFF, Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER})
OUTCOME_RECORDED = _("The outcome was recorded: the finding is closed.")


def _part(request, part: str, page: str, context: dict, status: int = 200):
    """The part alone for htmx; a page holding it otherwise (told apart in caches by `Vary`)."""
    template = part if request.htmx and not request.htmx.history_restore_request else page
    response = render(request, template, context | {"part": part}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


class CentrePanelView(RolePageMixin, View):
    """What reached one centre: the measures it was briefed on (how often, when last) and the
    benefits the user may see; with the links to record either."""

    def get(self, request, pk: int):
        centre = get_object_or_404(centre_list_visible_to(user=request.user), pk=pk)
        briefed = selectors.centre_briefed_measures(centre=centre)
        measures = Measure.objects.in_bulk([row["measure_id"] for row in briefed])
        benefits = (
            selectors.benefit_list_visible_to(user=request.user)
            .filter(centre=centre)
            .select_related("measure", "granting_bureau")
            .order_by("-created_at", "-id")
        )
        writer = request.user.role in services.BRIEFING_WRITERS
        context = {
            "centre": centre,
            "briefed": [row | {"measure": measures[row["measure_id"]]} for row in briefed],
            "benefits": list(benefits),
            "may_record": writer
            and (
                request.user.role != Role.DISTRICT_COMMISSIONER
                or centre.district_id == request.user.district_id
            ),
        }
        return _part(request, "landing/_centre_panel.html", "landing/centre_panel.html", context)


def _findings_context(request, assessment, *, forms=None) -> dict:
    findings = (
        finding_list_visible_to(user=request.user)
        .filter(assessment=assessment)
        .select_related("measure", "bureau", "handled_by")
        .order_by("measure__number", "bureau__code", "id")
    )
    forms = forms or {}
    may_record = request.user.role in OUTCOME_RECORDERS
    rows = []
    for finding in findings:
        open_eligibility = finding.rule in ELIGIBILITY_RULE_CODES and not finding.outcome
        form = forms.get(finding.pk)
        if open_eligibility and may_record and form is None:
            form = FindingOutcomeForm(prefix=f"f{finding.pk}")
        rows.append({"finding": finding, "form": form if open_eligibility and may_record else None})
    return {"assessment": assessment, "rows": rows}


def _visible_assessment(request, pk: int):
    return get_object_or_404(assessment_list_visible_to(user=request.user).select_related("centre"), pk=pk)


class AssessmentFindingsView(RolePageMixin, View):
    """An assessment's findings the user may see; an eligibility with no outcome yet offers the
    form recording what became of it."""

    def get(self, request, pk: int):
        context = _findings_context(request, _visible_assessment(request, pk))
        return _part(request, "landing/_findings.html", "landing/findings.html", context)


class FindingOutcomeView(RolePageMixin, View):
    """What became of an eligibility, through `finding_record_outcome`, the API's own service."""

    roles = OUTCOME_RECORDERS

    def post(self, request, pk: int):
        finding = get_object_or_404(
            finding_list_visible_to(user=request.user).select_related("assessment"), pk=pk
        )
        assessment = _visible_assessment(request, finding.assessment_id)
        form = FindingOutcomeForm(request.POST, prefix=f"f{finding.pk}")
        status = 400
        if form.is_valid():
            try:
                finding_record_outcome(finding=finding, actor=request.user, **form.cleaned_data)
            except Exception as exc:
                status = form_refused(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, OUTCOME_RECORDED)
                    return HttpResponseRedirect(
                        reverse("assess:assessment", args=[assessment.pk]), status=303
                    )
                context = _findings_context(request, assessment) | {"done": OUTCOME_RECORDED}
                return _part(request, "landing/_findings.html", "landing/findings.html", context)
        context = _findings_context(request, assessment, forms={finding.pk: form})
        # Shown above the findings too: a finding closed meanwhile has no form left to show it on.
        context["refused"] = [message for messages_ in form.errors.values() for message in messages_]
        return _part(request, "landing/_findings.html", "landing/findings.html", context, status=status)
