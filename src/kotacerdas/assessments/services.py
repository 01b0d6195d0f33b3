"""State changes of stages: one function each, used by every caller.

Each function locks the stage inside one transaction, checks the named rule
(PermissionDenied: the actor may never do it) and the state (WorkflowError: not
now), changes it through ``change_state`` with the audit trail, and notifies the
people concerned after the commit.

Notifications carry no link yet: the stage pages come with the interface.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from kotacerdas.accounts.models import Role, User
from kotacerdas.assessments import scoring
from kotacerdas.assessments.diff import snapshot_response
from kotacerdas.assessments.models import (
    Answer,
    AssessorScore,
    AssessorSubmission,
    Clarification,
    Decision,
    Evidence,
    ReadinessAnswer,
    ReconciledScore,
    Response,
    StageRecord,
    StageState,
)
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.uploads import store_upload
from kotacerdas.common.workflow import WorkflowError, change_state, lock, require
from kotacerdas.indicators.models import Methodology
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling.models import DataEntryWindow, Stage, TeamAssignment

logger = logging.getLogger(__name__)

register_actions(
    {
        "stage.opened": gettext_lazy("opened the stage"),
        "stage.response_assigned": gettext_lazy("assigned an indicator"),
        "stage.evidence_added": gettext_lazy("added evidence"),
        "stage.evidence_removed": gettext_lazy("removed evidence"),
        "stage.submitted": gettext_lazy("submitted the stage"),
        "stage.review_started": gettext_lazy("started the review"),
        "stage.scores_submitted": gettext_lazy("submitted the scores"),
        "stage.clarification_requested": gettext_lazy("asked for a clarification"),
        "stage.clarification_answered": gettext_lazy("answered the clarification"),
        "stage.reconciled": gettext_lazy("reconciled scores"),
        "stage.assessed": gettext_lazy("completed the assessment"),
        "stage.decided": gettext_lazy("recorded the decision"),
    }
)


class IncompleteError(WorkflowError):
    """Something must be filled first; ``missing`` lists it per indicator."""

    def __init__(self, message, missing):
        super().__init__(message)
        self.missing = missing


# People and texts for notifications.


def _params(stage):
    return {
        "region": str(stage.registration.region),
        "stage": Stage(stage.stage).label,
    }


def _region_people(stage, *, exclude=None):
    registration = stage.registration
    people = {registration.coordinator_id: registration.coordinator}
    for member in registration.team.filter(is_active=True):
        people.setdefault(member.pk, member)
    if exclude is not None:
        people.pop(exclude.pk, None)
    return list(people.values())


def _assessors(stage, *, exclude=None, lead_only=False):
    assignments = TeamAssignment.objects.filter(
        registration_id=stage.registration_id, stage=stage.stage
    ).select_related("assessor")
    if lead_only:
        assignments = assignments.filter(is_lead=True)
    return [
        a.assessor
        for a in assignments
        if exclude is None or a.assessor_id != exclude.pk
    ]


def _admins():
    return User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct()


# Checks shared by the functions.


def _require_transition(stage, transition_name):
    """Refuse early, in the words of ``change_state``, so that checks that come
    before the transition do not answer a question nobody asked."""
    if not can_proceed(getattr(stage, transition_name)):
        raise WorkflowError(
            _(
                "This cannot be done any more: it is now “%(state)s”. "
                "Someone may have acted on it a moment ago; reload the page."
            )
            % {"state": stage.get_state_display()}
        )


def _require_state(stage, states):
    if stage.state not in states:
        raise WorkflowError(
            _("The stage is “%(state)s”; this cannot be done now.")
            % {"state": stage.get_state_display()}
        )


def _window(registration_id, stage):
    return DataEntryWindow.objects.filter(
        registration_id=registration_id, stage=stage
    ).first()


def open_clarification_of(stage):
    """The clarification the region is answering now, or None."""
    return stage.clarifications.filter(answered_at__isnull=True).first()


def edit_refusal(response, *, now=None):
    """Why the region may not change ``response`` now, or None when it may.

    While the stage is open, the data-entry window decides; during a
    clarification only the indicators it names reopen, until it is answered
    (its due date is a request, not a lock: a late answer is still an answer).
    """
    stage = response.stage
    if stage.state == StageState.OPEN:
        window = _window(stage.registration_id, stage.stage)
        if window is not None and not window.has_opened(now):
            return _("The data-entry window has not opened yet.")
        if window is None or not window.is_open(now):
            return _("The data-entry window is closed; the responses are locked.")
        return None
    if stage.state == StageState.CLARIFICATION_REQUESTED:
        clarification = open_clarification_of(stage)
        if (
            clarification
            and clarification.indicators.filter(pk=response.indicator_id).exists()
        ):
            return None
        return _(
            "Only the indicators named in the clarification request can be changed now."
        )
    return _("The stage is “%(state)s”; the responses are locked.") % {
        "state": stage.get_state_display()
    }


def can_edit_response(user, response):
    """The user may fill ``response`` and its stage allows it now."""
    return user.has_perm("assessments.fill_response", response) and (
        edit_refusal(response) is None
    )


def _require_editable(response):
    refusal = edit_refusal(response)
    if refusal is not None:
        raise WorkflowError(refusal)


def _lock_response(response, actor):
    """Lock the stage, then the response: the stage's state decides."""
    stage = lock(response.stage)
    response = lock(response)
    response.stage = stage
    require(actor, "assessments.fill_response", response)
    _require_editable(response)
    return response


