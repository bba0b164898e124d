from django.contrib import admin

from .models import Benefit, BenefitImport, Briefing, BriefingCampaign, BriefingQuestion


class BriefingQuestionInline(admin.TabularInline):
    model = BriefingQuestion
    extra = 0
    fields = ["centre", "measure", "question", "case"]
    raw_id_fields = ["centre", "case"]


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "format", "bureau", "district", "given_by"]
    list_filter = ["format", "bureau", "district"]
    date_hierarchy = "held_on"
    search_fields = ["title"]
    filter_horizontal = ["measures"]
    raw_id_fields = ["centres", "given_by"]
    inlines = [BriefingQuestionInline]


@admin.register(BriefingCampaign)
class BriefingCampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "measure", "centre_type", "starts_on", "due_on"]
    raw_id_fields = ["created_by"]


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ["centre", "measure", "title", "status", "decided_on", "amount", "granting_bureau"]
    list_filter = ["status", "granting_bureau", "measure"]
    search_fields = ["title", "centre__name_zh", "centre__name_en"]
    raw_id_fields = ["centre", "entered_by"]


@admin.register(BenefitImport)
class BenefitImportAdmin(admin.ModelAdmin):
    """The record of each spreadsheet of benefits: read only, written by the import alone."""

    list_display = ["file_name", "state", "row_count", "bureau", "uploaded_by", "uploaded_at", "imported_at"]
    list_filter = ["state", "bureau"]
    search_fields = ["file_name", "uploaded_by__username"]
    exclude = ["content"]
    readonly_fields = [
        "file_name",
        "sha256",
        "state",
        "row_count",
        "report",
        "bureau",
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
