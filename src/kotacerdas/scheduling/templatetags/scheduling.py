from django import template

from kotacerdas.scheduling.localtime import format_local

register = template.Library()


@register.filter
def region_time(moment, region):
    """``moment`` in the region's zone: ``2 Maret 2026, 09:00 WIT``."""
    if moment is None or region is None:
        return ""
    return format_local(moment, region)
