from django.contrib import admin

from kotacerdas.common.models import AuditEvent, Notification, StoredFile


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail is read-only everywhere, the admin included."""

    list_display = [
        "created_at",
        "actor_label",
        "action",
        "object_label",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_label", "actor_label", "note"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at", "emailed_at"]
    list_filter = ["action"]
    search_fields = ["subject", "recipient__email"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at", "read_at", "emailed_at"]


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "region", "created_at"]
    list_select_related = ["region"]
    readonly_fields = [f.name for f in StoredFile._meta.fields]

    def has_add_permission(self, request):
        return False
