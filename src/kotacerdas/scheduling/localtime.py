"""Times as people of a region read them: in its zone, with WIB, WITA or WIT."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy


def format_local(moment, region):
    """``moment`` in ``region``'s zone, e.g. ``2 Maret 2026, 09:00 WIT``; month
    names follow the active language."""
    local = timezone.localtime(moment, region.zone)
    return f"{date_format(local, 'j F Y, H:i')} {region.zone_abbreviation}"


# For notification parameters: rendered when each recipient's copy is written,
# so in that recipient's language.
local_time_text = lazy(format_local, str)
