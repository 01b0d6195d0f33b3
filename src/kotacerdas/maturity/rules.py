"""Who may do what in the maturity stage, as named predicates.

The stage's own rules (view, fill, assign, submit, review, score, reconcile,
decide) are those of ``assessments.rules``: a maturity stage is a StageRecord.
The rules here are the maturity-only actions. Objects: a Registration for
continuing, a StageRecord for the spreadsheet, a MaturityReport or its
StageRecord for reports, a Region for results and consent.
"""

import rules

from kotacerdas.accounts.rules import (
    belongs_to_region_of,
    coordinates,
    is_admin,
    is_assessor,
    is_participant,
    is_region_member,
    is_region_user,
)
from kotacerdas.assessments.rules import (
    assessor_on_team,
    coordinator_of_stage,
    in_region_of_stage,
    leads_stage,
)
from kotacerdas.maturity.models import MaturityReport

# The coordinator continues a passed readiness stage to the maturity stage.
rules.add_perm("maturity.continue_to_maturity", is_participant & belongs_to_region_of)

# The coordinator exchanges the whole stage as a spreadsheet; a member only the
# indicators assigned to them (the rows are filtered, and checked on upload).
rules.add_perm(
    "maturity.use_spreadsheet",
    coordinator_of_stage | (is_region_member & in_region_of_stage),
)


@rules.predicate
def is_published_version(user, report):
    return isinstance(report, MaturityReport) and not report.is_draft


rules.add_perm("maturity.draft_report", is_assessor & leads_stage)
rules.add_perm("maturity.publish_report", is_admin)
rules.add_perm("maturity.list_reports", is_admin)
# Drafts are for the assessors and the admin; the region reads what is published.
rules.add_perm(
    "maturity.view_report",
    is_admin
    | assessor_on_team
    | (is_region_user & in_region_of_stage & is_published_version),
)


@rules.predicate
def is_own_region(user, region):
    """``region`` (a Region) is the signed-in region user's own."""
    return (
        region is not None
        and user.region_id is not None
        and (region.pk == user.region_id)
    )


# A region's results page: its own people, every assessor, the admins.
rules.add_perm(
    "maturity.view_region_results",
    is_admin | is_assessor | (is_region_user & is_own_region),
)
rules.add_perm("maturity.view_national_overview", is_admin)
rules.add_perm("maturity.set_publication_policy", is_admin)
# The coordinator gives or withdraws the consent of their own region.
rules.add_perm("maturity.set_publication_consent", is_participant & coordinates)
