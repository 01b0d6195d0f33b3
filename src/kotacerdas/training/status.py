"""Both training statuses of team members, for the team page, the registration
and its submission check (SPEC §4.3).

Each status is a code (what the rules test) with a translated label (what
people read). Any number of users costs three queries.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kotacerdas.training.models import (
    Enrolment,
    EnrolmentState,
    ReadinessTrainingRecord,
    RecordState,
    Referral,
    ReferralState,
)

READINESS_LABELS = {
    "verified": _("verified"),
    "pending": _("awaiting verification"),
    "referral_requested": _("referral requested"),
    "referral_sent": _("referral sent to the ministry"),
    "referral_enrolled": _("enrolled by the ministry"),
    "referral_completed": _("ministry training completed, certificate not recorded"),
    "rejected": _("record rejected"),
    "none": _("none"),
}
INDICATOR_LABELS = {
    "completed": _("completed"),
    "enrolled": _("enrolled"),
    "waitlisted": _("on the waiting list"),
    "none": _("none"),
}

# Best first: a member with a verified record and a rejected one is verified.
_READINESS_ORDER = list(READINESS_LABELS)
_INDICATOR_ORDER = list(INDICATOR_LABELS)


def _best(codes, order):
    return min(codes, key=order.index) if codes else "none"


def training_status_codes(users):
    """``{user_id: {"readiness": code, "indicator": code}}`` in three queries."""
    ids = [user.pk for user in users]
    if not ids:
        return {}
    readiness = {pk: set() for pk in ids}
    indicator = {pk: set() for pk in ids}

    for user_id, state in ReadinessTrainingRecord.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "state"):
        readiness[user_id].add(
            {RecordState.VERIFIED: "verified", RecordState.PENDING: "pending"}.get(
                state, "rejected"
            )
        )
    for user_id, state in (
        Referral.objects.filter(user_id__in=ids)
        .exclude(state=ReferralState.CANCELLED)
        .values_list("user_id", "state")
    ):
        readiness[user_id].add(f"referral_{state}")
    for user_id, state in (
        Enrolment.objects.filter(user_id__in=ids)
        .exclude(state=EnrolmentState.WITHDRAWN)
        .values_list("user_id", "state")
    ):
        indicator[user_id].add(state)

    return {
        pk: {
            "readiness": _best(readiness[pk], _READINESS_ORDER),
            "indicator": _best(indicator[pk], _INDICATOR_ORDER),
        }
        for pk in ids
    }


def training_statuses(users):
    """The provider for ``registrations.team``: the same, as translated labels."""
    return {
        pk: {
            "readiness": READINESS_LABELS[codes["readiness"]],
            "indicator": INDICATOR_LABELS[codes["indicator"]],
        }
        for pk, codes in training_status_codes(list(users)).items()
    }


def check_team_trainings(registration):
    """The methodology's ``registration.training`` rules for each team member.

    ``required`` blocks the submission and ``warn`` only warns; any other value
    (or none) means the training is not checked. Returns ``(blocking,
    warnings)``.
    """
    rules = registration.methodology.document.get("registration", {}).get(
        "training", {}
    )
    team = list(registration.team.order_by("full_name"))
    codes = training_status_codes(team)
    blocking, warnings = [], []
    for member in team:
        problems = []
        if codes[member.pk]["readiness"] != "verified":
            problems.append(
                (
                    rules.get("readiness"),
                    gettext(
                        "%(name)s has no verified Smart City Readiness training "
                        "(step 1a)."
                    ),
                )
            )
        if codes[member.pk]["indicator"] != "completed":
            problems.append(
                (
                    rules.get("indicator"),
                    gettext(
                        "%(name)s has not completed the smart city indicator "
                        "training (step 1b)."
                    ),
                )
            )
        for rule, message in problems:
            text = message % {"name": member.full_name}
            if rule == "required":
                blocking.append(text)
            elif rule == "warn":
                warnings.append(text)
    return blocking, warnings
