import rules

from kotacerdas.accounts.rules import (
    belongs_to_region_of,
    is_admin,
    is_participant,
    is_region_user,
)


@rules.predicate
def holds_certificate(user, certificate):
    return certificate is not None and certificate.holder_user_id == user.pk


@rules.predicate
def is_region_certificate(user, certificate):
    """A certificate of the region itself (a stage certificate), not a person's."""
    return certificate is not None and certificate.holder_user_id is None


# A coordinator may fetch the training certificates of the region's team; every
# region user may fetch the region's own certificates.
can_download = (
    is_admin
    | holds_certificate
    | (is_participant & belongs_to_region_of)
    | (is_region_user & belongs_to_region_of & is_region_certificate)
)

rules.add_perm("certificates.download_certificate", can_download)
rules.add_perm("certificates.view_certificate", can_download)
rules.add_perm("certificates.change_status", is_admin)
rules.add_perm("certificates.list_all_certificates", is_admin)
rules.add_perm("certificates.issue_stage_certificate", is_admin)