# Opening and filling (step 5).


@transaction.atomic
def open_stage(registration, *, actor, stage):
    """Open ``stage`` of an accepted registration for data entry.

    Side effects: the StageRecord (created when missing) opened with the
    registration's methodology, which is marked in use; one Response per agreed
    indicator; an audit event; a notification to the region's team.
    """
    require(actor, "assessments.open_stage", registration)
    registration = lock(registration)
    if (
        stage == Stage.MATURITY
        and not StageRecord.objects.filter(
            registration=registration, stage=Stage.MATURITY
        ).exists()
    ):
        # The coordinator's explicit step (maturity.services_filling) comes first.
        raise WorkflowError(
            _("The region has not continued to the maturity stage yet.")
        )
    if registration.state != RegistrationState.ACCEPTED:
        raise WorkflowError(_("Only an accepted registration has stages."))
    if _window(registration.pk, stage) is None:
        raise WorkflowError(_("Set the data-entry window of the stage first."))
    indicators = list(registration.agreed_indicators.order_by("sort_key"))
    if not indicators:
        raise WorkflowError(_("The registration has no agreed indicators."))

    stage_record, _created = StageRecord.objects.get_or_create(
        registration=registration, stage=stage
    )
    stage_record = lock(stage_record)
    _require_transition(stage_record, "open")
    methodology = Methodology.objects.select_for_update().get(
        pk=registration.methodology_id
    )
    if not methodology.in_use:
        methodology.in_use = True
        methodology.save(update_fields=["in_use"])
    stage_record.methodology = methodology
    change_state(
        stage_record,
        "open",
        actor=actor,
        action="stage.opened",
        note=_("Methodology version %(version)s") % {"version": methodology.version},
    )
    Response.objects.bulk_create(
        [Response(stage=stage_record, indicator=indicator) for indicator in indicators]
    )
    if stage == Stage.MATURITY:
        from kotacerdas.maturity.services_filling import create_data_rows

        create_data_rows(stage_record)
    notify(
        _region_people(stage_record, exclude=actor),
        action="stage.opened",
        subject=gettext_lazy("Open for data entry: %(region)s, %(stage)s"),
        body=gettext_lazy(
            "The %(stage)s of %(region)s is open. Fill in one response "
            "per agreed indicator before the data-entry window closes."
        ),
        params=_params(stage_record),
    )
    return stage_record


