"""The district commissioners' field pages: my centres, a centre's page and story, recording a
contact (and the cases it raised), logging a case, my follow-ups.

Thin views: reads through `fieldwork.selectors`, writes through `fieldwork.services` (which call
the centres' and cases' own services), so a page meets the same rules as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from centres.api.filters import CentreFilter
from centres.models import Centre, FollowUp, GuidanceClass
from centres.selectors import IMPORTER_ROLES, ROLES_SEEING_CONTACT_WORK, contact_record_list_visible_to
from commissioners.models import Role
from commissioners.pages import RolePageMixin, render_part
from core.errors import error_messages
from core.time import local_today
from fieldwork import selectors, services
from policies.models import Measure
from policies.routing import RoutingError, measure_routing

from .forms import CaseLogForm, ContactForm, difficulty_forms

CENTRE_PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 25
FOLLOW_UP_PAGE_SIZE = 50
COMMISSIONERS = frozenset({Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER})

CONTACT_RECORDED = _("The contact was recorded.")
CONTACT_RECORDED_WITH_CASES = _("The contact was recorded and %(count)s case(s) logged from it.")
CASE_LOGGED = _("Case #%(number)s was logged and is waiting for the city's triage.")
DIFFICULTY_REFUSED = _("Difficulty %(row)s could not be logged as a case: %(reason)s")


def _form_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has one, else at the top."""
    for field, messages_ in (
        error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    ).items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


# --- My centres --------------------------------------------------------------------------------


class CentreListView(RolePageMixin, View):
    """The commissioner's centres, next contact due first, with what is open at each."""

    roles = ROLES_SEEING_CONTACT_WORK

    def get(self, request):
        user = request.user
        params = request.GET.copy()
        page_number = params.pop("page", [None])[-1]
        text = params.pop("q", [""])[-1].strip()[:100]
        overdue = params.pop("overdue", [""])[-1] == "1"
        mine = user.role == Role.DISTRICT_COMMISSIONER and params.pop("mine", ["1"])[-1] != "0"
        centres = selectors.centres_in_care(user=user, mine=mine)
        filterset = CentreFilter(params, queryset=centres, request=request)
        status, errors, rows, page = 200, {}, [], None
        if filterset.is_valid():
            found = filterset.qs
            if text:
                found = found.filter(
                    Q(name_zh__icontains=text)
                    | Q(name_en__icontains=text)
                    | Q(parent_company__icontains=text)
                )
            if overdue:
                found = found.filter(next_contact_due__lt=local_today())
            page = Paginator(found.values_list("pk", flat=True), CENTRE_PAGE_SIZE).get_page(page_number)
            centres_on_page = selectors.centres_by_id(user=user, ids=list(page))
            work = selectors.centre_work(user=user, centre_ids=[centre.pk for centre in centres_on_page])
            rows = [(centre, work[centre.pk]) for centre in centres_on_page]
        else:
            status = 400
            errors = {name: [str(e) for e in errs] for name, errs in filterset.errors.items()}
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page": page,
            "rows": rows,
            "errors": errors,
            "text": text,
            "overdue": overdue,
            "mine": mine,
            "guidance_classes": GuidanceClass.choices,
            "guidance_class": request.GET.get("guidance_class", ""),
            "query": query.urlencode(),
            "today": local_today(),
            "can_import": user.role in IMPORTER_ROLES,
        }
        return render_part(
            request, "fieldwork/centres.html", "fieldwork/_centre_rows.html", "centre-rows", context, status
        )


# --- A centre's page ---------------------------------------------------------------------------


def _visible_centre(request, pk: int) -> Centre:
    try:
        return selectors.centre_profile(user=request.user, pk=pk)
    except Centre.DoesNotExist:
        raise Http404 from None


def timeline_page(*, user, centre: Centre, number):
    return Paginator(selectors.centre_timeline(user=user, centre=centre), TIMELINE_PAGE_SIZE).get_page(number)


class CentrePageView(RolePageMixin, View):
    """The centre's profile (the registry, its class and why, the next contact) and its story."""

    def get(self, request, pk: int):
        user = request.user
        centre = _visible_centre(request, pk)
        page = timeline_page(user=user, centre=centre, number=request.GET.get("page"))
        context = {
            "centre": centre,
            "page": page,
            "entries": selectors.timeline_entries(page),
            "today": local_today(),
        }
        if request.htmx and request.htmx.target == "timeline":
            return render_part(
                request, "fieldwork/centre.html", "fieldwork/_timeline.html", "timeline", context
            )
        context.update(
            {
                "classification": selectors.latest_classification(user=user, centre=centre),
                "open_cases": list(selectors.open_cases_of(user=user, centre=centre)[:20]),
                "may_record_contact": user.role in COMMISSIONERS,
                "may_log_case": user.role == Role.DISTRICT_COMMISSIONER
                and centre.district_id == user.district_id,
            }
        )
        return render(request, "fieldwork/centre.html", context)


class RoutingPreviewView(RolePageMixin, View):
    """The bureaus a case of the chosen measure would go to, shown before it is logged."""

    def get(self, request, pk: int):
        centre = _visible_centre(request, pk)
        routed, problem = [], ""
        measure_id = request.GET.get("measure", "")
        if measure_id.isdigit() and len(measure_id) < 10:
            measure = Measure.objects.filter(pk=int(measure_id)).first()
            if measure is not None:
                try:
                    routed = measure_routing(
                        measure=measure, district_id=centre.district_id, areas=centre.special_areas
                    )
                except RoutingError as error:
                    problem = str(error)
                context = {"measure": measure, "routed": routed, "problem": problem}
                return render(request, "fieldwork/_routing.html", context)
        return render(request, "fieldwork/_routing.html", {"measure": None})


