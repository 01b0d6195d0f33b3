"""Read-only views of registrations in the management site.

Registrations change only through the domain functions (the product's own
pages call them), so the management site may look but never edit, add or
delete: an edit here would bypass the checks, the rounds and the audit trail.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kotacerdas.registrations.models import (
    CheckItem,
    IndicatorChange,
    Registration,
    SubmissionRound,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("registrations.list_registrations")

    def has_module_permission(self, request):
        return request.user.has_perm("registrations.list_registrations")


class SubmissionRoundInline(ReadOnlyMixin, admin.TabularInline):
    model = SubmissionRound
    fields = ["number", "submitted_at", "submitted_by", "outcome", "checked_by", "note"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


class IndicatorChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = IndicatorChange
    fields = ["kind", "indicator", "reason", "changed_by", "changed_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["region", "period", "state", "coordinator", "submitted_at"]
    list_filter = ["state", "period", "region__kind"]
    list_select_related = ["region", "coordinator"]
    search_fields = ["region__name", "region__code", "contact_name"]
    date_hierarchy = "created_at"
    inlines = [SubmissionRoundInline, IndicatorChangeInline]
    fieldsets = [
        (None, {"fields": ["region", "period", "state", "coordinator", "methodology"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_phone", "contact_email"]}),
        (
            _("Documents"),
            {"fields": ["application_letter", "team_decree", "implementation_plan"]},
        ),
        (
            _("Indicators and team"),
            {"fields": ["proposed_indicators", "agreed_indicators", "team"]},
        ),
        (
            _("Dates"),
            {"fields": ["created_at", "updated_at", "submitted_at", "decided_at"]},
        ),
    ]


class CheckItemInline(ReadOnlyMixin, admin.TabularInline):
    model = CheckItem
    fields = ["code", "passed", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(SubmissionRound)
class SubmissionRoundAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["registration", "number", "submitted_at", "outcome", "checked_at"]
    list_filter = ["outcome"]
    list_select_related = ["registration__region"]
    fields = [
        "registration",
        "number",
        "submitted_at",
        "submitted_by",
        "outcome",
        "checked_by",
        "checked_at",
        "note",
        "snapshot",
    ]
    readonly_fields = fields
    inlines = [CheckItemInline]
