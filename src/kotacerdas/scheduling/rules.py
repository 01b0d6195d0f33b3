"""Who may see and change schedules, as named predicates.

Objects are registrations (the schedule of a registration) or assessment events.
"""

import rules

from kotacerdas.accounts.rules import is_admin, is_assessor, is_region_user


def _registration(obj):
    return getattr(obj, "registration", obj)


@rules.predicate
def in_region_of_schedule(user, obj):
    """The user belongs to the region of the registration (or its event)."""
    if obj is None or user.region_id is None:
        return False
    return _registration(obj).region_id == user.region_id


@rules.predicate
def on_team_of(user, obj):
    """The user is an assessor on the team of the registration, or of the event's
    stage when ``obj`` is an event."""
    if obj is None:
        return False
    registration = _registration(obj)
    teams = registration.team_assignments.filter(assessor_id=user.pk)
    if obj is not registration:
        teams = teams.filter(stage=obj.stage)
    return teams.exists()


may_see_schedule = (
    is_admin | (is_region_user & in_region_of_schedule) | (is_assessor & on_team_of)
)

rules.add_perm("scheduling.manage_schedule", is_admin)
rules.add_perm("scheduling.view_schedule", may_see_schedule)
rules.add_perm("scheduling.view_event", may_see_schedule)
rules.add_perm("scheduling.declare_conflict", is_assessor)
rules.add_perm("scheduling.record_conflict", is_admin)