# --- Contacts ----------------------------------------------------------------------------------


class ContactNewView(RolePageMixin, View):
    """Record a contact: the day, the way, the people met, notes, and the difficulties raised,
    each of which can be logged as a case in the same submission."""

    roles = COMMISSIONERS

    def get(self, request, pk: int):
        centre = _visible_centre(request, pk)
        return self._show(request, centre, ContactForm(), difficulty_forms())

    def post(self, request, pk: int):
        centre = _visible_centre(request, pk)
        form, rows = ContactForm(request.POST), difficulty_forms(request.POST)
        if not (form.is_valid() and all(row.is_valid() for row in rows)):
            return self._show(request, centre, form, rows, status=400)
        difficulties = [
            services.Difficulty(
                title=row.cleaned_data.get("title") or "",
                description=row.cleaned_data.get("description") or "",
                measure=row.cleaned_data.get("measure"),
                urgency=row.cleaned_data.get("urgency") or "normal",
                log_as_case=bool(row.cleaned_data.get("log_as_case")),
            )
            for row in rows
        ]
        try:
            record, cases = services.contact_record_with_cases(
                actor=request.user, centre=centre, difficulties=difficulties, **form.cleaned_data
            )
        except services.DifficultyError as error:
            row = rows[error.index]
            _form_errors(row, error)
            form.add_error(
                None, DIFFICULTY_REFUSED % {"row": error.index + 1, "reason": " ".join(error_messages(error))}
            )
            return self._show(request, centre, form, rows, status=400)
        except ValidationError as error:
            _form_errors(form, error)
            return self._show(request, centre, form, rows, status=400)
        if cases:
            messages.success(request, CONTACT_RECORDED_WITH_CASES % {"count": len(cases)})
        else:
            messages.success(request, CONTACT_RECORDED)
        return HttpResponseRedirect(reverse("field:contact", args=[record.pk]))

    def _show(self, request, centre, form, rows, status: int = 200):
        context = {"centre": centre, "form": form, "rows": rows}
        return render(request, "fieldwork/contact_form.html", context, status=status)


class ContactPageView(RolePageMixin, View):
    """One contact and the cases it raised; from here a further difficulty can be logged."""

    roles = ROLES_SEEING_CONTACT_WORK

    def get(self, request, pk: int):
        record = get_object_or_404(
            contact_record_list_visible_to(user=request.user).select_related("centre", "recorded_by"), pk=pk
        )
        cases = selectors.cases_raised_by(user=request.user, record=record)
        context = {
            "record": record,
            "centre": record.centre,
            "cases": cases,
            "may_log_case": request.user.role == Role.DISTRICT_COMMISSIONER
            and record.centre.district_id == request.user.district_id,
        }
        return render(request, "fieldwork/contact.html", context)


# --- Logging a case ----------------------------------------------------------------------------


class CaseLogView(RolePageMixin, View):
    """Log a centre's difficulty as a case: the measure chosen by its plain-language title, the
    routing it will get shown before sending, documents attached."""

    roles = frozenset({Role.DISTRICT_COMMISSIONER})

    def get(self, request, pk: int):
        centre = _visible_centre(request, pk)
        contact = request.GET.get("contact", "")
        initial = {"contact_record": int(contact)} if contact.isdigit() and len(contact) < 10 else {}
        return self._show(request, centre, CaseLogForm(initial=initial))

    def post(self, request, pk: int):
        centre = _visible_centre(request, pk)
        form = CaseLogForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._show(request, centre, form, status=400)
        data = dict(form.cleaned_data)
        contact_id = data.pop("contact_record")
        contact = None
        if contact_id:
            contact = (
                contact_record_list_visible_to(user=request.user).filter(pk=contact_id, centre=centre).first()
            )
            if contact is None:
                form.add_error(None, _("The contact this case comes from is not one of this centre's."))
                return self._show(request, centre, form, status=400)
        try:
            case = services.case_log_with_documents(
                actor=request.user, centre=centre, contact_record=contact, **data
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self._show(request, centre, form, status=400)
        messages.success(request, CASE_LOGGED % {"number": case.pk})
        return HttpResponseRedirect(reverse("work:case", args=[case.pk]))

    def _show(self, request, centre, form, status: int = 200):
        return render(request, "fieldwork/case_form.html", {"centre": centre, "form": form}, status=status)


# --- Follow-ups --------------------------------------------------------------------------------


class FollowUpListView(RolePageMixin, View):
    """Contacts and call-backs due, the overdue first; each opens the form that settles it."""

    roles = ROLES_SEEING_CONTACT_WORK

    def get(self, request):
        user = request.user
        kind = request.GET.get("kind") or None
        if kind not in (None, *FollowUp.Kind.values):
            kind = None
        mine = user.role == Role.DISTRICT_COMMISSIONER and request.GET.get("mine", "1") != "0"
        page = Paginator(
            selectors.follow_ups_to_do(user=user, mine=mine, kind=kind), FOLLOW_UP_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "page": page,
            "kind": kind,
            "kinds": FollowUp.Kind.choices,
            "mine": mine,
            "today": local_today(),
            "query": query.urlencode(),
        }
        return render(request, "fieldwork/follow_ups.html", context)
