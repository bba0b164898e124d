"""The policy issue pages (共性问题): the list, raising one from similar cases, and the issue's page
with its cases, its candidates, its history and the moves open to the user.

Thin views over the API's serializers and the services (`cases.services.policy_issues`): a move
sent from the page obeys the same rules, writes the same history and meets the same 409."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from cases import rules, selectors
from cases.api import policy_issues as api
from cases.models import Case, PolicyIssue, PolicyIssueState
from cases.services import policy_issues as services
from commissioners.models import Role
from commissioners.pages import RolePageMixin
from core.errors import error_messages, field_errors, known_error
from core.time import local_today
from core.versioning import version_of
from policies.models import Measure, Programme

from .forms import MoveForm, form_inputs

LIST_PAGE_SIZE = 50
ISSUE_DONE = _("Done: %(move)s.")
ISSUE_RAISED = _("Policy issue #%(issue)s was raised with %(count)s cases.")

# The input of each move shown as a form of its own (adding and taking out cases are shown by each
# case: a button by each candidate, a reason by each case of the issue).
ISSUE_FORMS = {
    "edit": api.PolicyIssueEditSerializer,
    "dispatch": api.IssueDispatchSerializer,
    "accept": None,
    "contribute": api.IssueContributeSerializer,
    "answer": api.IssueAnswerSerializer,
    "supervise": api.IssueNoteSerializer,
    "withdraw": api.IssueReasonSerializer,
}
ISSUE_SERVICES = {
    "edit": services.policy_issue_edit,
    "link": services.policy_issue_link_case,
    "unlink": services.policy_issue_unlink_case,
    "dispatch": services.policy_issue_dispatch,
    "accept": services.policy_issue_accept,
    "contribute": services.policy_issue_contribute,
    "answer": services.policy_issue_answer,
    "supervise": services.policy_issue_supervise,
    "withdraw": services.policy_issue_withdraw,
}
ISSUE_INPUTS = ISSUE_FORMS | {"link": api.CaseRefSerializer, "unlink": api.CaseUnlinkSerializer}


def _visible_issue(user, pk: int) -> PolicyIssue:
    issue = selectors.policy_issue_detail(
        selectors.policy_issue_list_visible_to(user=user).filter(pk=pk), user=user
    ).first()
    if issue is None:
        raise Http404
    return issue


def _initial(issue: PolicyIssue, move: str) -> tuple[dict, dict]:
    if move == "edit":
        return {"title": issue.title, "description": issue.description}, {"version": version_of(issue)}
    if move == "dispatch":
        proposal = services.policy_issue_routing_proposal(issue=issue)
        initial = {
            "lead_bureau": next((r.bureau.code for r in proposal if r.is_lead), ""),
            "co_bureaus": [r.bureau.code for r in proposal if not r.is_lead],
        }
        return initial, {"proposal": initial}
    return {}, {}


def issue_move_form(*, issue: PolicyIssue, move: str, posted=None, errors: dict | None = None) -> MoveForm:
    initial, context = _initial(issue, move)
    inputs, general = form_inputs(
        move=move, input_serializer=ISSUE_FORMS[move], initial=initial, posted=posted, errors=errors
    )
    return MoveForm(
        move=move,
        label=str(rules.ISSUE_MOVES[move].label),
        inputs=inputs,
        errors=general,
        context=context,
        action=reverse("work:policy-issue-move", args=[issue.pk, move]),
    )


def _issue_page(request, issue: PolicyIssue, *, failed: MoveForm | None = None, status: int = 200):
    user = request.user
    allowed = rules.issue_allowed_moves(issue, user)
    forms = [
        failed if failed is not None and failed.move == move else issue_move_form(issue=issue, move=move)
        for move in allowed
        if move in ISSUE_FORMS
    ]
    if failed is not None and failed.move not in {form.move for form in forms}:
        messages.error(request, " ".join(failed.errors) or str(rules.ISSUE_MOVES[failed.move].label))
    candidates = selectors.policy_issue_candidates(issue=issue, user=user) if "link" in allowed else []
    context = {
        "issue": issue,
        "cases": issue.visible_cases,
        "hidden_cases": issue.case_count - len(issue.visible_cases),
        "co_bureaus": list(issue.co_bureaus.all()),
        "history": list(issue.events.all()),
        "forms": forms,
        "may_link": "link" in allowed,
        "may_unlink": "unlink" in allowed,
        "candidates": candidates,
        "today": local_today(),
    }
    return render(request, "work/policy_issue.html", context, status=status)


class PolicyIssueListView(RolePageMixin, View):
    """The policy issues the user may see, those still being handled first, oldest first."""

    def get(self, request):
        user = request.user
        state = request.GET.get("state", "")
        issues = selectors.policy_issue_list_visible_to(user=user).select_related("measure", "lead_bureau")
        if state in PolicyIssueState.values:
            issues = issues.filter(state=state)
        elif state != "all":
            issues = issues.filter(state__in=rules.ISSUE_BEING_HANDLED)
        page = Paginator(issues.order_by("created_at", "id"), LIST_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        counts = dict(
            Case.objects.filter(policy_issue__in=[issue.pk for issue in page])
            .values("policy_issue")
            .annotate(n=Count("pk"))
            .values_list("policy_issue", "n")
        )
        context = {
            "page": page,
            "rows": [(issue, counts.get(issue.pk, 0)) for issue in page],
            "state": state,
            "states": PolicyIssueState.choices,
            "may_raise": user.role == Role.CITY_COMMISSIONER,
            "today": local_today(),
        }
        return render(request, "work/policy_issues.html", context)


class PolicyIssueCreateView(RolePageMixin, View):
    """A city commissioner raises a policy issue from a case and the similar cases it suggests."""

    roles = frozenset({Role.CITY_COMMISSIONER})

    def _context(self, request, *, posted=None, errors=None) -> dict:
        user = request.user
        ids = [int(v) for v in request.GET.getlist("case") if v.isdigit()][:50]
        seeds = list(selectors.case_list_visible_to(user=user).filter(pk__in=ids).select_related("centre"))
        suggested: dict[int, Case] = {case.pk: case for case in seeds}
        for seed in seeds[:3]:
            for case in selectors.similar_cases(case=seed, user=user):
                if case.state in rules.BEING_HANDLED and case.policy_issue_id is None:
                    suggested.setdefault(case.pk, case)
        measures = Measure.objects.filter(programme=Programme.SHANGHAI_2024, is_active=True).order_by(
            "number"
        )
        first = seeds[0] if seeds else None
        values = posted or {
            "title": first.title if first else "",
            "description": "",
            "measure": str(first.measure_id) if first else "",
            "cases": [str(case.pk) for case in seeds],
        }
        return {
            "candidates": list(suggested.values()),
            "measures": measures,
            "values": values,
            "errors": errors or {},
        }

    def get(self, request):
        return render(request, "work/policy_issue_new.html", self._context(request))

    def post(self, request):
        data = {
            "title": request.POST.get("title", ""),
            "description": request.POST.get("description", ""),
            "measure": request.POST.get("measure", ""),
            "cases": request.POST.getlist("cases"),
        }
        try:
            serializer = api.PolicyIssueCreateSerializer(data=data)
            serializer.is_valid(raise_exception=True)
            issue = services.policy_issue_create(actor=request.user, **serializer.validated_data)
        except Exception as exc:
            error = known_error(exc)
            if error is None:
                raise
            detail = field_errors(error)
            errors = {name: error_messages(value) for name, value in detail.items()}
            context = self._context(request, posted=data, errors=errors)
            return render(request, "work/policy_issue_new.html", context, status=error.status_code)
        messages.success(request, ISSUE_RAISED % {"issue": issue.pk, "count": issue.cases.count()})
        return HttpResponseRedirect(reverse("work:policy-issue", args=[issue.pk]), status=303)


class PolicyIssuePageView(RolePageMixin, View):
    def get(self, request, pk: int):
        return _issue_page(request, _visible_issue(request.user, pk))


class PolicyIssueMoveView(RolePageMixin, View):
    """One move, sent from its form on the issue's page."""

    def post(self, request, pk: int, move: str):
        if move not in ISSUE_SERVICES:
            raise Http404
        issue = _visible_issue(request.user, pk)
        try:
            data = {}
            serializer_class = ISSUE_INPUTS[move]
            if serializer_class is not None:
                serializer = serializer_class(data=request.POST)
                serializer.is_valid(raise_exception=True)
                data = dict(serializer.validated_data)
            if move == "edit":
                data["expected_version"] = request.POST.get("version") or None
            ISSUE_SERVICES[move](issue=issue, actor=request.user, **data)
        except Exception as exc:
            error = known_error(exc)
            if error is None:
                raise
            detail = field_errors(error)
            if move in ISSUE_FORMS:
                failed = issue_move_form(issue=issue, move=move, posted=request.POST, errors=detail)
            else:  # a case's button: its message goes above the page
                messages.error(request, " ".join(error_messages(detail)))
                failed = None
            fresh = selectors.policy_issue_detail(PolicyIssue.objects.filter(pk=pk), user=request.user).get()
            return _issue_page(request, fresh, failed=failed, status=error.status_code)
        messages.success(request, ISSUE_DONE % {"move": rules.ISSUE_MOVES[move].label})
        if selectors.policy_issue_list_visible_to(user=request.user).filter(pk=pk).exists():
            return HttpResponseRedirect(reverse("work:policy-issue", args=[pk]), status=303)
        return HttpResponseRedirect(reverse("work:policy-issues"), status=303)
