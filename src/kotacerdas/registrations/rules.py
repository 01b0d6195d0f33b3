import rules

from kotacerdas.accounts.rules import (
    belongs_to_region_of,
    is_admin,
    is_participant,
    is_region_user,
)


@rules.predicate
def coordinates_region(user, region):
    """The user is a coordinator of ``region`` (a Region)."""
    return region is not None and user.region_id == region.pk


rules.add_perm("registrations.start_registration", is_participant & coordinates_region)
rules.add_perm(
    "registrations.view_registration",
    is_admin | (is_region_user & belongs_to_region_of),
)
# The list of one's own region's registrations (no object: the region is the
# user's own).
rules.add_perm("registrations.list_region_registrations", is_region_user)
rules.add_perm("registrations.edit_registration", is_participant & belongs_to_region_of)
rules.add_perm(
    "registrations.submit_registration", is_participant & belongs_to_region_of
)
rules.add_perm(
    "registrations.withdraw_registration", is_participant & belongs_to_region_of
)
rules.add_perm("registrations.check_registration", is_admin)
rules.add_perm("registrations.list_registrations", is_admin)
