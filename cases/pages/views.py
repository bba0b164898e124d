"""The workbench: the city's triage, the bureaus' inbox, the case search and the case page.

Thin views over the same selectors and services as the API: a move sent from a page is
validated by the move's API serializer and made by its service (`cases.api.moves`), so it
obeys the same rules, writes the same history, sends the same notifications and meets the
same 409 when someone else moved the case first; the page then shows that message over the
case as it is now.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from cases import rules, selectors, services
from cases.api.case_serializers import AttachmentUploadSerializer
from cases.api.case_views import attachment_download
from cases.api.filters import CaseFilter
from cases.deadlines import countdowns
from cases.models import Case
from cases.services import saved_views
from commissioners.models import Role
from commissioners.pages import RolePageMixin, render_part
from core.errors import error_messages, field_errors, known_error
from core.time import local_today

from . import display
from .forms import PAGE_ENDPOINT_OF, move_form

INBOX_PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 50
CITY_SECTION_ROWS = 50

MOVE_DONE = _("Done: %(move)s.")
MOVED_OUT_OF_SIGHT = _("Done: %(move)s. The case is no longer in your bureau's sight.")
COMMENT_ADDED = _("Your comment was added.")
ATTACHMENT_ADDED = _("The document %(name)s was attached.")
VIEW_SAVED = _("The view “%(name)s” was saved.")
VIEW_DELETED = _("The view “%(name)s” was deleted.")


# --- The bureau's inbox --------------------------------------------------------------------------


class InboxPageView(RolePageMixin, View):
    """What my bureau must do, soonest due first, with the count of each kind of work."""

    roles = frozenset({Role.BUREAU_STAFF})

    def get(self, request):
        action = request.GET.get("action") or None
        if action not in (None, *selectors.INBOX_ACTIONS):
            action = None
        today = local_today()
        counts = selectors.bureau_inbox_counts(user=request.user, today=today)
        # The tab's count is the list's length: no second count over the same rows.
        rows = display.Counted(
            selectors.bureau_inbox(user=request.user, action=action), counts[action or "all"]
        )
        page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
        items = selectors.inbox_items(rows=list(page))
        clocks = countdowns(dates=[item.due_on for item in items], today=today)
        context = {
            "page": page,
            "rows": [display.InboxRow(item=item, countdown=clocks.get(item.due_on)) for item in items],
            "counts": counts,
            "tabs": display.inbox_tabs(counts=counts, current=action),
            "action": action,
            "query": urlencode({"action": action}) if action else "",
        }
        return render_part(request, "work/inbox.html", "work/_inbox_list.html", "inbox-list", context)


# --- The city's triage and oversight -------------------------------------------------------------


class CityPageView(RolePageMixin, View):
    """The city commissioner's day: cases to dispatch, returns and requests to rule on, supervisions
    and referrals to chase; each list oldest or soonest due first, each with its clock."""

    roles = frozenset({Role.CITY_COMMISSIONER})

    def get(self, request):
        user = request.user
        queues = selectors.city_queues(user=user)
        heads = {q.key: _head(queues[q.key].values_list("pk", flat=True)) for q in display.CITY_QUEUES}
        cases = {key: selectors.case_list_page(ids=ids, user=user) for key, (ids, _count) in heads.items()}
        supervisions, supervision_count = _head(selectors.open_supervisions())
        dates = [q.due_of(case) for q in display.CITY_QUEUES for case in cases[q.key]]
        clocks = countdowns(dates=dates + [s.due_on for s in supervisions], today=local_today())
        sections = [
            display.CaseSection(
                queue=q,
                count=heads[q.key][1],
                rows=[
                    display.CaseRow(case=case, countdown=clocks.get(q.due_of(case))) for case in cases[q.key]
                ],
            )
            for q in display.CITY_QUEUES
        ]
        return render(
            request,
            "work/city.html",
            {
                "sections": sections,
                "supervisions": [display.SupervisionRow(s, clocks.get(s.due_on)) for s in supervisions],
                "supervision_count": supervision_count,
            },
        )


def _head(rows: QuerySet, limit: int = CITY_SECTION_ROWS) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all (counted only when there are more)."""
    first = list(rows[:limit])
    return first, len(first) if len(first) < limit else rows.count()


# --- The search over all cases, and its saved views ----------------------------------------------


class CaseSearchView(RolePageMixin, View):
    """Every case the user may see, filtered as the API's list is (`?state=…&district=…`)."""

    def get(self, request):
        user = request.user
        params = request.GET.copy()
        page_number = params.pop("page", [None])[-1]
        text = params.pop("q", [""])[-1].strip()
        visible = selectors.case_list_visible_to(user=user)
        filterset = CaseFilter(params, queryset=visible, request=request)
        status = 200
        if filterset.is_valid():
            found = filterset.qs
            if text:
                found = display.text_search(found, text)
            page = Paginator(
                found.order_by("-created_at", "-id").values_list("pk", flat=True), SEARCH_PAGE_SIZE
            ).get_page(page_number)
            cases = selectors.case_list_page(ids=list(page), user=user)
            errors = {}
        else:
            page, cases, status = None, [], 400
            errors = {name: [str(e) for e in errs] for name, errs in filterset.errors.items()}
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page": page,
            "rows": [display.CaseRow(case=case, countdown=None) for case in cases],
            "errors": errors,
            "filters": display.search_filters(request.GET, user=user),
            "text": text,
            "query": query.urlencode(),
            "saved_views": selectors.saved_views_of(user=user),
        }
        return render_part(
            request, "work/cases.html", "work/_case_results.html", "case-results", context, status
        )


