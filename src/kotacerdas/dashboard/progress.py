"""What each dashboard shows, computed in a fixed number of queries.

The coordinator's progress line walks the eleven steps of the procedure and says
for each whether it is done, what is due now and by whom and by when. Steps 5
and 6 follow the readiness stage's record, step 7 its certificate, steps 8 to
11 the maturity stage's record and its published report after a readiness
pass.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role
from kotacerdas.assessments.models import Decision, StageRecord, StageState
from kotacerdas.certificates.readiness import live_certificate
from kotacerdas.dashboard.steps import STEPS
from kotacerdas.maturity.models import MaturityReport, ReportState
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling.models import DataEntryWindow, Stage
from kotacerdas.training.status import training_status_codes

DONE, CURRENT, UPCOMING = "done", "current", "upcoming"


@dataclass
class Step:
    number: str
    title: str
    actor: str
    status: str = UPCOMING
    detail: str = ""
    due: object = None
    url: str = ""
    url_args: tuple = ()

    @property
    def href(self):
        return reverse(self.url, args=self.url_args) if self.url else ""


def _steps():
    return [Step(number, title, actor) for number, title, actor in STEPS]


def region_team(region):
    return list(
        region.users.filter(
            is_active=True, roles__role__in=[Role.PARTICIPANT, Role.REGION_MEMBER]
        )
        .distinct()
        .order_by("full_name")
    )


def current_registration(region):
    """The region's newest registration that is still going, else its newest."""
    registrations = Registration.objects.filter(region=region).order_by(
        "-period", "-created_at"
    )
    active = registrations.exclude(state__in=RegistrationState.closed()).first()
    return active or registrations.first()


def _training_steps(steps, team):
    codes = training_status_codes(team)
    readiness_done = sum(c["readiness"] == "verified" for c in codes.values())
    indicator_done = sum(c["indicator"] == "completed" for c in codes.values())
    total = len(team)
    for step, done in ((steps[0], readiness_done), (steps[1], indicator_done)):
        step.status = DONE if total and done == total else CURRENT
        step.detail = _("%(done)s of %(total)s team members") % {
            "done": done,
            "total": total,
        }
    steps[0].url = "training:readiness_overview"
    steps[1].url = "training:session_list"


def _registration_steps(steps, registration):
    register, check, schedule, fill = steps[2], steps[3], steps[4], steps[5]
    register.url = "registrations:index"
    if registration is None or registration.state in RegistrationState.closed():
        register.status = CURRENT
        register.detail = _("Start the registration for the coming period.")
        return None

    state = registration.state
    if state == RegistrationState.DRAFT:
        register.status = CURRENT
        register.detail = _("The draft is not submitted yet.")
    elif state == RegistrationState.RETURNED:
        register.status = CURRENT
        register.detail = _("Returned: fix the items the admin marked and resubmit.")
    else:
        register.status = DONE
    if state == RegistrationState.SUBMITTED:
        check.status = CURRENT
        check.detail = _("Waiting for the institute's completeness check.")
    if state != RegistrationState.ACCEPTED:
        return None

    check.status = DONE
    check.detail = _("%(count)s indicators agreed") % {
        "count": registration.agreed_indicators.count()
    }
    window = DataEntryWindow.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).first()
    if window is None:
        schedule.status = CURRENT
        schedule.detail = _("The institute is preparing the schedule.")
        return None
    schedule.status = DONE
    schedule.url = "scheduling:mine"
    fill.status = CURRENT
    fill.due = window.closes_at
    fill.detail = _("The data-entry window is open.")
    stage = StageRecord.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).first()
    if stage is not None and stage.state != StageState.NOT_OPEN:
        _stage_steps(fill, steps[6], stage)
        if stage.state == StageState.DECIDED and stage.decision == Decision.PASSED:
            _certificate_step(steps[7], stage)
            return _maturity_steps(steps, registration)
    return None


# What step 6 says while the assessors hold the stage, by its state.
_REVIEW_DETAILS = {
    StageState.SUBMITTED: _("Submitted; waiting for the assessors."),
    StageState.UNDER_REVIEW: _("The assessors are scoring the responses."),
    StageState.CLARIFICATION_REQUESTED: _(
        "The assessors asked for a clarification: answer it."
    ),
    StageState.RESUBMITTED: _("Clarification answered; waiting for the assessors."),
    StageState.ASSESSED: _("Assessed; waiting for the lead assessor's decision."),
}


