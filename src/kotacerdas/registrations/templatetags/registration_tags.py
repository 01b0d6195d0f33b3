from django import template
from django.utils import timezone
from django.utils.formats import date_format

from kotacerdas.registrations.checklist import CHECKLIST

register = template.Library()

_STATE_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "accepted": "text-bg-success",
    "withdrawn": "text-bg-light border",
    "rejected": "text-bg-danger",
    "pending": "text-bg-primary",
}


@register.filter
def region_time(value, region):
    """A stored UTC time in the region's zone, with WIB, WITA or WIT after it."""
    if value is None:
        return "—"
    local = timezone.localtime(value, region.zone)
    return f"{date_format(local, 'j F Y, H:i')} {region.zone_abbreviation}"


@register.filter
def region_clock(value, region):
    """Only the hour and minute in the region's zone, for "Saved 10:32"."""
    local = timezone.localtime(value, region.zone)
    return f"{local:%H:%M} {region.zone_abbreviation}"


@register.filter
def state_class(state):
    """The Bootstrap badge class of a registration state or round outcome."""
    return _STATE_CLASSES.get(str(state), "text-bg-secondary")


@register.filter
def field_label(model_or_obj, name):
    """The translated verbose name of a model field."""
    return model_or_obj._meta.get_field(name).verbose_name


@register.filter
def checklist_label(code):
    """The sentence of a checklist item, from its code."""
    return CHECKLIST.get(code, code)


@register.filter
def field_of(form, name):
    """The label of the form field ``name``."""
    field = form.fields.get(name)
    return field.label if field is not None and field.label else name


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
