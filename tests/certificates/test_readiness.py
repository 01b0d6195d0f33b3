"""The readiness certificate of a passed stage: who, when, what it says."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation

from kotacerdas.assessments import services as stage_services
from kotacerdas.assessments.models import StageState
from kotacerdas.certificates.models import Certificate, CertificateKind
from kotacerdas.certificates.readiness import (
    default_valid_until,
    issue_readiness_certificate,
    stages_awaiting_certificate,
)
from kotacerdas.certificates.services import revoke_certificate
from kotacerdas.common.models import AuditEvent, Notification
from kotacerdas.common.workflow import WorkflowError
from tests.assessments.factories import (
    CODES,
    points_for_all,
    score_and_submit,
    stage_in,
)

pytestmark = pytest.mark.django_db

S = StageState


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched in English, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def passed():
    return stage_in(S.DECIDED)


def not_passed_world():
    """A decided stage where every criterion got 0 points: not passed."""
    w = stage_in(S.UNDER_REVIEW, scored=False)
    for assessor in w.assessors:
        score_and_submit(w, assessor, points_for_all(w, dict.fromkeys(CODES, 0)))
    stage_services.complete_assessment(w.stage, actor=w.lead)
    stage_services.decide_stage(w.stage, actor=w.lead, summary="Belum siap.")
    w.refresh()
    return w


def test_issuing_gives_the_first_scr_number_of_the_year(passed):
    certificate = issue_readiness_certificate(passed.stage, actor=passed.admin)

    year = certificate.issued_at.year
    assert (certificate.kind, certificate.number) == (
        CertificateKind.READINESS,
        f"SCR-{year}-0001",
    )


def test_certificate_names_the_region_the_stage_and_its_methodology(passed):
    certificate = issue_readiness_certificate(passed.stage, actor=passed.admin)

    region = passed.registration.region
    assert (
        certificate.region_id,
        certificate.holder_name,
        certificate.holder_user_id,
        certificate.stage_id,
        certificate.methodology_id,
    ) == (region.pk, region.official_name, None, passed.stage.pk, 1)


def test_scope_lists_every_ready_indicator_with_clause_and_title(passed):
    certificate = issue_readiness_certificate(passed.stage, actor=passed.admin)

    assert certificate.scope["items"] == [
        {
            "id": f"{indicator.clause} {indicator.title_id}",
            "en": f"{indicator.clause} {indicator.title_en}",
        }
        for indicator in passed.indicators
    ]
    assert certificate.scope["data"]["ready"] == [i.clause for i in passed.indicators]


def test_validity_defaults_to_the_end_of_the_next_period(passed):
    certificate = issue_readiness_certificate(passed.stage, actor=passed.admin)

    period = passed.registration.period
    assert certificate.valid_until == datetime.date(period + 1, 12, 31)
    assert default_valid_until(passed.stage) == datetime.date(period + 1, 12, 31)


def test_the_admin_may_choose_another_validity(passed):
    until = datetime.date(passed.registration.period + 2, 6, 30)

    certificate = issue_readiness_certificate(
        passed.stage, actor=passed.admin, valid_until=until
    )

    assert certificate.valid_until == until


def test_a_validity_before_the_period_is_refused(passed):
    until = datetime.date(passed.registration.period - 1, 12, 31)

    with pytest.raises(WorkflowError, match="after the start"):
        issue_readiness_certificate(passed.stage, actor=passed.admin, valid_until=until)


@pytest.mark.parametrize(
    "state",
    [
        S.NOT_OPEN,
        S.OPEN,
        S.SUBMITTED,
        S.UNDER_REVIEW,
        S.CLARIFICATION_REQUESTED,
        S.RESUBMITTED,
        S.ASSESSED,
    ],
)
def test_a_stage_not_yet_decided_is_refused(state):
    w = stage_in(state)

    with pytest.raises(WorkflowError, match="no “passed” decision"):
        issue_readiness_certificate(w.stage, actor=w.admin)
    assert Certificate.objects.count() == 0


def test_a_stage_decided_not_passed_is_refused():
    w = not_passed_world()

    with pytest.raises(WorkflowError, match="no “passed” decision"):
        issue_readiness_certificate(w.stage, actor=w.admin)
    assert Certificate.objects.count() == 0


def test_a_stage_already_certified_is_refused(passed):
    first = issue_readiness_certificate(passed.stage, actor=passed.admin)

    with pytest.raises(WorkflowError, match=f"already has the certificate {first}"):
        issue_readiness_certificate(passed.stage, actor=passed.admin)
    assert Certificate.objects.count() == 1


def test_after_a_revocation_the_stage_may_get_a_new_number(passed):
    first = issue_readiness_certificate(passed.stage, actor=passed.admin)
    revoke_certificate(first, actor=passed.admin, reason="Banding dikabulkan.")

    second = issue_readiness_certificate(passed.stage, actor=passed.admin)

    assert second.number == first.number[:-4] + "0002"


def test_the_database_refuses_two_live_certificates_for_one_stage(passed):
    first = issue_readiness_certificate(passed.stage, actor=passed.admin)

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            kind=CertificateKind.READINESS,
            number="SCR-1999-0001",
            year=1999,
            sequence=1,
            holder_name=first.holder_name,
            stage=passed.stage,
        )


@pytest.mark.parametrize("who", ["coordinator", "member_a", "lead", "outsider"])
def test_only_the_admin_issues(passed, who):
    with pytest.raises(PermissionDenied):
        issue_readiness_certificate(passed.stage, actor=getattr(passed, who))
    assert Certificate.objects.count() == 0


def test_issuing_is_recorded_on_the_stage(passed):
    certificate = issue_readiness_certificate(passed.stage, actor=passed.admin)

    event = AuditEvent.objects.filter(action="stage.certified").get()
    assert (event.object_id, event.note, event.actor_id) == (
        str(passed.stage.pk),
        certificate.number,
        passed.admin.pk,
    )


def test_coordinator_and_team_are_told(passed):
    issue_readiness_certificate(passed.stage, actor=passed.admin)

    recipients = set(
        Notification.objects.filter(action="stage.certified").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {
        passed.coordinator.pk,
        passed.member_a.pk,
        passed.member_b.pk,
    }


def test_the_list_to_issue_holds_a_passed_stage_until_it_is_certified(passed):
    before = list(stages_awaiting_certificate())
    issue_readiness_certificate(passed.stage, actor=passed.admin)
    after = list(stages_awaiting_certificate())

    assert (before, after) == ([passed.stage], [])


def test_a_revoked_certificate_puts_the_stage_back_on_the_list(passed):
    certificate = issue_readiness_certificate(passed.stage, actor=passed.admin)

    revoke_certificate(certificate, actor=passed.admin, reason="Keliru.")

    assert list(stages_awaiting_certificate()) == [passed.stage]


def test_a_stage_not_passed_is_not_on_the_list():
    not_passed_world()

    assert list(stages_awaiting_certificate()) == []
