"""The administrators' browser of the change history: every tracked table's changes, filtered by
table, object (`?obj=app.Model:pk`, the "Events" link on each row's page), user and date."""

from django.contrib import admin
from pghistory.admin import EventsAdmin

from core.changes import hidden_changes
from core.models import SweepRun


class ChangeHistoryAdmin(EventsAdmin):
    date_hierarchy = None
    list_per_page = 50

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "user", ("pgh_created_at", admin.DateFieldListFilter)]

    def changelist_view(self, request, extra_context=None):
        """As pghistory's, except that the object filtered on is named by its table and id, not by
        reading the row: the row may be deleted (its history remains), or one this user may not
        see, whose title the page must not show."""
        extra_context = {"title": self.model._meta.verbose_name_plural}
        for parameter in ("obj", "model"):
            if request.GET.get(parameter):
                extra_context["subtitle"] = request.GET[parameter]
        if "back" in request.GET:
            extra_context["pgh_back"] = request.GET["back"]
        return admin.ModelAdmin.changelist_view(self, request, extra_context=extra_context)

    def get_queryset(self, request):
        changes = super().get_queryset(request)
        hidden = hidden_changes(request.user)
        return changes if hidden is None else changes.exclude(hidden)


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    """Read only: written by the jobs themselves (core.sweeps)."""

    list_display = ["task", "last_succeeded_at", "last_failed_at", "last_error", "last_duration_seconds"]
    readonly_fields = [field.name for field in SweepRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
