"""Both training statuses of team members, and the registration's check."""

from datetime import date

import pytest
from django.utils import translation

from kotacerdas.indicators.services import current_methodology
from kotacerdas.registrations import checklist, team
from kotacerdas.training.services import (
    complete_enrolment,
    enrol,
    mark_referral_enrolled,
    record_attendance,
    record_readiness_training,
    reject_readiness_record,
    request_referral,
    send_referral,
    verify_readiness_record,
)
from kotacerdas.training.status import (
    check_team_trainings,
    training_status_codes,
    training_statuses,
)
from tests.training import factories
from tests.training.factories import SessionFactory, pdf_upload, running_session

pytestmark = pytest.mark.django_db


def _record(user, actor=None):
    return record_readiness_training(
        actor=actor or user,
        user=user,
        provider="Litbang Kemkominfo",
        completed_on=date(2026, 2, 2),
        certificate_number="SCR-9",
        uploaded=pdf_upload(),
    )


def _completed(user, admin):
    session = running_session(capacity=5)
    enrolment = enrol(session, user, actor=admin)
    for day in session.days:
        record_attendance(session, day, [enrolment.pk], actor=admin)
    return complete_enrolment(enrolment, actor=admin)


def test_a_member_without_anything_has_no_training(member):
    assert training_status_codes([member]) == {
        member.pk: {"readiness": "none", "indicator": "none"}
    }


def test_readiness_status_follows_the_record(member, admin):
    pending = _record(member)
    assert training_status_codes([member])[member.pk]["readiness"] == "pending"

    reject_readiness_record(pending, actor=admin, reason="Buram.")
    assert training_status_codes([member])[member.pk]["readiness"] == "rejected"

    verify_readiness_record(_record(member), actor=admin)
    assert training_status_codes([member])[member.pk]["readiness"] == "verified"


def test_a_referral_shows_its_step(member, coordinator, admin):
    referral = request_referral(actor=coordinator, user=member)
    send_referral(referral, actor=admin)
    mark_referral_enrolled(referral, actor=admin)

    assert training_status_codes([member])[member.pk]["readiness"] == (
        "referral_enrolled"
    )


def test_a_pending_record_outranks_a_referral(member, coordinator):
    request_referral(actor=coordinator, user=member)
    _record(member)

    assert training_status_codes([member])[member.pk]["readiness"] == "pending"


@pytest.mark.parametrize("full", [False, True])
def test_indicator_status_follows_the_enrolment(member, coordinator, full):
    session = SessionFactory(capacity=1)
    if full:
        enrol(session, coordinator, actor=coordinator)

    enrol(session, member, actor=member)

    expected = "waitlisted" if full else "enrolled"
    assert training_status_codes([member])[member.pk]["indicator"] == expected


def test_a_completed_training_outranks_a_later_enrolment(member, admin):
    _completed(member, admin)
    enrol(SessionFactory(), member, actor=admin)

    assert training_status_codes([member])[member.pk]["indicator"] == "completed"


def test_labels_are_translated(member):
    with translation.override("en"):
        labels = {k: str(v) for k, v in training_statuses([member])[member.pk].items()}

    assert labels == {
        "readiness": "none",
        "indicator": "none",
    }


def test_no_users_cost_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert training_status_codes([]) == {}


def test_statuses_take_three_queries_for_one_user(member, django_assert_num_queries):
    _record(member)

    with django_assert_num_queries(3):
        training_status_codes([member])


def test_statuses_take_three_queries_for_many_users(
    member, coordinator, admin, django_assert_num_queries
):
    users = [member, coordinator] + [factories.member() for _ in range(5)]
    for user in users:
        _record(user, actor=coordinator)
    enrol(SessionFactory(), member, actor=member)

    with django_assert_num_queries(3):
        codes = training_status_codes(users)

    assert len(codes) == 7


def test_the_provider_is_registered_with_the_registration_team():
    assert training_statuses in team.TRAINING_STATUS_PROVIDERS


def test_the_check_is_registered_with_the_submission_checklist():
    assert check_team_trainings in checklist.SUBMISSION_CHECKS


class _Registration:
    """The two things the check reads from a registration."""

    def __init__(self, team_members, training_rules):
        from kotacerdas.accounts.models import User

        self.methodology = current_methodology()
        self.methodology.document = {
            **self.methodology.document,
            "registration": {
                **self.methodology.document["registration"],
                "training": training_rules,
            },
        }
        self.team = User.objects.filter(pk__in=[u.pk for u in team_members])


def test_the_default_methodology_requires_indicator_and_warns_on_readiness(member):
    rules = current_methodology().document["registration"]["training"]

    assert rules == {"readiness": "warn", "indicator": "required"}


def test_a_required_training_blocks_naming_the_member(member):
    registration = _Registration(
        [member], {"readiness": "warn", "indicator": "required"}
    )

    with translation.override("en"):
        blocking, warnings = check_team_trainings(registration)

    assert blocking == [
        "Yusuf Hidayat has not completed the smart city indicator training (step 1b)."
    ]
    assert warnings == [
        "Yusuf Hidayat has no verified Smart City Readiness training (step 1a)."
    ]


def test_a_member_with_both_trainings_passes(member, admin):
    verify_readiness_record(_record(member), actor=admin)
    _completed(member, admin)
    registration = _Registration(
        [member], {"readiness": "required", "indicator": "required"}
    )

    assert check_team_trainings(registration) == ([], [])


def test_a_training_the_methodology_does_not_name_is_not_checked(member):
    registration = _Registration([member], {"indicator": "off"})

    assert check_team_trainings(registration) == ([], [])


def test_the_registration_cannot_be_submitted_without_the_indicator_training(
    coordinator,
):
    from tests.registrations.factories import complete_draft

    registration = complete_draft(coordinator)

    with translation.override("en"):
        blocking, warnings = checklist.submission_problems(registration)

    assert (
        "Sri Handayani has not completed the smart city indicator training (step 1b)."
        in blocking
    )
    assert (
        "Sri Handayani has no verified Smart City Readiness training (step 1a)."
        in warnings
    )