@transaction.atomic
def assign_response(response, *, actor, member):
    """Give one indicator to a member of the region's team (None: take it back).

    Side effects: the response's assignee, an audit event on the stage, a
    notification to the new assignee.
    """
    stage = lock(response.stage)
    response = lock(response)
    require(actor, "assessments.assign_response", stage)
    _require_state(stage, StageState.fillable())
    if member is not None and (
        member.region_id != stage.registration.region_id
        or not (
            member.has_role(Role.REGION_MEMBER) or member.has_role(Role.PARTICIPANT)
        )
    ):
        raise WorkflowError(_("Indicators can be assigned to the region's team only."))

    response.assigned_to = member
    response.save(update_fields=["assigned_to", "updated_at"])
    record(
        actor=actor,
        action="stage.response_assigned",
        obj=stage,
        note=f"{response.indicator.clause} → "
        f"{member.full_name or member.email if member else '—'}",
    )
    if member is not None and member != actor:
        notify(
            [member],
            action="stage.response_assigned",
            subject=gettext_lazy("An indicator for you to fill: %(clause)s"),
            body=gettext_lazy(
                "%(coordinator)s asked you to fill in indicator %(clause)s in the "
                "%(stage)s of %(region)s."
            ),
            params={
                **_params(stage),
                "clause": response.indicator.clause,
                "coordinator": actor.full_name or actor.email,
            },
        )
    return response


@transaction.atomic
def save_response(response, *, actor, answers):
    """Save what was typed so far for one indicator (autosave, partial).

    ``answers`` is ``{criterion code: {"answer": "yes"|"partly"|"no"|"",
    "explanation": text}}``; either key may be left out. Side effects: the
    ReadinessAnswer rows and their history; no audit event per keystroke.
    """
    response = _lock_response(response, actor)
    codes = scoring.criterion_codes(response.stage)
    unknown = sorted(set(answers) - set(codes))
    if unknown:
        raise WorkflowError(
            _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}
        )

    existing = {a.criterion: a for a in response.readiness_answers.all()}
    for code, fields in answers.items():
        value = fields.get("answer")
        if value not in (None, "", *Answer.values):
            raise WorkflowError(
                _("Answer %(code)s with yes, partly or no.") % {"code": code}
            )
        answer = existing.get(code) or ReadinessAnswer(
            response=response, criterion=code
        )
        before = (answer.answer, answer.explanation)
        if value is not None:
            answer.answer = value
        if "explanation" in fields:
            answer.explanation = (fields["explanation"] or "").strip()
        if answer.pk is None or (answer.answer, answer.explanation) != before:
            answer._history_user = actor
            answer.save()

    response.updated_by = actor
    response._history_user = actor
    response.save(update_fields=["updated_by", "updated_at"])
    return response


@transaction.atomic
def add_evidence(response, *, actor, label, uploaded=None, url=""):
    """Attach a checked upload or a link as evidence for one indicator.

    Side effects: a StoredFile for an upload, an Evidence row, an audit event.
    """
    response = _lock_response(response, actor)
    label = (label or "").strip()
    url = (url or "").strip()
    if not label:
        raise WorkflowError(_("Describe the evidence."))
    if bool(uploaded) == bool(url):
        raise WorkflowError(_("Give either a file or a link."))

    stored = None
    if uploaded is not None:
        stored = store_upload(
            uploaded, user=actor, region=response.stage.registration.region
        )
    evidence = Evidence.objects.create(
        response=response, file=stored, url=url, label=label, added_by=actor
    )
    record(
        actor=actor,
        action="stage.evidence_added",
        obj=response.stage,
        note=f"{response.indicator.clause}: {label}",
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence, *, actor):
    """Remove one piece of evidence; its file stays in storage.

    Side effects: the Evidence row is deleted, an audit event.
    """
    response = _lock_response(evidence.response, actor)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    label = evidence.label
    evidence.delete()
    record(
        actor=actor,
        action="stage.evidence_removed",
        obj=response.stage,
        note=f"{response.indicator.clause}: {label}",
    )


