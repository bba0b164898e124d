"""The published rankings in the admin: to read, never to add, change or remove (they are frozen)."""

from django.contrib import admin

from .models import PublishedRanking, PublishedRankingCases


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedRanking)
class PublishedRankingAdmin(_ReadOnly):
    list_display = ["month", "unit_kind", "rank_by", "published_at", "published_by"]
    list_filter = ["unit_kind", "rank_by"]
    date_hierarchy = "month"
    list_select_related = ["published_by"]


@admin.register(PublishedRankingCases)
class PublishedRankingCasesAdmin(_ReadOnly):
    list_display = ["ranking", "unit_id"]
    list_filter = ["ranking__unit_kind"]
    list_select_related = ["ranking"]
