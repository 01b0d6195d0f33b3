"""State changes of both trainings: one function each, used by every caller.

Sessions are locked (``select_for_update``) by every change that counts or
moves places, so the count of places taken and the waiting list stay right when
two people enrol or withdraw at the same moment. The lock order is always the
session first, then the enrolment.
"""

import calendar
import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role, User
from kotacerdas.certificates.models import CertificateKind
from kotacerdas.certificates.services import issue_certificate
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.uploads import store_upload
from kotacerdas.common.workflow import WorkflowError, change_state, lock, require
from kotacerdas.training.models import (
    Attendance,
    Enrolment,
    EnrolmentState,
    ReadinessTrainingRecord,
    RecordState,
    Referral,
    ReferralState,
    Session,
)

logger = logging.getLogger(__name__)

register_actions(
    {
        "training.readiness_recorded": gettext_lazy(
            "recorded a Smart City Readiness training"
        ),
        "training.readiness_verified": gettext_lazy("verified the training record"),
        "training.readiness_rejected": gettext_lazy("rejected the training record"),
        "training.referral_requested": gettext_lazy("asked the institute for help"),
        "training.referral_sent": gettext_lazy("sent the referral to the ministry"),
        "training.referral_enrolled": gettext_lazy(
            "recorded the enrolment in the ministry's training"
        ),
        "training.referral_completed": gettext_lazy(
            "recorded the completion of the ministry's training"
        ),
        "training.referral_cancelled": gettext_lazy("cancelled the referral"),
        "training.enrolled": gettext_lazy("enrolled in the session"),
        "training.waitlisted": gettext_lazy("put on the waiting list"),
        "training.promoted": gettext_lazy("moved up from the waiting list"),
        "training.withdrawn": gettext_lazy("withdrew from the session"),
        "training.attendance_recorded": gettext_lazy("recorded attendance"),
        "training.completed": gettext_lazy("marked the training completed"),
        "training.places_filled": gettext_lazy("filled free places"),
    }
)

E = EnrolmentState


def _admins():
    return list(User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct())


def _people(*users):
    """Distinct users, in order, without ``None``."""
    seen = {}
    for user in users:
        if user is not None and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason; the person concerned will read it."))
    return reason


# Readiness training (step 1a) ---------------------------------------------------


@transaction.atomic
def record_readiness_training(
    *, actor, user, provider, completed_on, certificate_number, uploaded
):
    """Record that ``user`` completed the ministry's training, with evidence.

    ``uploaded`` is a file accepted by ``PrivateFileField``. Side effects: the
    file in private storage (in the member's region), a pending record, an audit
    event and a notification to the admins, who verify it.
    """
    require(actor, "training.record_readiness", user)
    if completed_on > timezone.localdate():
        raise WorkflowError(_("The date of the training cannot be in the future."))

    stored = store_upload(uploaded, user=actor, region=user.region)
    training_record = ReadinessTrainingRecord.objects.create(
        user=user,
        provider=provider.strip(),
        completed_on=completed_on,
        certificate_number=certificate_number.strip(),
        certificate=stored,
        recorded_by=actor,
    )
    record(
        actor=actor,
        action="training.readiness_recorded",
        obj=training_record,
        to_state=training_record.state,
        note=training_record.certificate_number,
    )
    notify(
        _admins(),
        action="training.readiness_recorded",
        subject=gettext_lazy("Readiness training to verify: %(name)s"),
        body=gettext_lazy(
            "%(name)s (%(region)s) recorded the Smart City Readiness training of "
            "%(date)s, certificate %(number)s. Please verify it."
        ),
        params={
            "name": user.full_name,
            "region": user.region,
            "date": formats.date_format(completed_on, "j F Y"),
            "number": training_record.certificate_number,
        },
        url=reverse("training:readiness_detail", args=[training_record.pk]),
    )
    return training_record