class SavedViewSaveView(LoginRequiredMixin, View):
    """Names the current search; the same name again replaces its filters."""

    def post(self, request):
        query = request.POST.get("query", "")
        try:
            view = saved_views.saved_view_save(
                owner=request.user, name=request.POST.get("name", ""), query=query
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, VIEW_SAVED % {"name": view.name})
        return HttpResponseRedirect(f"{reverse('work:cases')}?{saved_views.saved_view_query(query)}")


class SavedViewDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        view = saved_views.saved_view_delete(owner=request.user, view_id=pk)
        if view is None:
            raise Http404
        messages.success(request, VIEW_DELETED % {"name": view.name})
        return HttpResponseRedirect(reverse("work:cases"))


# --- The case page -------------------------------------------------------------------------------


def _visible_case_or_none(user, pk: int) -> Case | None:
    """The case with all its page shows; None when it is outside the user's sight."""
    return selectors.for_detail(selectors.case_list_visible_to(user=user).filter(pk=pk), user=user).first()


def _visible_case(user, pk: int) -> Case:
    case = _visible_case_or_none(user, pk)
    if case is None:
        raise Http404
    return case


def _case_page(request, case: Case, *, failed=None, status: int = 200):
    """The case page; `failed` is the form a refused move is shown again in, with what was wrong."""
    user = request.user
    forms = []
    for move in rules.allowed_moves(case, user):
        forms.append(
            failed if failed is not None and failed.move == move else move_form(case=case, move=move)
        )
    if failed is not None and failed.move not in {form.move for form in forms}:
        # The move is no longer open (someone else moved the case): its message goes above the case.
        messages.error(request, " ".join(failed.errors) or str(rules.MOVES[failed.move].label))
    context = display.case_context(case=case, user=user, today=local_today()) | {"forms": forms}
    return render(request, "work/case.html", context, status=status)


class CasePageView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        return _case_page(request, _visible_case(request.user, pk))


def _after_write(request, pk: int, message: str, gone_message: str | None = None) -> HttpResponseRedirect:
    """Back to the case; to the start page when the write took the case out of the user's sight
    (a bureau that returned it, say)."""
    if selectors.case_list_visible_to(user=request.user).filter(pk=pk).exists():
        messages.success(request, message)
        return HttpResponseRedirect(reverse("work:case", args=[pk]), status=303)
    messages.success(request, gone_message or message)
    if request.htmx:
        # A new page, not a part of this one: the case's address would now be a 404.
        return HttpResponseClientRedirect(reverse("start"))
    return HttpResponseRedirect(reverse("start"), status=303)


class CaseMoveView(LoginRequiredMixin, View):
    """One move, sent from its form on the case page."""

    def post(self, request, pk: int, move: str):
        endpoint = PAGE_ENDPOINT_OF.get(move)
        case = _visible_case(request.user, pk)
        if endpoint is None:
            raise Http404
        try:
            data = {}
            if endpoint.input is not None:
                serializer = endpoint.input(data=request.POST)
                serializer.is_valid(raise_exception=True)
                data = dict(serializer.validated_data)
            if move == "edit":
                data["expected_version"] = request.POST.get("version") or None
            endpoint.service(case=case, actor=request.user, **data)
        except Exception as exc:
            error = known_error(exc)
            if error is None:
                raise
            detail = field_errors(error)
            failed = move_form(case=case, move=move, posted=request.POST, errors=detail)
            return _case_page(
                request,
                _visible_case_or_none(request.user, pk) or case,
                failed=failed,
                status=error.status_code,
            )
        label = rules.MOVES[move].label
        return _after_write(request, pk, MOVE_DONE % {"move": label}, MOVED_OUT_OF_SIGHT % {"move": label})


def _note(request, pk: int, write: Callable[[Case], str]):
    """A comment or a document on the case: `write` adds it and says so; a refusal shows the case
    again with the service's words."""
    case = _visible_case(request.user, pk)
    try:
        done = write(case)
    except Exception as exc:
        error = known_error(exc)
        if error is None:
            raise
        messages.error(request, " ".join(error_messages(error.detail)))
        return _case_page(request, case, status=error.status_code)
    return _after_write(request, pk, done)


class CaseCommentView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        def write(case: Case) -> str:
            services.case_add_comment(case=case, author=request.user, body=request.POST.get("body", ""))
            return str(COMMENT_ADDED)

        return _note(request, pk, write)


class CaseAttachmentView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        def write(case: Case) -> str:
            serializer = AttachmentUploadSerializer(data=request.FILES)
            serializer.is_valid(raise_exception=True)
            upload = serializer.validated_data["file"]
            services.case_add_attachment(case=case, uploaded_by=request.user, upload=upload)
            return ATTACHMENT_ADDED % {"name": upload.name}

        return _note(request, pk, write)


class CaseAttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int, attachment_id: int):
        case = get_object_or_404(selectors.case_list_visible_to(user=request.user), pk=pk)
        return attachment_download(get_object_or_404(case.attachments, pk=attachment_id))
