"""The registry's pages: upload a spreadsheet of centres, read the dry run's report, import it.

Thin views over `centres.imports`, which the API uses as well."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from centres import imports
from centres.selectors import centre_import_list_visible_to
from commissioners.pages import RolePageMixin

RECENT_IMPORTS = 20
IMPORTED = _(
    "%(create)s centre(s) registered and %(update)s updated; %(unchanged)s were already as in the file."
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
    """The upload form, the template to download and the recent imports."""

    roles = imports.IMPORTER_ROLES

    def get(self, request, form=None, status=200):
        context = {
            "form": form or ImportUploadForm(),
            "columns": imports.COLUMNS,
            "recent": centre_import_list_visible_to(user=request.user)[:RECENT_IMPORTS],
            "max_rows": imports.MAX_ROWS,
        }
        return render(request, "registry/import.html", context, status=status)

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        centre_import = imports.centre_import_upload(actor=request.user, upload=form.cleaned_data["file"])
        return HttpResponseRedirect(reverse("registry:import-report", args=[centre_import.pk]))


class ImportTemplateView(RolePageMixin, View):
    roles = imports.IMPORTER_ROLES

    def get(self, request, file_format):
        if file_format not in TEMPLATE_FORMATS:
            raise Http404
        content_type, build = TEMPLATE_FORMATS[file_format]
        response = HttpResponse(build(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="centres-import-template.{file_format}"'
        return response


class ImportReportView(RolePageMixin, View):
    """The dry run's report: every row's errors, or what the import will do."""

    roles = imports.IMPORTER_ROLES

    def get(self, request, pk):
        return _report_page(
            request, get_object_or_404(centre_import_list_visible_to(user=request.user), pk=pk)
        )


def _report_page(request, centre_import, status: int = 200):
    return render(request, "registry/report.html", {"centre_import": centre_import}, status=status)


class ImportApplyView(RolePageMixin, View):
    roles = imports.IMPORTER_ROLES

    def post(self, request, pk):
        centre_import = get_object_or_404(centre_import_list_visible_to(user=request.user), pk=pk)
        try:
            done = imports.centre_import_apply(actor=request.user, centre_import=centre_import)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            centre_import.refresh_from_db()  # the refusal rewrote its report
            return _report_page(request, centre_import, status=409)
        report = done.report
        messages.success(
            request,
            IMPORTED % {key: report.get(key, 0) for key in ("create", "update", "unchanged")},
        )
        return HttpResponseRedirect(reverse("registry:import-report", args=[done.pk]))
