"""Whether a page of a maturity stage may link to the stage's report.

The review and result pages belong to the assessment part and do not know the
report's rules; this tag answers for them, so that the link shows exactly to
those whom ``maturity:report_stage`` does not answer 404.
"""

from django import template

from kotacerdas.assessments.models import StageState
from kotacerdas.maturity.models import MaturityReport

register = template.Library()


@register.simple_tag(takes_context=True)
def may_read_report(context, stage):
    """True when the user may draft the stage's report (the lead of a decided
    stage) or read one of its versions (admin and team: any, the region: the
    published ones). At most one query."""
    user = context["request"].user
    if stage.state != StageState.DECIDED or not user.is_authenticated:
        return False
    if user.has_perm("maturity.draft_report", stage):
        return True
    for version in MaturityReport.objects.filter(stage=stage).only(
        "pk", "stage", "state"
    ):
        version.stage = stage
        if user.has_perm("maturity.view_report", version):
            return True
    return False
