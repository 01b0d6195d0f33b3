"""Each role's landing page after login.

A user with several roles lands on the dashboard of their first role (in the
order of ``ROLE_PRIORITY``) and reaches the others from the navigation bar.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role

_TEMPLATES = {
    Role.ADMIN: "dashboard/admin.html",
    Role.ASSESSOR: "dashboard/assessor.html",
    Role.INSTRUCTOR: "dashboard/instructor.html",
    Role.PARTICIPANT: "dashboard/participant.html",
    Role.REGION_MEMBER: "dashboard/member.html",
}

# The eleven steps of the procedure, as the coordinator's progress line shows them.
STEPS = [
    ("1a", _("Smart City Readiness training"), _("Ministry (Litbang Kemkominfo)")),
    (
        "1b",
        _("Smart city indicator training (SNI ISO 37122:2019)"),
        _("PPTI instructor"),
    ),
    ("2", _("Fill in the registration form"), _("Participant")),
    ("3", _("Completeness check"), _("PPTI admin")),
    ("4", _("Scheduling"), _("PPTI admin")),
    ("5", _("Fill in the Smart City Readiness data"), _("Participant and team")),
    ("6", _("Readiness assessment"), _("PPTI assessor")),
    ("7", _("Readiness certificate"), _("PPTI admin")),
    ("8", _("Continue to the maturity process"), _("Participant")),
    ("9", _("Fill in the Smart City Maturity data"), _("Participant and team")),
    ("10", _("Maturity assessment"), _("PPTI assessor")),
    ("11", _("Maturity Index report and certificate"), _("PPTI admin")),
]


def home(request):
    role = request.user.primary_role
    if role is None:
        return render(request, "dashboard/no_role.html")
    return redirect("dashboard:role", role=role)


def role_dashboard(request, role):
    if role not in _TEMPLATES or not request.user.has_role(role):
        raise Http404
    context = {"role": Role(role), "steps": STEPS, "region": request.user.region}
    return render(request, _TEMPLATES[role], context)
