from django import template
from django.core.exceptions import FieldDoesNotExist

from kotacerdas.common.audit import events_for

register = template.Library()


def _state_labels(obj):
    """Readable names of the object's states, so the trail says "diterima", not
    "accepted"; objects without a ``state`` field show their codes."""
    try:
        field = obj._meta.get_field("state")
    except FieldDoesNotExist:
        return {}
    return {str(value): label for value, label in field.flatchoices}


@register.inclusion_tag("common/timeline.html")
def audit_timeline(obj, limit=50):
    """The readable trail of ``obj``: who did what, when, from and to which state."""
    labels = _state_labels(obj)
    events = list(events_for(obj)[:limit])
    for event in events:
        event.from_label = labels.get(event.from_state, event.from_state)
        event.to_label = labels.get(event.to_state, event.to_state)
    return {"events": events}
