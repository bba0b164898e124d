from django.contrib import admin

from .models import AssessmentCycle, ClassThreshold, ScoringWeight


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