def missing_answers(stage, *, indicators=None):
    """``[(indicator, [criterion codes without an answer])]``, in clause order.

    The pre-submission check: every criterion answered for every indicator.
    A maturity stage asks for its figures instead (names of missing fields).
    """
    if stage.stage == Stage.MATURITY:
        from kotacerdas.maturity.services_filling import missing_data

        return missing_data(stage, indicators=indicators)
    codes = scoring.criterion_codes(stage)
    responses = stage.responses.select_related("indicator").order_by(
        "indicator__sort_key"
    )
    if indicators is not None:
        responses = responses.filter(indicator__in=indicators)
    answered = {
        (response_id, criterion)
        for response_id, criterion in ReadinessAnswer.objects.filter(
            response__stage=stage
        )
        .exclude(answer="")
        .values_list("response_id", "criterion")
    }
    missing = []
    for response in responses:
        gaps = [code for code in codes if (response.pk, code) not in answered]
        if gaps:
            missing.append((response.indicator, gaps))
    return missing


def _refuse_missing(missing, stage):
    if missing:
        message = (
            _("Complete every indicator first. Missing: %(items)s.")
            if stage.stage == Stage.MATURITY
            else _("Answer every criterion first. Missing: %(items)s.")
        )
        raise IncompleteError(
            message
            % {
                "items": "; ".join(
                    f"{indicator.clause} ({', '.join(codes)})"
                    for indicator, codes in missing
                )
            },
            missing,
        )


@transaction.atomic
def submit_stage(stage, *, actor):
    """Submit the region's responses for assessment; editing locks.

    Side effects: state to submitted, an audit event, a notification to the
    assessors on the team and the admins.
    """
    stage = lock(stage)
    require(actor, "assessments.submit_stage", stage)
    _require_transition(stage, "submit")
    _refuse_missing(missing_answers(stage), stage)

    change_state(stage, "submit", actor=actor, action="stage.submitted")
    notify(
        [*_assessors(stage), *_admins()],
        action="stage.submitted",
        subject=gettext_lazy("Stage submitted: %(region)s, %(stage)s"),
        body=gettext_lazy(
            "%(region)s submitted its responses to the %(stage)s. "
            "They wait for the review."
        ),
        params=_params(stage),
    )
    return stage


# Assessment (step 6).


@transaction.atomic
def start_review(stage, *, actor):
    """An assessor on the team takes up the (re)submitted responses.

    Side effects: state to under review, an audit event, a notification to the
    coordinator.
    """
    stage = lock(stage)
    require(actor, "assessments.review_stage", stage)
    change_state(stage, "start_review", actor=actor, action="stage.review_started")
    notify(
        [stage.registration.coordinator],
        action="stage.review_started",
        subject=gettext_lazy("Review started: %(region)s, %(stage)s"),
        body=gettext_lazy("The assessors are reviewing the %(stage)s."),
        params=_params(stage),
    )
    return stage


def _submitted_this_round(stage, assessor):
    return AssessorSubmission.objects.filter(
        stage=stage, assessor=assessor, round=stage.round
    ).exists()


def _stage_indicators(stage):
    return {
        response.indicator_id: response.indicator
        for response in stage.responses.select_related("indicator")
    }


def _check_points(stage, scores):
    """Validate ``{indicator id: {code: (points, comment)}}`` against the stage."""
    indicators = _stage_indicators(stage)
    codes = set(scoring.criterion_codes(stage))
    max_points = scoring.readiness_section(stage)["max_points"]
    for indicator_id, by_code in scores.items():
        if indicator_id not in indicators:
            raise WorkflowError(_("That indicator is not part of the stage."))
        for code, (points, _comment) in by_code.items():
            if code not in codes:
                raise WorkflowError(_("Unknown criterion %(code)s.") % {"code": code})
            if type(points) is not int or not 0 <= points <= max_points:
                raise WorkflowError(
                    _("Points must be a whole number from 0 to %(max)s.")
                    % {"max": max_points}
                )
    return indicators