def _decide_readiness(training_record, transition_name, *, actor, action, **kwargs):
    with transaction.atomic():
        training_record = lock(training_record)
        require(actor, "training.decide_readiness", training_record)
        training_record.decided_by = actor
        change_state(
            training_record,
            transition_name,
            actor=actor,
            action=action,
            note=kwargs.get("reason", ""),
            **kwargs,
        )
        member = training_record.user
        if training_record.state == RecordState.VERIFIED:
            subject = gettext_lazy("Your readiness training is verified")
            body = gettext_lazy(
                "The institute verified the Smart City Readiness training of "
                "%(name)s (certificate %(number)s)."
            )
        else:
            subject = gettext_lazy("Your readiness training record was rejected")
            body = gettext_lazy(
                "The institute could not accept the Smart City Readiness training "
                "record of %(name)s (certificate %(number)s). Reason: %(reason)s"
            )
        notify(
            _people(member, training_record.recorded_by),
            action=action,
            subject=subject,
            body=body,
            params={
                "name": member.full_name,
                "number": training_record.certificate_number,
                "reason": training_record.reason,
            },
            url=reverse("training:readiness_detail", args=[training_record.pk]),
        )
    return training_record


def verify_readiness_record(training_record, *, actor):
    """Accept a pending record. Side effects: the state, an audit event and a
    notification to the member and whoever recorded it."""
    return _decide_readiness(
        training_record, "verify", actor=actor, action="training.readiness_verified"
    )


def reject_readiness_record(training_record, *, actor, reason):
    """Refuse a pending record with a reason. Side effects as for verifying; the
    member may record the training again."""
    reason = _require_reason(reason)
    return _decide_readiness(
        training_record,
        "reject",
        actor=actor,
        action="training.readiness_rejected",
        reason=reason,
    )


@transaction.atomic
def request_referral(*, actor, user, note=""):
    """Ask the institute to enrol ``user`` in the ministry's training.

    Side effects: a referral in ``requested``, an audit event and a notification
    to the admins. Refused when the member already has a verified training or an
    open referral.
    """
    require(actor, "training.request_referral", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.readiness_records.filter(state=RecordState.VERIFIED).exists():
        raise WorkflowError(
            _("%(name)s already has a verified Smart City Readiness training.")
            % {"name": user.full_name}
        )
    if user.referrals.filter(state__in=ReferralState.open()).exists():
        raise WorkflowError(
            _("The institute is already working on a referral for %(name)s.")
            % {"name": user.full_name}
        )

    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                user=user, requested_by=actor, note=(note or "").strip()
            )
    except IntegrityError:
        raise WorkflowError(
            _("The institute is already working on a referral for %(name)s.")
            % {"name": user.full_name}
        ) from None
    record(
        actor=actor,
        action="training.referral_requested",
        obj=referral,
        to_state=referral.state,
        note=referral.note,
    )
    notify(
        _admins(),
        action="training.referral_requested",
        subject=gettext_lazy("Referral to the ministry requested: %(name)s"),
        body=gettext_lazy(
            "%(region)s asks the institute to enrol %(name)s in the ministry's "
            "Smart City Readiness training."
        ),
        params={"name": user.full_name, "region": user.region},
        url=reverse("training:referral_detail", args=[referral.pk]),
    )
    return referral


_REFERRAL_STEPS = {
    "send": (
        "training.referral_sent",
        gettext_lazy("Referral sent to the ministry: %(name)s"),
        gettext_lazy(
            "The institute has sent the enrolment of %(name)s to the ministry's "
            "Smart City Readiness training."
        ),
    ),
    "enrol": (
        "training.referral_enrolled",
        gettext_lazy("Enrolled in the ministry's training: %(name)s"),
        gettext_lazy(
            "%(name)s is enrolled in the ministry's Smart City Readiness training."
        ),
    ),
    "complete": (
        "training.referral_completed",
        gettext_lazy("Ministry training completed: %(name)s"),
        gettext_lazy(
            "%(name)s has completed the ministry's Smart City Readiness training. "
            "Record the ministry's certificate so that the institute can verify it."
        ),
    ),
    "cancel": (
        "training.referral_cancelled",
        gettext_lazy("Referral cancelled: %(name)s"),
        gettext_lazy(
            "The referral of %(name)s to the ministry's training was cancelled. "
            "Reason: %(reason)s"
        ),
    ),
}


def _move_referral(referral, transition_name, *, actor, **kwargs):
    action, subject, body = _REFERRAL_STEPS[transition_name]
    with transaction.atomic():
        referral = lock(referral)
        require(actor, "training.manage_referral", referral)
        change_state(
            referral,
            transition_name,
            actor=actor,
            action=action,
            note=kwargs.get("reason", ""),
            **kwargs,
        )
        notify(
            _people(referral.user, referral.requested_by),
            action=action,
            subject=subject,
            body=body,
            params={"name": referral.user.full_name, "reason": referral.reason},
            url=reverse("training:referral_detail", args=[referral.pk]),
        )
    return referral


