"""Links to the maturity stage from other apps' pages (step 8).

The registration page, the admin's schedule of the maturity stage and the
readiness stage's result page show "continue to the maturity stage" to the
coordinator after a pass, "open the maturity stage" to the admin once the
window is set, and the way to the stage to whoever may see it, without their
views knowing the maturity app.
"""

from django import template
from django.utils.translation import gettext_lazy as _

from kotacerdas.assessments.models import Decision, StageRecord, StageState
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling.models import DataEntryWindow, Stage

register = template.Library()


def maturity_links(user, registration):
    """``[(url name, pk, label, primary)]`` for ``user`` on ``registration``.

    One query for both stages of the registration (and one for the window when
    the admin may open the stage), so the pages that show it stay flat.
    """
    if registration.state != RegistrationState.ACCEPTED or not user.is_authenticated:
        return []
    stages = {
        stage.stage: stage
        for stage in StageRecord.objects.filter(registration=registration).only(
            "pk", "stage", "state", "decision", "registration"
        )
    }
    readiness, stage = stages.get(Stage.READINESS), stages.get(Stage.MATURITY)
    if stage is None:
        passed = (
            readiness is not None
            and readiness.state == StageState.DECIDED
            and readiness.decision == Decision.PASSED
        )
        if passed and user.has_perm("maturity.continue_to_maturity", registration):
            return [
                (
                    "maturity:fill_continue",
                    registration.pk,
                    _("Continue to the maturity stage"),
                    True,
                )
            ]
        return []

    stage.registration = registration
    links = []
    if (
        stage.state == StageState.NOT_OPEN
        and user.has_perm("assessments.open_stage", registration)
        and DataEntryWindow.objects.filter(
            registration=registration, stage=Stage.MATURITY
        ).exists()
    ):
        links.append(
            ("maturity:fill_open", registration.pk, _("Open the maturity stage"), True)
        )
    if user.has_perm("assessments.view_stage", stage):
        links.append(("maturity:fill_overview", stage.pk, _("Maturity stage"), False))
    return links


@register.inclusion_tag("maturity/filling/_links.html", takes_context=True)
def maturity_stage_links(context, registration):
    return {"links": maturity_links(context["request"].user, registration)}
