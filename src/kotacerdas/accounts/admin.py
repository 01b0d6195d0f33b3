from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import User, UserRole


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "region"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0
    readonly_fields = ["granted_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "region", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "roles__role", "preferred_language"]
    search_fields = ["email", "full_name", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [UserRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["full_name", "phone", "region", "agency", "position"]},
        ),
        (_("Preferences"), {"fields": ["preferred_language"]}),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "region", "password1", "password2"],
            },
        )
    ]