def send_referral(referral, *, actor):
    """requested → sent. Side effects: the state, an audit event, a notification
    to the member and the requester."""
    return _move_referral(referral, "send", actor=actor)


def mark_referral_enrolled(referral, *, actor):
    """sent → enrolled. Side effects as for ``send_referral``."""
    return _move_referral(referral, "enrol", actor=actor)


def complete_referral(referral, *, actor):
    """enrolled → completed. Side effects as for ``send_referral``; the member
    is asked to record the ministry's certificate."""
    return _move_referral(referral, "complete", actor=actor)


def cancel_referral(referral, *, actor, reason):
    """Any open state → cancelled, with a reason. Side effects as for
    ``send_referral``."""
    reason = _require_reason(reason)
    return _move_referral(referral, "cancel", actor=actor, reason=reason)


# Indicator training (step 1b) ---------------------------------------------------


def _lock_session(session):
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=session.pk)
    )


def places_taken(session):
    return Enrolment.objects.filter(
        session=session, state__in=EnrolmentState.holding_a_place()
    ).count()


def _session_url(session):
    return reverse("training:session_detail", args=[session.pk])


def _session_params(session):
    """Message parameters that render in each recipient's own language."""
    return {
        "programme": lazy_str(lambda: session.programme.name)(),
        "session": session.title,
        "dates": lazy_str(
            lambda: format_date_range(session.starts_on, session.ends_on)
        )(),
    }


def lazy_str(function):
    return lazy(function, str)


def _check_enrolment_possible(session, actor):
    today = timezone.localdate()
    if actor.has_role(Role.ADMIN):
        if session.ends_on < today:
            raise WorkflowError(_("This session has ended."))
        return
    if not session.enrolment_open:
        raise WorkflowError(_("Enrolment for this session is closed."))
    if session.starts_on < today:
        raise WorkflowError(
            _("This session has started; ask the institute to enrol you.")
        )


@transaction.atomic
def enrol(session, user, *, actor):
    """Give ``user`` a place in ``session``, or the next place on its waiting list.

    Side effects: locks the session, writes the enrolment, an audit event and a
    notification to the participant. Refused when enrolment is closed or the
    person already holds a place or waits for one.
    """
    session = _lock_session(session)
    require(actor, "training.enrol_user", user)
    _check_enrolment_possible(session, actor)
    if (
        Enrolment.objects.filter(session=session, user=user)
        .exclude(state=E.WITHDRAWN)
        .exists()
    ):
        raise WorkflowError(
            _("%(name)s is already enrolled in this session or on its waiting list.")
            % {"name": user.full_name}
        )

    if places_taken(session) < session.capacity:
        enrolment = Enrolment(session=session, user=user, enrolled_by=actor)
        action = "training.enrolled"
        subject = gettext_lazy("Enrolled: %(programme)s, %(session)s")
        body = gettext_lazy(
            "%(name)s has a place in %(programme)s, %(session)s (%(dates)s)."
        )
    else:
        last = Enrolment.objects.filter(session=session, state=E.WAITLISTED).aggregate(
            last=Max("waitlist_position")
        )["last"]
        enrolment = Enrolment(
            session=session,
            user=user,
            enrolled_by=actor,
            state=E.WAITLISTED,
            waitlist_position=(last or 0) + 1,
        )
        action = "training.waitlisted"
        subject = gettext_lazy("On the waiting list: %(programme)s, %(session)s")
        body = gettext_lazy(
            "%(programme)s, %(session)s (%(dates)s) is full. %(name)s is on the "
            "waiting list and moves up when someone withdraws."
        )
    enrolment.save()
    record(actor=actor, action=action, obj=enrolment, to_state=enrolment.state)
    notify(
        [user],
        action=action,
        subject=subject,
        body=body,
        params={"name": user.full_name, **_session_params(session)},
        url=_session_url(session),
    )
    return enrolment


