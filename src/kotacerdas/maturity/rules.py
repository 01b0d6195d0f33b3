"""Who may do what in the maturity stage, as named predicates.

The stage's own rules (view, fill, assign, submit, review, score, reconcile,
decide) are those of ``assessments.rules``: a maturity stage is a StageRecord.
The rules here are the maturity-only actions.
"""

import rules

from kotacerdas.accounts.rules import belongs_to_region_of, is_participant

# The coordinator continues a passed readiness stage to the maturity stage
# (object: the Registration).
rules.add_perm("maturity.continue_to_maturity", is_participant & belongs_to_region_of)
