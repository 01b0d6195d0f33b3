"""Who may do what with a stage, as named predicates.

Objects are StageRecords, or Responses for filling in one indicator. Whether
the stage's state allows a change is the services' question, not the rules'.
"""

import rules
from django.db import models
from rules.permissions import permissions

from kotacerdas.accounts.rules import (
    is_admin,
    is_assessor,
    is_participant,
    is_region_member,
    is_region_user,
)
from kotacerdas.assessments.models import StageRecord
from kotacerdas.common import rules as common_rules  # noqa: F401 (see below)
from kotacerdas.scheduling.models import TeamAssignment


def _stage(obj):
    return obj if isinstance(obj, StageRecord) else obj.stage


@rules.predicate
def in_region_of_stage(user, obj):
    """The user belongs to the region of the stage (or of the response's stage)."""
    if obj is None or user.region_id is None:
        return False
    return _stage(obj).registration.region_id == user.region_id


def _assignment(user, obj):
    stage = _stage(obj)
    return TeamAssignment.objects.filter(
        registration_id=stage.registration_id, stage=stage.stage, assessor_id=user.pk
    )


@rules.predicate
def on_stage_team(user, obj):
    """The user is an assessor on the team of the stage."""
    return obj is not None and _assignment(user, obj).exists()


@rules.predicate
def leads_stage(user, obj):
    return obj is not None and _assignment(user, obj).filter(is_lead=True).exists()


@rules.predicate
def assigned_to_user(user, response):
    return response is not None and response.assigned_to_id == user.pk


coordinator_of_stage = is_participant & in_region_of_stage
assessor_on_team = is_assessor & on_stage_team

rules.add_perm("assessments.open_stage", is_admin)
rules.add_perm(
    "assessments.view_stage",
    is_admin | (is_region_user & in_region_of_stage) | assessor_on_team,
)
rules.add_perm("assessments.assign_response", coordinator_of_stage)
rules.add_perm("assessments.submit_stage", coordinator_of_stage)
rules.add_perm("assessments.answer_clarification", coordinator_of_stage)
# A member sees and fills only the indicators assigned to them; the coordinator
# all of the region's.
rules.add_perm(
    "assessments.fill_response",
    coordinator_of_stage | (is_region_member & in_region_of_stage & assigned_to_user),
)
rules.add_perm(
    "assessments.view_response",
    is_admin
    | coordinator_of_stage
    | (is_region_member & in_region_of_stage & assigned_to_user)
    | assessor_on_team,
)
rules.add_perm("assessments.review_stage", assessor_on_team)
rules.add_perm("assessments.score_stage", assessor_on_team)
rules.add_perm("assessments.request_clarification", assessor_on_team)
rules.add_perm("assessments.reconcile_stage", is_assessor & leads_stage)
rules.add_perm("assessments.decide_stage", is_assessor & leads_stage)


@rules.predicate
def assesses_evidence(user, stored_file):
    """``stored_file`` is evidence in a stage whose team the user is on."""
    if stored_file is None:
        return False
    return TeamAssignment.objects.filter(
        assessor_id=user.pk,
        registration__stages__responses__evidence__file=stored_file,
        stage=models.F("registration__stages__stage"),
    ).exists()


# The download rule of common.uploads is widened here, where the evidence is
# known; the import of common's rules above makes sure the rule exists.
rules.set_perm(
    "common.view_storedfile",
    permissions["common.view_storedfile"] | (is_assessor & assesses_evidence),
)
