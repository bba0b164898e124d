from django.contrib import admin

from .models import Measure, ResponsibleUnit


class ResponsibleUnitInline(admin.TabularInline):
    model = ResponsibleUnit
    extra = 0
    autocomplete_fields = ["bureau"]
    fields = ["order", "bureau", "is_centre_district_government", "is_lead", "only_for_area"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "title_zh", "title_en", "is_active"]
    list_filter = ["programme", "is_active"]
    search_fields = ["title_zh", "title_en"]
    inlines = [ResponsibleUnitInline]
