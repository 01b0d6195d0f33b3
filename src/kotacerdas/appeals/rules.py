"""Who may file, assign and decide appeals."""

import rules

from kotacerdas.accounts.rules import (
    belongs_to_region_of,
    is_admin,
    is_assessor,
    is_participant,
)


@rules.predicate
def coordinates_stage(user, stage):
    return stage is not None and stage.registration.coordinator_id == user.pk


@rules.predicate
def region_coordinator_of_appeal(user, appeal):
    return appeal is not None and appeal.stage.registration.coordinator_id == user.pk


@rules.predicate
def handles(user, appeal):
    return appeal is not None and appeal.handler_id == user.pk


rules.add_perm(
    "appeals.file_appeal", is_participant & belongs_to_region_of & coordinates_stage
)
rules.add_perm("appeals.list_appeals", is_admin)
rules.add_perm("appeals.assign_appeal", is_admin)
rules.add_perm("appeals.decide_appeal", (is_admin | is_assessor) & handles)
rules.add_perm(
    "appeals.view_appeal",
    is_admin | ((is_admin | is_assessor) & handles) | region_coordinator_of_appeal,
)
