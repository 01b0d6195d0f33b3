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

# The sections each role works in, in the order the procedure reaches them.
_SECTIONS = [
    ("registrations:queue", _("Registrations"), {Role.ADMIN}),
    ("registrations:index", _("Registration"), {Role.PARTICIPANT}),
    ("accounts:team", _("Team"), {Role.PARTICIPANT}),
    (
        "training:home",
        _("Training"),
        {Role.ADMIN, Role.INSTRUCTOR, Role.PARTICIPANT, Role.REGION_MEMBER},
    ),
    ("scheduling:overview", _("Schedule"), {Role.ADMIN}),
    (
        "scheduling:mine",
        _("My schedule"),
        {Role.ASSESSOR, Role.PARTICIPANT, Role.REGION_MEMBER},
    ),
    ("certificates:list", _("Certificates"), {Role.ADMIN}),
    # The admin's maturity pages share one menu: as separate links the bar no
    # longer fits its width at the xl breakpoint.
    (
        [
            ("maturity:report_list", _("Reports")),
            ("maturity:national_overview", _("National overview")),
            ("maturity:publication_policy", _("Publication policy")),
            ("maturity:agreement", _("Agreement between assessors")),
        ],
        _("Results"),
        {Role.ADMIN},
    ),
    ("appeals:list", _("Appeals"), {Role.ADMIN}),
]


def _section(name, label):
    """A link of the bar, or a menu when ``name`` lists (url name, label)."""
    if isinstance(name, list):
        return {
            "name": name[0][0],
            "label": label,
            "children": [_section(child, text) for child, text in name],
        }
    return {"name": name, "label": label, "url": reverse(name)}


def navigation(request):
    """What the navigation bar shows: dashboards, sections and unread count."""
    context = {"programme_name": settings.PROGRAMME_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context

    roles = set(user.ordered_roles)
    context["dashboards"] = [
        {
            "role": role,
            "label": _DASHBOARD_LABELS[role],
            "url": reverse("dashboard:role", args=[role]),
        }
        for role in user.ordered_roles
    ]
    seen = set()
    sections = []
    for name, label, allowed in _SECTIONS:
        if roles & allowed and label not in seen:
            seen.add(label)
            sections.append(_section(name, label))
    context["sections"] = sections
    context["unread_notifications"] = Notification.objects.filter(
        recipient=user, read_at__isnull=True
    ).count()
    return context