@transaction.atomic
def record_scores(stage, *, actor, scores):
    """Save an assessor's points and comments (partial, any number of times).

    ``scores`` is ``{indicator id: {criterion code: (points, comment)}}``.
    Side effects: AssessorScore rows; no audit event until they are submitted.
    """
    stage = lock(stage)
    require(actor, "assessments.score_stage", stage)
    _require_state(stage, [StageState.UNDER_REVIEW])
    if _submitted_this_round(stage, actor):
        raise WorkflowError(_("You have submitted your scores for this round."))
    _check_points(stage, scores)

    for indicator_id, by_code in scores.items():
        for code, (points, comment) in by_code.items():
            AssessorScore.objects.update_or_create(
                stage=stage,
                indicator_id=indicator_id,
                assessor=actor,
                criterion=code,
                defaults={"points": points, "comment": (comment or "").strip()},
            )
    return stage


def missing_scores(stage, assessor):
    """``[(indicator, [codes])]`` the assessor has not scored yet."""
    codes = scoring.criterion_codes(stage)
    scored = set(
        AssessorScore.objects.filter(stage=stage, assessor=assessor).values_list(
            "indicator_id", "criterion"
        )
    )
    missing = []
    for response in stage.responses.select_related("indicator").order_by(
        "indicator__sort_key"
    ):
        gaps = [c for c in codes if (response.indicator_id, c) not in scored]
        if gaps:
            missing.append((response.indicator, gaps))
    return missing


@transaction.atomic
def submit_scores(stage, *, actor):
    """Hand in the assessor's scores for this round; they lock for the round.

    Side effects: an AssessorSubmission, an audit event, and, once the whole
    team has submitted, a notification to the lead.
    """
    stage = lock(stage)
    require(actor, "assessments.score_stage", stage)
    _require_state(stage, [StageState.UNDER_REVIEW])
    if _submitted_this_round(stage, actor):
        raise WorkflowError(_("You have submitted your scores for this round."))
    missing = missing_scores(stage, actor)
    if missing:
        raise IncompleteError(
            _("Score every criterion first. Missing: %(items)s.")
            % {
                "items": "; ".join(
                    f"{indicator.clause} ({', '.join(codes)})"
                    for indicator, codes in missing
                )
            },
            missing,
        )

    AssessorSubmission.objects.create(stage=stage, assessor=actor, round=stage.round)
    record(
        actor=actor,
        action="stage.scores_submitted",
        obj=stage,
        note=_("Round %(round)s") % {"round": stage.round},
    )
    if scoring.all_submitted(stage, round=stage.round):
        notify(
            _assessors(stage, lead_only=True),
            action="stage.scores_submitted",
            subject=gettext_lazy("All scores are in: %(region)s, %(stage)s"),
            body=gettext_lazy(
                "Every assessor has submitted scores for the %(stage)s of "
                "%(region)s. Reconcile the differences and complete the assessment."
            ),
            params=_params(stage),
        )
    return stage


