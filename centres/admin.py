from django.contrib import admin

from .models import Centre, CentreImport, ContactInterval, ContactPerson, ResearchField
from .scheduling import refresh_next_contact_due


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = [
        "name_zh",
        "name_en",
        "district",
        "centre_type",
        "status",
        "commissioner",
    ]
    list_filter = [
        "district",
        "centre_type",
        "status",
        "in_free_trade_zone",
        "in_lingang",
        "in_zhangjiang",
    ]
    search_fields = ["name_zh", "name_en", "parent_company"]
    autocomplete_fields = ["commissioner"]
    filter_horizontal = ["research_fields"]
    inlines = [ContactPersonInline]


@admin.register(ResearchField)
class ResearchFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(ContactInterval)
class ContactIntervalAdmin(admin.ModelAdmin):
    """Days between routine contacts for each guidance class (the contact sweep reads them)."""

    list_display = ["guidance_class", "days"]

    # Every centre's next contact due rests on these days: a change reschedules them at once.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_next_contact_due(Centre.objects.all())

    # Each class keeps its interval: the days are edited, never removed.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CentreImport)
class CentreImportAdmin(admin.ModelAdmin):
    """The record of each spreadsheet import: read only, written by the import alone."""

    list_display = ["file_name", "state", "row_count", "uploaded_by", "uploaded_at", "imported_at"]
    list_filter = ["state"]
    search_fields = ["file_name", "uploaded_by__username"]
    exclude = ["content"]
    readonly_fields = [
        "file_name",
        "sha256",
        "state",
        "row_count",
        "report",
        "uploaded_by",
        "imported_by",
        "imported_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
