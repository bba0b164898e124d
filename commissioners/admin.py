from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Bureau, District, User


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


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