@transaction.atomic
def open_clarification(stage, *, actor, indicators, question, due_date):
    """Ask the region about some indicators; only those reopen for editing.

    Side effects: a Clarification with a snapshot of the named responses,
    state to clarification requested, an audit event, a notification to the
    coordinator and the members assigned to those indicators.
    """
    stage = lock(stage)
    require(actor, "assessments.request_clarification", stage)
    _require_transition(stage, "request_clarification")
    question = (question or "").strip()
    if not question:
        raise WorkflowError(_("Write the question for the region."))
    if due_date is None or due_date < timezone.localdate():
        raise WorkflowError(_("Give a due date that is not in the past."))
    indicator_ids = {indicator.pk for indicator in indicators}
    responses = list(
        stage.responses.filter(indicator_id__in=indicator_ids).select_related(
            "indicator", "assigned_to"
        )
    )
    if not indicator_ids or len(responses) != len(indicator_ids):
        raise WorkflowError(_("Choose one or more indicators of the stage."))

    clarification = Clarification.objects.create(
        stage=stage,
        round=stage.round,
        question=question,
        due_date=due_date,
        opened_by=actor,
        snapshot={str(r.indicator_id): snapshot_response(r) for r in responses},
    )
    clarification.indicators.set(indicator_ids)
    clauses = ", ".join(
        r.indicator.clause
        for r in sorted(responses, key=lambda r: r.indicator.sort_key)
    )
    change_state(
        stage,
        "request_clarification",
        actor=actor,
        action="stage.clarification_requested",
        note=f"{clauses}: {question}",
    )
    people = {stage.registration.coordinator_id: stage.registration.coordinator}
    for response in responses:
        if response.assigned_to is not None:
            people.setdefault(response.assigned_to_id, response.assigned_to)
    notify(
        people.values(),
        action="stage.clarification_requested",
        subject=gettext_lazy("Clarification requested: %(region)s, %(stage)s"),
        body=gettext_lazy(
            "The assessors ask about indicators %(clauses)s by %(due)s: %(question)s"
        ),
        params={
            **_params(stage),
            "clauses": clauses,
            "due": due_date.isoformat(),
            "question": question,
        },
    )
    return clarification


@transaction.atomic
def answer_clarification(stage, *, actor, answer=""):
    """The coordinator hands the reopened indicators back (resubmits).

    Side effects: the clarification's answer and time, state to resubmitted
    with the next review round, an audit event, a notification to the team.
    """
    stage = lock(stage)
    require(actor, "assessments.answer_clarification", stage)
    _require_transition(stage, "resubmit")
    clarification = open_clarification_of(stage)
    _refuse_missing(
        missing_answers(stage, indicators=clarification.indicators.all()), stage
    )

    clarification.answer = (answer or "").strip()
    clarification.answered_by = actor
    clarification.answered_at = timezone.now()
    clarification.save(update_fields=["answer", "answered_by", "answered_at"])
    change_state(
        stage,
        "resubmit",
        actor=actor,
        action="stage.clarification_answered",
        note=clarification.answer,
    )
    notify(
        _assessors(stage),
        action="stage.clarification_answered",
        subject=gettext_lazy("Clarification answered: %(region)s, %(stage)s"),
        body=gettext_lazy(
            "%(region)s answered the clarification request on the %(stage)s."
        ),
        params=_params(stage),
    )
    return clarification


def _require_all_submitted(stage):
    if not scoring.all_submitted(stage, round=stage.round):
        raise WorkflowError(
            _("Every assessor on the team must submit their scores first.")
        )


@transaction.atomic
def reconcile(stage, *, actor, scores):
    """The lead's final points where the assessors differ (or anywhere).

    ``scores`` is ``{indicator id: {criterion code: (points, comment)}}``.
    Allowed once the whole team has submitted this round, so that the lead too
    scored independently. Side effects: ReconciledScore rows, an audit event.
    """
    stage = lock(stage)
    require(actor, "assessments.reconcile_stage", stage)
    _require_state(stage, [StageState.UNDER_REVIEW])
    _require_all_submitted(stage)
    indicators = _check_points(stage, scores)

    lines = []
    for indicator_id, by_code in scores.items():
        for code, (points, comment) in by_code.items():
            ReconciledScore.objects.update_or_create(
                stage=stage,
                indicator_id=indicator_id,
                criterion=code,
                defaults={
                    "points": points,
                    "comment": (comment or "").strip(),
                    "by": actor,
                    "at": timezone.now(),
                },
            )
            lines.append(f"{indicators[indicator_id].clause} {code}: {points}")
    record(actor=actor, action="stage.reconciled", obj=stage, note="; ".join(lines))
    return stage


