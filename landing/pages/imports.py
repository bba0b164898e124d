"""The benefits import's pages: upload a bureau's spreadsheet, read the dry run's report, import it.

Thin views over `landing.imports`, which the API uses as well; htmx swaps the page's main part."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from commissioners.pages import RolePageMixin
from landing import imports
from landing.selectors import BENEFIT_IMPORTER_ROLES, benefit_import_list_visible_to

RECENT_IMPORTS = 20
IMPORTED = _(
    "%(create)s benefit(s) recorded and %(update)s updated; %(unchanged)s were already as in the file."
)
TEMPLATE_FORMATS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        imports.import_template_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", imports.import_template_csv),
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "data-testid": "import-file"}),
    )


class ImportView(RolePageMixin, View):
    """The upload form, the template to download and the recent imports the user may see."""

    roles = BENEFIT_IMPORTER_ROLES

    def get(self, request, form=None, status=200):
        context = {
            "form": form or ImportUploadForm(),
            "columns": imports.COLUMNS,
            "recent": benefit_import_list_visible_to(user=request.user)[:RECENT_IMPORTS],
            "max_rows": imports.MAX_ROWS,
        }
        return render(request, "landing/imports/import.html", context, status=status)

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        benefit_import = imports.benefit_import_upload(actor=request.user, upload=form.cleaned_data["file"])
        return HttpResponseRedirect(reverse("benefit_import:report", args=[benefit_import.pk]))


class ImportTemplateView(RolePageMixin, View):
    roles = BENEFIT_IMPORTER_ROLES

    def get(self, request, file_format):
        if file_format not in TEMPLATE_FORMATS:
            raise Http404
        content_type, build = TEMPLATE_FORMATS[file_format]
        response = HttpResponse(build(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="benefits-import-template.{file_format}"'
        return response


def _report_page(request, benefit_import, status: int = 200):
    return render(request, "landing/imports/report.html", {"benefit_import": benefit_import}, status=status)


class ImportReportView(RolePageMixin, View):
    """The dry run's report: every row's errors, or what the import will do."""

    roles = BENEFIT_IMPORTER_ROLES

    def get(self, request, pk):
        return _report_page(
            request, get_object_or_404(benefit_import_list_visible_to(user=request.user), pk=pk)
        )


class ImportApplyView(RolePageMixin, View):
    roles = BENEFIT_IMPORTER_ROLES

    def post(self, request, pk):
        benefit_import = get_object_or_404(benefit_import_list_visible_to(user=request.user), pk=pk)
        try:
            done = imports.benefit_import_apply(actor=request.user, benefit_import=benefit_import)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            benefit_import.refresh_from_db()  # the refusal rewrote its report
            return _report_page(request, benefit_import, status=409)
        report = done.report
        messages.success(
            request, IMPORTED % {key: report.get(key, 0) for key in ("create", "update", "unchanged")}
        )
        return HttpResponseRedirect(reverse("benefit_import:report", args=[done.pk]))
