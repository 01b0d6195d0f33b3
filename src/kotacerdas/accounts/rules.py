"""Who may do what, as named predicates that views, templates and tests share."""

import rules

from kotacerdas.accounts.models import Role


@rules.predicate
def is_admin(user):
    return user.is_authenticated and user.has_role(Role.ADMIN)


@rules.predicate
def is_assessor(user):
    return user.is_authenticated and user.has_role(Role.ASSESSOR)


@rules.predicate
def is_instructor(user):
    return user.is_authenticated and user.has_role(Role.INSTRUCTOR)


@rules.predicate
def is_participant(user):
    return user.is_authenticated and user.has_role(Role.PARTICIPANT)


@rules.predicate
def is_region_member(user):
    return user.is_authenticated and user.has_role(Role.REGION_MEMBER)


is_region_user = is_participant | is_region_member
is_institute_staff = is_admin | is_assessor | is_instructor


@rules.predicate
def belongs_to_region_of(user, obj):
    """True when ``obj`` (anything with a ``region_id``) is in the user's region."""
    if obj is None or not user.is_authenticated or user.region_id is None:
        return False
    return getattr(obj, "region_id", None) == user.region_id


rules.add_perm("accounts.view_admin_dashboard", is_admin)
rules.add_perm("accounts.view_assessor_dashboard", is_assessor)
rules.add_perm("accounts.view_instructor_dashboard", is_instructor)
rules.add_perm("accounts.view_participant_dashboard", is_participant)
rules.add_perm("accounts.view_member_dashboard", is_region_member)


# The region's team (accounts.team): the coordinator invites and manages the
# team members of their own region; a coordinator is not managed this way.
@rules.predicate
def coordinates(user, region):
    """``region`` (a Region) is the acting coordinator's own."""
    return (
        region is not None
        and user.region_id is not None
        and region.pk == user.region_id
    )


@rules.predicate
def is_team_member_of_own_region(user, member):
    return (
        member is not None
        and member.pk != user.pk
        and user.region_id is not None
        and member.region_id == user.region_id
        and Role.REGION_MEMBER in member.role_set
        and Role.PARTICIPANT not in member.role_set
    )


rules.add_perm("accounts.manage_team", is_participant & coordinates)
rules.add_perm("accounts.manage_member", is_participant & is_team_member_of_own_region)
rules.add_perm("accounts.manage_invitation", is_participant & belongs_to_region_of)
