"""Programmes and sessions are set up here; the records are read-only.

State changes (verifying, referrals, enrolment) go through the pages of the
training app, which call the domain functions; nothing here assigns a state.
"""

from django import forms
from django.contrib import admin

from kotacerdas.accounts.models import Role, User
from kotacerdas.training.models import (
    Enrolment,
    Programme,
    ReadinessTrainingRecord,
    Referral,
    Session,
)
from kotacerdas.training.services import fill_free_places


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name_id",
        "name_en",
        "completion_rule",
        "min_share_percent",
        "active",
    ]
    list_filter = ["active", "completion_rule"]


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "programme",
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "online_url",
            "capacity",
            "instructors",
            "enrolment_open",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructors"].queryset = (
            User.objects.filter(roles__role=Role.INSTRUCTOR, is_active=True)
            .distinct()
            .order_by("full_name")
        )


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = SessionForm
    list_display = [
        "title",
        "programme",
        "starts_on",
        "ends_on",
        "capacity",
        "enrolment_open",
    ]
    list_filter = ["programme", "enrolment_open"]
    list_select_related = ["programme"]
    filter_horizontal = ["instructors"]
    date_hierarchy = "starts_on"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A raised capacity frees places: the waiting list moves up at once.
        if change and "capacity" in form.changed_data:
            fill_free_places(form.instance, actor=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReadinessTrainingRecord)
class ReadinessTrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["user", "provider", "completed_on", "certificate_number", "state"]
    list_filter = ["state"]
    search_fields = ["user__full_name", "user__email", "certificate_number"]
    list_select_related = ["user"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["user", "requested_by", "created_at", "state"]
    list_filter = ["state"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user", "requested_by"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "session", "state", "waitlist_position", "created_at"]
    list_filter = ["state", "session__programme"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user", "session__programme"]
