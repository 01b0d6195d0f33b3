from django import template

from kotacerdas.common.audit import events_for

register = template.Library()


@register.inclusion_tag("common/timeline.html")
def audit_timeline(obj, limit=50):
    """The readable trail of ``obj``: who did what, when, from and to which state."""
    return {"events": list(events_for(obj)[:limit])}