def _fill_free_places(session, *, actor):
    """Promote the first people of the waiting list into free places.

    The caller holds the session's lock. Returns the promoted enrolments.
    """
    free = session.capacity - places_taken(session)
    if free <= 0:
        return []
    waiting = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(session=session, state=E.WAITLISTED)
        .select_related("user")
        .order_by("waitlist_position", "created_at", "id")[:free]
    )
    for enrolment in waiting:
        change_state(enrolment, "promote", actor=actor, action="training.promoted")
        notify(
            [enrolment.user],
            action="training.promoted",
            subject=gettext_lazy("You have a place: %(programme)s, %(session)s"),
            body=gettext_lazy(
                "A place became free and %(name)s moved up from the waiting list "
                "of %(programme)s, %(session)s (%(dates)s)."
            ),
            params={"name": enrolment.user.full_name, **_session_params(session)},
            url=_session_url(session),
        )
    return waiting


@transaction.atomic
def withdraw(enrolment, *, actor):
    """Give up a place or a place on the waiting list.

    Side effects: locks the session, then the enrolment; the state, an audit
    event, a notification to the participant and, when a place became free, the
    promotion of the first person waiting (with their own event and message).
    Returns the enrolments promoted.
    """
    session = _lock_session(Session(pk=enrolment.session_id))
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=enrolment.pk)
    )
    require(actor, "training.withdraw_enrolment", enrolment)
    held_a_place = enrolment.state == E.ENROLLED
    change_state(enrolment, "withdraw", actor=actor, action="training.withdrawn")
    notify(
        [enrolment.user],
        action="training.withdrawn",
        subject=gettext_lazy("Withdrawn: %(programme)s, %(session)s"),
        body=gettext_lazy(
            "%(name)s no longer takes part in %(programme)s, %(session)s (%(dates)s)."
        ),
        params={"name": enrolment.user.full_name, **_session_params(session)},
        url=_session_url(session),
    )
    return _fill_free_places(session, actor=actor) if held_a_place else []


@transaction.atomic
def fill_free_places(session, *, actor):
    """After the admin raised the capacity: move people up from the waiting list.

    Side effects: as for the promotion in ``withdraw``, and an audit event on
    the session when anyone moved up.
    """
    session = _lock_session(session)
    promoted = _fill_free_places(session, actor=actor)
    if promoted:
        record(
            actor=actor,
            action="training.places_filled",
            obj=session,
            note=", ".join(e.user.full_name for e in promoted),
        )
    return promoted


