"""The policy landing pages (`landing:`): briefings, campaigns, and what reached each centre.

Thin views over `landing.selectors` and `landing.services`, the API's own, so that a page meets the
same rules, scopes and history as the API; a service's refusal is shown on the form in its words.
Benefits are in `benefits.py`, the panels loaded into other apps' pages in `panels.py`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from cases.api.case_views import attachment_download
from centres.models import Centre, CentreStatus
from centres.selectors import centre_list_visible_to
from commissioners.models import District, Role
from commissioners.pages import RolePageMixin
from landing import selectors, services
from landing.api.views import BriefingFilter
from landing.models import Briefing, BriefingQuestion

from .common import form_refused, listed_query, page_number, with_tabs
from .forms import (
    BriefingForm,
    CampaignForm,
    MaterialForm,
    QuestionToCaseForm,
    active_measures,
    measure_select_choices,
)

BRIEFING_PAGE_SIZE = 50
CAMPAIGN_PAGE_SIZE = 10
# A user who may name at most this many active centres sees them all as checkboxes; one who may
# name more (the city, a bureau) finds them by name.
LISTED_CENTRES = 60
FOUND_CENTRES = 30
CAMPAIGN_READERS = frozenset(
    {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR}
)

BRIEFING_RECORDED = _("The briefing was recorded for %(count)s centre(s).")
MATERIAL_ADDED = _("The material was added.")
QUESTION_LOGGED = _("The question was logged as case #%(number)s.")
CAMPAIGN_SET = _("The campaign was set.")


# --- Choosing centres --------------------------------------------------------------------------


def _nameable(user):
    return selectors.centres_to_name(user=user).filter(status=CentreStatus.ACTIVE)


def centre_chooser(*, user, chosen_ids: list, text: str = "") -> dict:
    """What the centre chooser shows: every centre the user may name when they are few; else the
    chosen ones and those found by name."""
    nameable = _nameable(user).select_related("district").order_by("district__order", "name_zh", "pk")
    ids = [int(value) for value in chosen_ids if str(value).isdigit() and len(str(value)) < 10]
    listed = list(nameable[: LISTED_CENTRES + 1])
    if len(listed) <= LISTED_CENTRES:
        return {"centres": listed, "chosen": set(ids), "searchable": False, "text": ""}
    chosen = list(nameable.filter(pk__in=ids)) if ids else []
    found = found_centres(user=user, text=text, leaving_out=ids) if text else []
    return {"centres": chosen + found, "chosen": set(ids), "searchable": True, "text": text}


def found_centres(*, user, text: str, leaving_out=()) -> list[Centre]:
    text = text.replace("\x00", "").strip()[:100]  # PostgreSQL text holds no NUL
    if not text:
        return []
    return list(
        _nameable(user)
        .filter(Q(name_zh__icontains=text) | Q(name_en__icontains=text))
        .exclude(pk__in=list(leaving_out))
        .select_related("district")
        .order_by("name_zh", "pk")[:FOUND_CENTRES]
    )


class CentreChoicesView(RolePageMixin, View):
    """The centres found by name, as checkboxes (or radio buttons) to add to the form being filled."""

    roles = services.BRIEFING_WRITERS

    def get(self, request):
        kind = "radio" if request.GET.get("kind") == "radio" else "checkbox"
        name = "centre" if kind == "radio" else "centres"
        chosen = request.GET.getlist(name)
        leaving_out = [int(value) for value in chosen if value.isdigit() and len(value) < 10]
        centres = found_centres(user=request.user, text=request.GET.get("q", ""), leaving_out=leaving_out)
        context = {"centres": centres, "chosen": set(), "kind": kind, "name": name}
        return render(request, "landing/_centre_options.html", context)


# --- Briefings ---------------------------------------------------------------------------------


class BriefingListView(RolePageMixin, View):
    """The briefings the user may see, newest first; by measure, format and day."""

    def get(self, request):
        params = request.GET.copy()
        number = page_number(params)
        visible = selectors.briefing_list_visible_to(user=request.user)
        filterset = BriefingFilter(params, queryset=visible, request=request)
        status, page, errors = 200, None, {}
        if filterset.is_valid():
            found = (
                filterset.qs.select_related("given_by", "bureau", "district")
                .prefetch_related("measures")
                .annotate(centre_count=Count("centres", distinct=True))
                .order_by("-held_on", "-id")
            )
            page = Paginator(found, BRIEFING_PAGE_SIZE).get_page(number)
        else:
            status = 400
            errors = {name: [str(e) for e in errs] for name, errs in filterset.errors.items()}
        context = with_tabs(request, "briefings") | {
            "page": page,
            "errors": errors,
            "query": listed_query(request),
            "chosen": {
                name: request.GET.get(name, "") for name in ("measure", "format", "held_after", "held_before")
            },
            "measures": active_measures(),
            "formats": Briefing.Format.choices,
            "may_record": request.user.role in services.BRIEFING_WRITERS,
        }
        return render(request, "landing/briefings.html", context, status=status)


def _visible_briefing(request, pk: int) -> Briefing:
    return get_object_or_404(
        selectors.briefing_list_visible_to(user=request.user)
        .select_related("given_by", "bureau", "district")
        .prefetch_related(
            "measures",
            Prefetch("centres", queryset=Centre.objects.select_related("district").order_by("name_zh")),
            Prefetch(
                "questions",
                queryset=BriefingQuestion.objects.select_related("centre", "measure", "case"),
            ),
            "materials",
        ),
        pk=pk,
    )


def _say_refusal(request, form) -> None:
    """A refusal of a form the page no longer shows (a question logged meanwhile, a briefing not
    the user's to add to) is said at the top of the page."""
    for problems in form.errors.values():
        for message in problems:
            messages.error(request, message)


def _briefing_page(request, briefing: Briefing, *, question_forms=None, material_form=None, status=200):
    user = request.user
    centres = list(briefing.centres.all())
    seen = set(
        centre_list_visible_to(user=user).filter(pk__in=[c.pk for c in centres]).values_list("pk", flat=True)
    )
    measures = list(briefing.measures.all())
    question_forms = question_forms or {}
    measure_choices = None  # read once, for every question's form
    questions = []
    for question in briefing.questions.all():
        may_log = (
            question.case_id is None
            and user.role == Role.DISTRICT_COMMISSIONER
            and question.centre.district_id == user.district_id
        )
        form = question_forms.get(question.pk)
        if may_log and form is None:
            measure = question.measure or (measures[0] if measures else None)
            if measure_choices is None:
                measure_choices = measure_select_choices()
            form = QuestionToCaseForm(
                measure_choices=measure_choices,
                prefix=f"q{question.pk}",
                initial={"measure": measure.pk if measure else None, "title": question.question[:200]},
            )
        if form is not None and not may_log:
            _say_refusal(request, form)
        questions.append({"question": question, "form": form if may_log else None})
    may_add_material = services.briefing_may_change(actor=user, briefing=briefing)
    if material_form is not None and not may_add_material:
        _say_refusal(request, material_form)
    context = with_tabs(request, "briefings") | {
        "briefing": briefing,
        "measures": measures,
        "centres": [(centre, centre.pk in seen) for centre in centres],
        "questions": questions,
        "materials": list(briefing.materials.all()),
        "may_add_material": may_add_material,
        "material_form": material_form or MaterialForm(),
    }
    return render(request, "landing/briefing.html", context, status=status)


class BriefingPageView(RolePageMixin, View):
    """One briefing: its measures, the centres that attended, its materials and questions."""

    def get(self, request, pk: int):
        return _briefing_page(request, _visible_briefing(request, pk))


class BriefingNewView(RolePageMixin, View):
    """Record a briefing given to many centres at once, with the materials handed out."""

    roles = services.BRIEFING_WRITERS

    def get(self, request):
        centre = request.GET.get("centre", "")
        initial = {"centres": [centre]} if centre.isdigit() and len(centre) < 10 else {}
        return self._show(request, BriefingForm(user=request.user, initial=initial))

    def post(self, request):
        if "find" in request.POST:
            # Without a script, the name search sends the form: it comes back as filled in (files
            # apart: a browser cannot be given them back), with the centres found.
            posted = {name: request.POST.get(name, "") for name in ("held_on", "format", "title", "notes")}
            posted |= {name: request.POST.getlist(name) for name in ("measures", "centres")}
            form = BriefingForm(user=request.user, initial=posted)
            return self._show(request, form, text=request.POST.get("q", ""))
        form = BriefingForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._show(request, form, status=400)
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused material writes nothing at all
                briefing = services.briefing_record(
                    actor=request.user,
                    held_on=data["held_on"],
                    format=data["format"],
                    title=data["title"],
                    measures=list(data["measures"]),
                    centres=list(data["centres"]),
                    notes=data["notes"],
                )
                for upload in data["materials"]:
                    services.briefing_add_material(briefing=briefing, actor=request.user, upload=upload)
        except Exception as exc:
            status = form_refused(form, exc, renamed={"file": "materials"})
            return self._show(request, form, status=status)
        messages.success(request, BRIEFING_RECORDED % {"count": len(data["centres"])})
        return HttpResponseRedirect(reverse("landing:briefing", args=[briefing.pk]), status=303)

    def _show(self, request, form, *, text: str = "", status: int = 200):
        chosen = form["centres"].value() or []
        context = with_tabs(request, "briefings") | {
            "form": form,
            "chooser": centre_chooser(user=request.user, chosen_ids=chosen, text=text),
        }
        return render(request, "landing/briefing_form.html", context, status=status)


class MaterialAddView(RolePageMixin, View):
    roles = services.BRIEFING_WRITERS

    def post(self, request, pk: int):
        briefing = _visible_briefing(request, pk)
        form = MaterialForm(request.POST, request.FILES)
        if not form.is_valid():
            return _briefing_page(request, briefing, material_form=form, status=400)
        try:
            with transaction.atomic():
                for upload in form.cleaned_data["materials"]:
                    services.briefing_add_material(briefing=briefing, actor=request.user, upload=upload)
        except Exception as exc:
            status = form_refused(form, exc, renamed={"file": "materials"})
            return _briefing_page(request, briefing, material_form=form, status=status)
        messages.success(request, MATERIAL_ADDED)
        return HttpResponseRedirect(reverse("landing:briefing", args=[pk]), status=303)


class MaterialDownloadView(RolePageMixin, View):
    def get(self, request, pk: int, material_id: int):
        briefing = get_object_or_404(selectors.briefing_list_visible_to(user=request.user), pk=pk)
        return attachment_download(get_object_or_404(briefing.materials, pk=material_id))


class QuestionLogCaseView(RolePageMixin, View):
    """The centre's district commissioner logs a question raised at the briefing as a case."""

    roles = frozenset({Role.DISTRICT_COMMISSIONER})

    def post(self, request, pk: int, question_id: int):
        briefing = _visible_briefing(request, pk)
        question = get_object_or_404(briefing.questions.all(), pk=question_id)
        form = QuestionToCaseForm(request.POST, prefix=f"q{question.pk}")
        if form.is_valid():
            try:
                case = services.briefing_question_log_case(
                    question=question, actor=request.user, **form.cleaned_data
                )
            except Exception as exc:
                status = form_refused(form, exc)
            else:
                messages.success(request, QUESTION_LOGGED % {"number": case.pk})
                return HttpResponseRedirect(reverse("work:case", args=[case.pk]), status=303)
        else:
            status = 400
        return _briefing_page(request, briefing, question_forms={question.pk: form}, status=status)


# --- Campaigns ---------------------------------------------------------------------------------


def _district_names() -> dict[str, str]:
    return {district.code: district.name for district in District.objects.all()}


class CampaignListView(RolePageMixin, View):
    """The city's briefing campaigns, soonest due first, each with how far it has come."""

    roles = CAMPAIGN_READERS

    def get(self, request):
        page = Paginator(
            selectors.campaign_list_visible_to(user=request.user).order_by("due_on", "id"), CAMPAIGN_PAGE_SIZE
        ).get_page(page_number(request.GET.copy()))
        rows = [
            (campaign, selectors.campaign_progress(campaign=campaign, user=request.user)) for campaign in page
        ]
        context = with_tabs(request, "campaigns") | {
            "page": page,
            "rows": rows,
            "query": listed_query(request),
            "may_create": request.user.role == Role.CITY_COMMISSIONER,
        }
        return render(request, "landing/campaigns.html", context)


class CampaignPageView(RolePageMixin, View):
    """One campaign: the centres it aims at and those briefed, in all and per district."""

    roles = CAMPAIGN_READERS

    def get(self, request, pk: int):
        campaign = get_object_or_404(selectors.campaign_list_visible_to(user=request.user), pk=pk)
        progress = selectors.campaign_progress(campaign=campaign, user=request.user)
        names = _district_names()
        context = with_tabs(request, "campaigns") | {
            "campaign": campaign,
            "progress": progress,
            "districts": [
                row | {"name": names.get(row["code"], row["code"])} for row in progress.by_district
            ],
        }
        return render(request, "landing/campaign.html", context)


class CampaignNewView(RolePageMixin, View):
    roles = frozenset({Role.CITY_COMMISSIONER})

    def get(self, request):
        return self._show(request, CampaignForm())

    def post(self, request):
        form = CampaignForm(request.POST)
        if not form.is_valid():
            return self._show(request, form, status=400)
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except Exception as exc:
            return self._show(request, form, status=form_refused(form, exc))
        messages.success(request, CAMPAIGN_SET)
        return HttpResponseRedirect(reverse("landing:campaign", args=[campaign.pk]), status=303)

    def _show(self, request, form, status: int = 200):
        context = with_tabs(request, "campaigns") | {"form": form}
        return render(request, "landing/campaign_form.html", context, status=status)
