from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import mail
from .models import Bureau, District, NotificationPreference, OutgoingEmail, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "order"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "level", "district"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["district"]


class NotificationPreferenceInline(admin.TabularInline):
    """The kinds of notification the user has e-mailed other than at once (the default)."""

    model = NotificationPreference
    extra = 0
    fields = ["kind", "delivery"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [NotificationPreferenceInline]
    list_display = [
        "username",
        "get_full_name",
        "role",
        "district",
        "bureau",
        "is_active",
    ]
    list_filter = ["role", "district", "is_active", "is_staff"]
    autocomplete_fields = ["district", "bureau"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role"), {"fields": ["role", "district", "bureau", "language", "phone"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ["role", "district", "bureau", "language"]}),
    ]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: what went out, what waits and what was given up, with why; readable, not editable.
    "Send again" makes the chosen e-mails due now (after an address was corrected, say)."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        count = mail.retry(queryset)
        self.message_user(request, _("%(count)d e-mails will be sent again.") % {"count": count})