@transaction.atomic
def record_attendance(session, day, present_ids, *, actor):
    """Record who was there on ``day``: the enrolled people in ``present_ids``
    were present, every other enrolled person was absent.

    People who withdrew or completed since the page was loaded are left alone.
    Side effects: locks the session, writes one Attendance row per enrolled
    person for the day (replacing an earlier entry) and one audit event.
    """
    session = _lock_session(session)
    require(actor, "training.run_session", session)
    if day not in session.days:
        raise WorkflowError(
            _("%(day)s is not a day of this session.")
            % {"day": formats.date_format(day, "j F Y")}
        )
    if day > timezone.localdate():
        raise WorkflowError(_("Attendance can be recorded once the day has come."))

    present_ids = {int(pk) for pk in present_ids}
    enrolments = list(session.enrolments.filter(state=E.ENROLLED))
    existing = {
        row.enrolment_id: row
        for row in Attendance.objects.filter(enrolment__in=enrolments, day=day)
    }
    now = timezone.now()
    new_rows, changed = [], []
    for enrolment in enrolments:
        present = enrolment.pk in present_ids
        row = existing.get(enrolment.pk)
        if row is None:
            new_rows.append(
                Attendance(
                    enrolment=enrolment,
                    day=day,
                    present=present,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        else:
            row.present, row.recorded_by, row.recorded_at = present, actor, now
            changed.append(row)
    Attendance.objects.bulk_create(new_rows)
    Attendance.objects.bulk_update(changed, ["present", "recorded_by", "recorded_at"])

    count = sum(1 for e in enrolments if e.pk in present_ids)
    record(
        actor=actor,
        action="training.attendance_recorded",
        obj=session,
        note=_("%(day)s: %(present)s of %(total)s present")
        % {
            "day": formats.date_format(day, "j F Y"),
            "present": count,
            "total": len(enrolments),
        },
        data={"day": day.isoformat(), "present": sorted(present_ids)},
    )
    return count


def days_present(session):
    """``{enrolment_id: number of days present}`` for the session, one query."""
    counts = {}
    for enrolment_id in Attendance.objects.filter(
        enrolment__session=session, present=True, day__in=session.days
    ).values_list("enrolment_id", flat=True):
        counts[enrolment_id] = counts.get(enrolment_id, 0) + 1
    return counts


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def format_date_range(start, end, language=None):
    """“3–5 Desember 2026”, “30 November – 2 Desember 2026”, in ``language``."""
    with translation.override(language or translation.get_language()):
        if start == end:
            return formats.date_format(start, "j F Y")
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{formats.date_format(end, 'j F Y')}"
        if start.year == end.year:
            return (
                f"{formats.date_format(start, 'j F')} – "
                f"{formats.date_format(end, 'j F Y')}"
            )
        return (
            f"{formats.date_format(start, 'j F Y')} – "
            f"{formats.date_format(end, 'j F Y')}"
        )


def _certificate_content(enrolment, present, total):
    session = enrolment.session
    programme = session.programme
    title, summary, items = {}, {}, []
    attended = {}
    for language in ("id", "en"):
        with translation.override(language):
            name = programme.name_en if language == "en" else programme.name_id
            title[language] = _("Training certificate")
            summary[language] = _(
                "has completed the training “%(programme)s”, %(session)s, held "
                "%(dates)s."
            ) % {
                "programme": name,
                "session": session.title,
                "dates": format_date_range(session.starts_on, session.ends_on),
            }
            attended[language] = _("Attended %(present)s of %(total)s days.") % {
                "present": present,
                "total": total,
            }
    items.append(attended)
    scope = {
        "summary": summary,
        "items": items,
        "data": {
            "programme": programme.pk,
            "session": session.pk,
            "starts_on": session.starts_on.isoformat(),
            "ends_on": session.ends_on.isoformat(),
            "days_present": present,
            "days_total": total,
        },
    }
    return title, scope


@transaction.atomic
def complete_enrolment(enrolment, *, actor):
    """Mark an enrolled participant as having completed the training, by the
    programme's rule, and give the training certificate.

    Side effects: the state, an audit event, a certificate (number
    ``TRN-<year>-<n>``, its PDF produced after commit) and a notification to the
    participant. Refused when the attendance does not meet the rule.
    """
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("session__programme", "user__region")
        .get(pk=enrolment.pk)
    )
    session = enrolment.session
    require(actor, "training.run_session", session)
    total = len(session.days)
    present = Attendance.objects.filter(
        enrolment=enrolment, present=True, day__in=session.days
    ).count()
    needed = session.programme.days_needed(total)
    if enrolment.state == E.ENROLLED and present < needed:
        raise WorkflowError(
            _(
                "%(name)s attended %(present)s of %(total)s days; the programme "
                "needs %(needed)s."
            )
            % {
                "name": enrolment.user.full_name,
                "present": present,
                "total": total,
                "needed": needed,
            }
        )
    change_state(enrolment, "complete", actor=actor, action="training.completed")

    title, scope = _certificate_content(enrolment, present, total)
    months = session.programme.certificate_valid_months
    certificate = issue_certificate(
        CertificateKind.TRAINING,
        actor=actor,
        holder_user=enrolment.user,
        region=enrolment.user.region,
        holder_name=enrolment.user.full_name,
        title=title,
        scope=scope,
        valid_until=add_months(timezone.localdate(), months) if months else None,
    )
    enrolment.certificate = certificate
    enrolment.save(update_fields=["certificate"])
    notify(
        [enrolment.user],
        action="training.completed",
        subject=gettext_lazy("Training completed: %(programme)s"),
        body=gettext_lazy(
            "%(name)s has completed %(programme)s, %(session)s (%(dates)s). The "
            "training certificate is %(number)s."
        ),
        params={
            "name": enrolment.user.full_name,
            "number": certificate.number,
            **_session_params(session),
        },
        url=reverse("certificates:verify", args=[certificate.number]),
    )
    return enrolment


def complete_enrolments(session, enrolment_ids, *, actor):
    """Complete several participants, each on its own; one refusal does not
    undo the others. Returns ``(completed, refusals)``."""
    completed, refusals = [], []
    for enrolment in Enrolment.objects.filter(session=session, pk__in=enrolment_ids):
        try:
            completed.append(complete_enrolment(enrolment, actor=actor))
        except WorkflowError as error:
            refusals.append(error.message)
    return completed, refusals