def _stage_steps(fill, review, stage):
    """Steps 5 and 6 from the readiness stage's record (opened at least)."""
    for step in (fill, review):
        step.url = "assessments:fill_overview"
        step.url_args = (stage.pk,)
    if stage.state == StageState.OPEN:
        return
    fill.status = DONE
    fill.due = None
    fill.detail = ""
    if stage.state == StageState.DECIDED:
        review.status = DONE
        review.detail = stage.get_decision_display()
        return
    review.status = CURRENT
    review.detail = _REVIEW_DETAILS[stage.state]


def _certificate_step(step, stage):
    """Step 7 after a readiness pass: done once the admin issued the certificate.

    Until then it stays "still to come": the admin's task, which should not
    take the coordinator's "next" from continuing to the maturity stage.
    """
    certificate = live_certificate(stage)
    if certificate is None:
        return
    step.status = DONE
    step.detail = certificate.number
    step.url = "certificates:verify"
    step.url_args = (certificate.number,)


def _maturity_steps(steps, registration):
    """Steps 8 to 11 after a readiness pass, from the maturity stage's record."""
    go_on, fill, review, report = steps[8], steps[9], steps[10], steps[11]
    stage = StageRecord.objects.filter(
        registration=registration, stage=Stage.MATURITY
    ).first()
    if stage is None:
        go_on.status = CURRENT
        go_on.detail = _("The readiness stage passed: continue to the maturity stage.")
        go_on.url = "maturity:fill_continue"
        go_on.url_args = (registration.pk,)
        return None

    go_on.status = DONE
    for step in (go_on, fill, review):
        step.url = "maturity:fill_overview"
        step.url_args = (stage.pk,)
    if stage.state == StageState.NOT_OPEN:
        fill.status = CURRENT
        fill.detail = _("The institute sets the data-entry window and opens the stage.")
        return None
    if stage.state == StageState.OPEN:
        window = DataEntryWindow.objects.filter(
            registration=registration, stage=Stage.MATURITY
        ).first()
        fill.status = CURRENT
        fill.due = window.closes_at if window else None
        fill.detail = _("The data-entry window is open.")
        return None

    fill.status = DONE
    if stage.state != StageState.DECIDED:
        review.status = CURRENT
        review.detail = _REVIEW_DETAILS[stage.state]
        return None
    review.status = DONE
    review.detail = stage.get_decision_display()
    published = (
        MaturityReport.objects.filter(stage=stage, state=ReportState.PUBLISHED)
        .only("pk", "stage", "version", "index", "tier")
        .first()
    )
    if published is None:
        report.status = CURRENT
        report.detail = _("The Maturity Index report is being prepared.")
        return None
    report.status = DONE
    report.detail = _("The Maturity Index report is published.")
    # The region reads only published versions, so the link waits for one.
    report.url = "maturity:report_stage"
    report.url_args = (stage.pk,)
    return published


def coordinator_progress(region):
    """The eleven steps for ``region`` with their status, and the registration."""
    steps = _steps()
    team = region_team(region)
    _training_steps(steps, team)
    registration = current_registration(region)
    published = _registration_steps(steps, registration)

    # Training goes on beside the procedure, so a step of the procedure itself
    # that waits is what is "next"; the trainings only when nothing else waits.
    current = [step for step in steps if step.status == CURRENT]
    later = [step for step in current if step.number not in ("1a", "1b")]
    next_step = (later or current or [None])[0]
    return {
        "steps": steps,
        "next_step": next_step,
        "registration": registration,
        "team": team,
        # The published Maturity Index report of the current registration (or
        # None): the dashboard links it, the results page and the consent.
        "published_report": published,
    }


def registration_counts():
    """Registrations per state, every state present (one query)."""
    counts = dict(
        Registration.objects.values_list("state").annotate(n=Count("pk")).order_by()
    )
    return [(state, counts.get(state.value, 0)) for state in RegistrationState]


def oldest_waiting(limit=5):
    return list(
        Registration.objects.filter(state=RegistrationState.SUBMITTED)
        .select_related("region")
        .order_by("submitted_at")[:limit]
    )
