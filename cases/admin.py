from django.contrib import admin
from django.db.models import Q

from cases.selectors import case_list_visible_to
from core.changes import hide_changes_from

from .models import (
    Appeal,
    Assignment,
    CalendarDay,
    CalendarYear,
    CallbackAttempt,
    Case,
    CaseEvent,
    DeadlineRule,
    Supervision,
)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = [
        "urgency",
        "triage_working_days",
        "accept_working_days",
        "contribute_working_days",
        "answer_working_days",
        "referral_working_days",
        "supervision_working_days",
    ]


def admin_visible_cases(user, cases):
    """The admin shows what the API would: a confidential case only to those the API shows it to
    (its logging commissioner, the city commissioners, its lead bureau), not to every staff user."""
    return cases.filter(Q(is_confidential=False) | Q(pk__in=case_list_visible_to(user=user).values("pk")))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "reason", "note", "changes"]
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = [
        "bureau",
        "is_lead",
        "status",
        "is_current",
        "accept_due_on",
        "accepted_at",
        "contribute_due_on",
        "return_ruling",
        "excluded_from_rates",
    ]
    readonly_fields = fields


class SupervisionInline(ReadOnlyInline):
    model = Supervision
    fields = ["reason", "bureau", "level", "due_on", "reply", "replied_at", "opened_at", "closed_at"]
    readonly_fields = fields


class AppealInline(ReadOnlyInline):
    model = Appeal
    fields = ["bureau", "reason", "status", "decided_by", "decided_at", "decision_note"]
    readonly_fields = fields


class CallbackAttemptInline(ReadOnlyInline):
    model = CallbackAttempt
    fields = ["attempted_at", "attempted_by", "answer_round", "reached", "note"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases are moved only through the API's services; the admin shows them and their history."""

    list_display = [
        "id",
        "title",
        "state",
        "district",
        "measure",
        "lead_bureau",
        "answer_due_on",
        "is_supervised",
    ]
    list_filter = [
        "state",
        "urgency",
        "is_confidential",
        "is_supervised",
        "return_pending",
        "excluded_from_rates",
        "district",
    ]
    search_fields = ["title"]
    inlines = [AssignmentInline, SupervisionInline, AppealInline, CallbackAttemptInline, CaseEventInline]

    def get_queryset(self, request):
        return admin_visible_cases(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Case._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    """The append-only history: readable, never editable or deletable."""

    list_display = ["created_at", "case", "action", "from_state", "to_state", "actor"]
    list_filter = ["action"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(case__in=admin_visible_cases(request.user, Case.objects.all()))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _confidential_case_changes(user) -> Q | None:
    """The change history hides a confidential case's changes, and those of its assignments,
    comments, documents and the rest, from a staff user the API would not show the case to."""
    hidden = list(
        Case.objects.filter(is_confidential=True)
        .exclude(pk__in=case_list_visible_to(user=user).values("pk"))
        .values_list("pk", flat=True)
    )
    if not hidden:
        return None
    # (has_key first: a row without the key must compare false, not NULL, or `exclude` drops it.)
    return Q(pgh_obj_model="cases.Case", pgh_obj_id__in=[str(pk) for pk in hidden]) | Q(
        pgh_data__has_key="case_id", pgh_data__case_id__in=hidden
    )


hide_changes_from(_confidential_case_changes)
