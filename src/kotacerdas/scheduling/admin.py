"""The Django admin for scheduling: settings and conflict declarations are edited
here; windows, events and teams are shown read-only, because they change only
through the schedule page (which audits and notifies)."""

from django.contrib import admin, messages

from kotacerdas.common.workflow import WorkflowError
from kotacerdas.scheduling import services
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    CalendarFeedToken,
    ConflictDeclaration,
    DataEntryWindow,
    SchedulingSettings,
    SentReminder,
    TeamAssignment,
    WindowExtension,
)


@admin.register(SchedulingSettings)
class SchedulingSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "open_load_limit", "reminder_days", "admin_waiting_days"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not (
            SchedulingSettings.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    """Admins record a conflict an assessor reported another way (e-mail, a
    letter); it goes through the same domain function as the assessor's page."""

    list_display = ["assessor", "region", "declared_at", "recorded_by"]
    list_select_related = ["assessor", "region", "recorded_by"]
    search_fields = ["assessor__full_name", "assessor__email", "region__name"]
    autocomplete_fields = ["region"]
    fields = ["assessor", "region", "reason", "declared_at", "recorded_by"]
    readonly_fields = ["declared_at", "recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["assessor", "region", "declared_at", "recorded_by"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            declared = services.declare_conflict(
                actor=request.user,
                assessor=obj.assessor,
                region=obj.region,
                reason=obj.reason,
            )
        except WorkflowError as error:
            # The form checked everything the domain function checks, so only a
            # declaration saved a moment ago by someone else ends here.
            messages.error(request, error.message)
            declared = ConflictDeclaration.objects.get(
                assessor=obj.assessor, region=obj.region
            )
        obj.pk = declared.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WindowExtensionInline(admin.TabularInline):
    model = WindowExtension
    extra = 0
    can_delete = False
    readonly_fields = ["old_closes_at", "new_closes_at", "reason", "by", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DataEntryWindow)
class DataEntryWindowAdmin(ReadOnlyAdmin):
    list_display = ["registration", "stage", "opens_at", "closes_at"]
    list_filter = ["stage"]
    list_select_related = ["registration__region"]
    inlines = [WindowExtensionInline]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(ReadOnlyAdmin):
    list_display = ["registration", "stage", "kind", "starts_at", "cancelled_at"]
    list_filter = ["stage", "kind"]
    list_select_related = ["registration__region"]
    date_hierarchy = "starts_at"


@admin.register(TeamAssignment)
class TeamAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["assessor", "registration", "stage", "is_lead", "assigned_at"]
    list_filter = ["stage", "is_lead"]
    list_select_related = ["assessor", "registration__region"]
    search_fields = ["assessor__full_name", "registration__region__name"]


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    list_display = ["key", "sent_at", "recipients"]
    search_fields = ["key"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(ReadOnlyAdmin):
    """Shows who has a feed and when it was revoked, never the token itself."""

    list_display = ["user", "created_at", "revoked_at"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "revoked_at"]
