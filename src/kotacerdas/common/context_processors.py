from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role
from kotacerdas.common.models import Notification

_DASHBOARD_LABELS = {
    Role.ADMIN: _("Admin dashboard"),
    Role.ASSESSOR: _("Assessor dashboard"),
    Role.INSTRUCTOR: _("Instructor dashboard"),
    Role.PARTICIPANT: _("Coordinator dashboard"),
    Role.REGION_MEMBER: _("Team member dashboard"),
}


def navigation(request):
    """What the navigation bar shows: the user's dashboards and unread count."""
    context = {"programme_name": settings.PROGRAMME_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context

    context["dashboards"] = [
        {
            "role": role,
            "label": _DASHBOARD_LABELS[role],
            "url": reverse("dashboard:role", args=[role]),
        }
        for role in user.ordered_roles
    ]
    context["unread_notifications"] = Notification.objects.filter(
        recipient=user, read_at__isnull=True
    ).count()
    return context
