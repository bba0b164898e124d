"""The benefits pages (`landing:benefits…`): what centres applied for and received under a measure.

The update is made on the version the form was read at, as the API's `If-Match`: when the benefit
was changed meanwhile, nothing is written and the form comes back as it was sent, with the message,
the benefit as it is now and that version, so the user decides with both in sight."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from commissioners.pages import RolePageMixin
from core.versioning import PreconditionFailed, version_of
from landing import selectors, services
from landing.api.views import BenefitFilter
from landing.models import Benefit, BenefitStatus

from .common import form_refused, listed_query, page_number, with_tabs
from .forms import BenefitForm, active_measures
from .views import centre_chooser

BENEFIT_PAGE_SIZE = 50
FIELDS = ("title", "status", "applied_on", "decided_on", "amount", "quantity", "granting_bureau", "note")

BENEFIT_RECORDED = _("The benefit was recorded.")
BENEFIT_SAVED = _("The benefit was saved.")
BENEFIT_UNCHANGED = _("Nothing was changed.")
SAVED_MEANWHILE = _(
    "Someone saved this benefit after you opened it: nothing of yours was written. Your entries are "
    "below, beside the benefit as it is now; send them again to put them in its place."
)


class BenefitListView(RolePageMixin, View):
    """The benefits the user may see, newest first; by status, measure and centre."""

    def get(self, request):
        params = request.GET.copy()
        number = page_number(params)
        visible = selectors.benefit_list_visible_to(user=request.user)
        filterset = BenefitFilter(params, queryset=visible, request=request)
        status, page, errors = 200, None, {}
        if filterset.is_valid():
            found = filterset.qs.select_related("centre", "measure", "granting_bureau").order_by(
                "-created_at", "-id"
            )
            page = Paginator(found, BENEFIT_PAGE_SIZE).get_page(number)
        else:
            status = 400
            errors = {name: [str(e) for e in errs] for name, errs in filterset.errors.items()}
        centre = request.GET.get("centre", "")
        context = with_tabs(request, "benefits") | {
            "page": page,
            "errors": errors,
            "query": listed_query(request),
            "chosen": {name: request.GET.get(name, "") for name in ("status", "measure", "centre")},
            "statuses": BenefitStatus.choices,
            "measures": active_measures(),
            "centre": (
                selectors.centres_to_name(user=request.user).filter(pk=int(centre)).first()
                if centre.isdigit() and len(centre) < 10
                else None
            ),
            "may_record": request.user.role in services.BENEFIT_WRITERS,
            "may_import": request.user.role in selectors.BENEFIT_IMPORTER_ROLES,
        }
        return render(request, "landing/benefits.html", context, status=status)


class BenefitNewView(RolePageMixin, View):
    roles = services.BENEFIT_WRITERS

    def get(self, request):
        centre = request.GET.get("centre", "")
        initial = {"centre": centre} if centre.isdigit() and len(centre) < 10 else {}
        return self._show(request, BenefitForm(user=request.user, initial=initial))

    def post(self, request):
        if "find" in request.POST:
            # Without a script, the name search sends the form: it comes back as filled in, with
            # the centres found.
            posted = {name: request.POST.get(name, "") for name in request.POST if name not in ("find", "q")}
            form = BenefitForm(user=request.user, initial=posted)
            return self._show(request, form, text=request.POST.get("q", ""))
        form = BenefitForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._show(request, form, status=400)
        try:
            benefit = services.benefit_record(actor=request.user, **form.cleaned_data)
        except Exception as exc:
            return self._show(request, form, status=form_refused(form, exc))
        messages.success(request, BENEFIT_RECORDED)
        return HttpResponseRedirect(reverse("landing:benefit", args=[benefit.pk]), status=303)

    def _show(self, request, form, *, text: str = "", status: int = 200):
        chosen = form["centre"].value()
        context = with_tabs(request, "benefits") | {
            "form": form,
            "chooser": centre_chooser(user=request.user, chosen_ids=[chosen] if chosen else [], text=text),
        }
        return render(request, "landing/benefit_form.html", context, status=status)


def _visible_benefit(request, pk: int) -> Benefit:
    return get_object_or_404(
        selectors.benefit_list_visible_to(user=request.user).select_related(
            "centre", "measure", "granting_bureau", "entered_by"
        ),
        pk=pk,
    )


def _initial(benefit: Benefit) -> dict:
    return {name: getattr(benefit, name) for name in FIELDS} | {
        "granting_bureau": benefit.granting_bureau_id,
        "version": version_of(benefit),
    }


class BenefitPageView(RolePageMixin, View):
    """One benefit; for those who enter benefits, the form that moves it on or corrects it."""

    def get(self, request, pk: int):
        benefit = _visible_benefit(request, pk)
        form = None
        if request.user.role in services.BENEFIT_WRITERS:
            form = BenefitForm(user=request.user, benefit=benefit, initial=_initial(benefit))
        return self._show(request, benefit, form)

    def post(self, request, pk: int):
        if request.user.role not in services.BENEFIT_WRITERS:
            return render(
                request,
                "layout/forbidden.html",
                {"reason": services.NOT_ALLOWED_TO_ENTER_BENEFITS},
                status=403,
            )
        benefit = _visible_benefit(request, pk)
        form = BenefitForm(request.POST, user=request.user, benefit=benefit)
        if not form.is_valid():
            return self._show(request, benefit, form, status=400)
        data = dict(form.cleaned_data)
        reason, version = data.pop("reason"), data.pop("version") or None
        before = version_of(benefit)
        try:
            saved = services.benefit_update(
                benefit=benefit, actor=request.user, reason=reason, expected_version=version, **data
            )
        except PreconditionFailed:
            return self._stale(request, pk)
        except Exception as exc:
            return self._show(request, benefit, form, status=form_refused(form, exc))
        saved.refresh_from_db()
        messages.success(request, BENEFIT_SAVED if version_of(saved) != before else BENEFIT_UNCHANGED)
        return HttpResponseRedirect(reverse("landing:benefit", args=[pk]), status=303)

    def _stale(self, request, pk: int):
        """Nothing written: the form as sent, on the version saved meanwhile, beside that version."""
        current = _visible_benefit(request, pk)
        posted = request.POST.copy()
        posted["version"] = version_of(current)
        form = BenefitForm(posted, user=request.user, benefit=current)
        form.is_valid()
        messages.error(request, SAVED_MEANWHILE)
        return self._show(request, current, form, status=412, stale=True)

    def _show(self, request, benefit, form, *, status: int = 200, stale: bool = False):
        context = with_tabs(request, "benefits") | {
            "benefit": benefit,
            "form": form,
            "stale": stale,
        }
        return render(request, "landing/benefit.html", context, status=status)
