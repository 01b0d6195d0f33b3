"""Management of signatories; certificates themselves are read-only here.

Issuing and status changes go through the domain functions (the status page
links from the list), so nothing in the admin edits a certificate directly.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kotacerdas.certificates.models import (
    Certificate,
    CertificateStatusChange,
    NumberSequence,
    Signatory,
)


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name", "title_id", "title_en", "order", "active"]
    list_editable = ["order", "active"]


class StatusChangeInline(admin.TabularInline):
    model = CertificateStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_state", "to_state", "reason", "changed_by_label"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "holder_name", "region", "issued_at", "state"]
    list_filter = ["kind", "state", "year"]
    search_fields = ["number", "holder_name", "region__name"]
    list_select_related = ["region"]
    readonly_fields = [
        field.name for field in Certificate._meta.fields if field.name != "id"
    ] + ["status_page"]
    inlines = [StatusChangeInline]

    @admin.display(description=_("status page"))
    def status_page(self, certificate):
        url = reverse("certificates:status", args=[certificate.number])
        return format_html('<a href="{}">{}</a>', url, _("Suspend, reinstate, revoke"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["kind", "year", "last"]
    readonly_fields = ["kind", "year", "last"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