@transaction.atomic
def complete_assessment(stage, *, actor):
    """The lead closes the review once every criterion has final points.

    Side effects: state to assessed, an audit event with the computed result.
    """
    stage = lock(stage)
    require(actor, "assessments.reconcile_stage", stage)
    _require_transition(stage, "complete_assessment")
    _require_all_submitted(stage)
    result = scoring.stage_result(stage)
    missing = [(r.indicator, list(r.missing)) for r in result.indicators if r.missing]
    if missing:
        raise IncompleteError(
            _("Reconcile the differing scores first: %(items)s.")
            % {
                "items": "; ".join(
                    f"{indicator.clause} ({', '.join(codes)})"
                    for indicator, codes in missing
                )
            },
            missing,
        )
    change_state(
        stage,
        "complete_assessment",
        actor=actor,
        action="stage.assessed",
        note=result.explanation(),
        data={"ready": [i.clause for i in result.ready_indicators]},
    )
    return stage


@transaction.atomic
def decide_stage(stage, *, actor, summary):
    """The lead records the decision, which follows from the computed result.

    Side effects: decision, summary, decider and time on the stage; state to
    decided; an audit event; a notification to the region and the admins.
    """
    stage = lock(stage)
    require(actor, "assessments.decide_stage", stage)
    _require_transition(stage, "decide")
    summary = (summary or "").strip()
    if not summary:
        raise WorkflowError(_("Write a summary of the decision."))
    result = scoring.stage_result(stage)
    decision = Decision.PASSED if result.passes else Decision.NOT_PASSED

    change_state(
        stage,
        "decide",
        actor=actor,
        action="stage.decided",
        note=f"{decision.label}: {summary}",
        data={"decision": decision.value, "ready_count": result.ready_count},
        decision=decision,
        summary=summary,
        by=actor,
    )
    notify(
        [*_region_people(stage), *_admins()],
        action="stage.decided",
        subject=gettext_lazy("Decision: %(region)s, %(stage)s"),
        body=gettext_lazy(
            "The %(stage)s of %(region)s is decided: %(decision)s. %(summary)s"
        ),
        params={**_params(stage), "decision": decision.label, "summary": summary},
    )
    return stage


register_actions({"stage.decision_changed": gettext_lazy("changed the decision")})


@transaction.atomic
def change_decision(stage, *, actor, decision, note):
    """Replace the decision of a decided stage, after an upheld appeal changed it.

    The caller (the appeal's handler) is checked by the appeals app; this
    function only refuses a stage that is not decided or a decision that is
    the same as the current one.

    Side effects: the decision, summary, decider and time on the stage; an
    audit event naming the old and new decision; a notification to the region
    and the admins.
    """
    stage = lock(stage)
    _require_state(stage, [StageState.DECIDED])
    decision = Decision(decision)
    if decision == stage.decision:
        raise WorkflowError(_("The new decision is the same as the current one."))
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Write why the decision changes."))

    old = Decision(stage.decision)
    stage.decision = decision
    stage.summary = note
    stage.decided_by = actor
    stage.decided_at = timezone.now()
    stage.save(update_fields=["decision", "summary", "decided_by", "decided_at"])
    record(
        actor=actor,
        action="stage.decision_changed",
        obj=stage,
        note=f"{old.label} → {decision.label}: {note}",
        data={"from": old.value, "to": decision.value},
    )
    notify(
        [*_region_people(stage), *_admins()],
        action="stage.decision_changed",
        subject=gettext_lazy("Decision changed: %(region)s, %(stage)s"),
        body=gettext_lazy("The %(stage)s of %(region)s is now: %(decision)s. %(note)s"),
        params={**_params(stage), "decision": decision.label, "note": note},
    )
    return stage
