import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kotacerdas.indicators.models import Dimension, Indicator, Methodology, Theme
from kotacerdas.indicators.services import check_methodology, load_methodology


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "order"]
    list_editable = ["order"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["number", "name_id", "name_en", "dimension"]
    list_filter = ["dimension"]
    list_select_related = ["dimension"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["clause", "title_id", "theme", "value_type", "better", "active"]
    list_filter = [
        "active",
        "theme__dimension",
        "theme",
        "value_type",
        "clause_confidence",
    ]
    list_select_related = ["theme"]
    search_fields = ["clause", "title_id", "title_en"]
    fieldsets = [
        (None, {"fields": ["clause", "theme", "active", "clause_confidence"]}),
        (_("Title"), {"fields": ["title_id", "title_en"]}),
        (
            _("Measurement"),
            {
                "fields": [
                    "value_type",
                    "scale",
                    "unit_id",
                    "unit_en",
                    "numerator_id",
                    "numerator_en",
                    "denominator_id",
                    "denominator_en",
                    "better",
                ]
            },
        ),
    ]


class IndentedJSONField(forms.JSONField):
    """Shows the stored document indented, so that an admin can read and edit it."""

    def prepare_value(self, value):
        if isinstance(value, dict | list):
            return json.dumps(value, indent=2, ensure_ascii=False)
        return super().prepare_value(value)


class MethodologyForm(forms.ModelForm):
    """Takes the whole document as JSON and validates it before anything is saved."""

    document = IndentedJSONField(
        label=_("document"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField"}),
    )

    class Meta:
        model = Methodology
        fields = ["document", "is_current"]

    def clean_document(self):
        document = self.cleaned_data["document"]
        try:
            check_methodology(document)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return document


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin):
    form = MethodologyForm
    list_display = ["version", "name_id", "is_current", "in_use", "created_at"]
    readonly_fields = ["in_use", "created_at", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.in_use:
            return [*self.readonly_fields, "document"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if "document" in form.changed_data or not change:
            saved, _outcome = load_methodology(
                form.cleaned_data["document"],
                actor=request.user,
                make_current=form.cleaned_data.get("is_current", False),
            )
            obj.pk = saved.pk
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.in_use
