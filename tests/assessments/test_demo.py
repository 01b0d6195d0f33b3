"""The demo readiness stages: one region at each moment, made once.

The maturity demo (tests/maturity/test_demo.py) walks five more regions through
both stages; these tests look at the four regions of the readiness demo.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from kotacerdas.accounts.models import User
from kotacerdas.assessments.models import (
    AssessorScore,
    Clarification,
    ReadinessAnswer,
    StageRecord,
)
from kotacerdas.certificates.models import Certificate
from kotacerdas.common.models import AuditEvent
from kotacerdas.registrations.models import Registration

pytestmark = pytest.mark.django_db

READINESS_DEMO = ["33.72", "51.71", "35.78", "64.71"]


def _readiness_stages():
    return StageRecord.objects.filter(
        stage="readiness", registration__region__code__in=READINESS_DEMO
    )


@pytest.fixture
def demo(db):
    with translation.override("en"):
        call_command("create_demo_data", stdout=StringIO())


def _counts():
    return tuple(
        model.objects.count()
        for model in (
            User,
            Registration,
            StageRecord,
            ReadinessAnswer,
            AssessorScore,
            Clarification,
            Certificate,
            AuditEvent,
        )
    )


def test_demo_has_a_stage_at_each_moment(demo):
    stages = dict(
        _readiness_stages().values_list("registration__region__code", "state")
    )

    assert stages == {
        "33.72": "open",
        "51.71": "clarification_requested",
        "35.78": "decided",
        "64.71": "decided",
    }


def test_demo_decisions_are_one_passed_and_one_not(demo):
    decisions = dict(
        _readiness_stages()
        .filter(state="decided")
        .values_list("registration__region__code", "decision")
    )

    assert decisions == {"35.78": "passed", "64.71": "not_passed"}


def test_demo_passed_stage_has_its_certificate(demo):
    certificate = Certificate.objects.get(stage__in=_readiness_stages())

    assert (certificate.stage.registration.region.code, certificate.kind) == (
        "35.78",
        "readiness",
    )


def test_demo_clarification_names_two_indicators_and_is_open(demo):
    clarification = Clarification.objects.get()

    assert (clarification.indicators.count(), clarification.answered_at) == (2, None)


def test_demo_filling_stage_has_two_indicators_given_to_the_member(demo):
    stage = _readiness_stages().get(registration__region__code="33.72")

    assigned = stage.responses.filter(assigned_to__email="anggota@surakarta.demo.id")
    assert assigned.count() == 2


def test_running_the_demo_again_creates_nothing_new(demo):
    before = _counts()

    with translation.override("en"):
        call_command("create_demo_data", stdout=StringIO())

    assert _counts() == before
