from django.contrib import admin

from .models import AssessmentCycle, Centre, ClassThreshold, ContactPerson, ResearchField, ScoringWeight


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


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(admin.ModelAdmin):
    """Administrators define cycles here; the daily beat job opens each on its day."""

    list_display = ["name", "period_start", "period_end", "opens_on", "due_on", "opened_at", "closed_at"]
    readonly_fields = ["opened_at"]


@admin.register(ScoringWeight)
class ScoringWeightAdmin(admin.ModelAdmin):
    list_display = ["indicator", "weight", "full_marks_at"]


@admin.register(ClassThreshold)
class ClassThresholdAdmin(admin.ModelAdmin):
    list_display = ["guidance_class", "min_score"]
