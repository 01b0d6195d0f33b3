import rules

from kotacerdas.accounts.models import Role
from kotacerdas.accounts.rules import (
    belongs_to_region_of,
    is_admin,
    is_instructor,
    is_participant,
    is_region_user,
)


@rules.predicate
def is_self(user, target):
    return target is not None and target.pk == user.pk


@rules.predicate
def same_region_as(user, target):
    """``target`` (a user) is in the acting user's region."""
    return (
        target is not None
        and user.region_id is not None
        and target.region_id == user.region_id
    )


@rules.predicate
def is_region_account(user, target):
    """``target`` is an active participant or team member of some region."""
    return (
        target is not None
        and target.is_active
        and target.region_id is not None
        and bool(set(target.role_set) & Role.region_roles())
    )


@rules.predicate
def concerns_self(user, obj):
    """``obj`` (a record, referral or enrolment) is about the acting user."""
    return obj is not None and obj.user_id == user.pk


@rules.predicate
def teaches(user, session):
    if session is None:
        return False
    # The session page preloads the instructors; use them when they are there.
    cache = getattr(session, "_prefetched_objects_cache", {})
    if "instructors" in cache:
        return any(instructor.pk == user.pk for instructor in cache["instructors"])
    return session.instructors.filter(pk=user.pk).exists()


# Acting for a person: oneself, or as the coordinator of their region.
acts_for = is_admin | (is_region_user & is_self) | (is_participant & same_region_as)
# Seeing what concerns a person: oneself, the region's coordinator, the admin.
sees = (
    is_admin
    | (is_region_user & concerns_self)
    | (is_participant & belongs_to_region_of)
)

rules.add_perm("training.record_readiness", acts_for & is_region_account)
rules.add_perm("training.request_referral", acts_for & is_region_account)
rules.add_perm("training.view_readiness_record", sees)
rules.add_perm("training.decide_readiness", is_admin)
rules.add_perm("training.view_referral", sees)
rules.add_perm("training.manage_referral", is_admin)
rules.add_perm("training.view_readiness_overview", is_admin | is_region_user)
rules.add_perm("training.act_for_region", is_region_user)

rules.add_perm("training.view_sessions", is_admin | is_instructor | is_region_user)
rules.add_perm(
    "training.view_session", is_admin | is_region_user | (is_instructor & teaches)
)
rules.add_perm("training.run_session", is_admin | (is_instructor & teaches))
rules.add_perm("training.enrol_user", acts_for & is_region_account)
rules.add_perm("training.withdraw_enrolment", sees)
