"""The link from the admin's pages to a registration's readiness stage.

The registration and schedule pages belong to other apps; this tag lets them
show "open the readiness stage" (or the way to the open stage) without their
views knowing the stage model.
"""

from django import template

from kotacerdas.assessments.models import StageRecord, StageState
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling.models import DataEntryWindow, Stage

register = template.Library()


def stage_link(user, registration):
    """``(url name, pk, opens)`` of the readiness stage for an admin, else None.

    ``opens`` is true while the stage can still be opened: an accepted
    registration with a readiness window and no open stage.
    """
    if registration.state != RegistrationState.ACCEPTED or not user.has_perm(
        "assessments.open_stage", registration
    ):
        return None
    stage = StageRecord.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).first()
    if stage is not None and stage.state != StageState.NOT_OPEN:
        return ("assessments:fill_overview", stage.pk, False)
    if not DataEntryWindow.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).exists():
        return None
    return ("assessments:fill_open", registration.pk, True)


@register.inclusion_tag("assessments/links/stage_link.html", takes_context=True)
def readiness_stage_link(context, registration):
    return {"link": stage_link(context["request"].user, registration)}
