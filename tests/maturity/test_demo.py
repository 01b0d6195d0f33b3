"""The demo maturity stages: published reports over two periods, made once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from kotacerdas.assessments.models import StageRecord
from kotacerdas.certificates.models import Certificate
from kotacerdas.common.models import AuditEvent
from kotacerdas.maturity.demo import DEMO_REGIONS
from kotacerdas.maturity.models import (
    MaturityData,
    MaturityReport,
    PublicationConsent,
    ReportLine,
)
from kotacerdas.maturity.results import public_reports

pytestmark = pytest.mark.django_db

CODES = {code for code, *_rest in DEMO_REGIONS}


@pytest.fixture
def demo(db):
    with translation.override("en"):
        call_command("create_demo_data", stdout=StringIO())


# The demo takes seconds to make, so one test looks at everything it made.
def test_the_demo_publishes_two_periods_per_region_and_leaves_one_filling(demo):
    published = MaturityReport.objects.filter(state="published")
    periods = {}
    for code, period in published.values_list(
        "stage__registration__region__code", "stage__registration__period"
    ):
        periods.setdefault(code, set()).add(period)
    certified = published.exclude(tier="")
    certificates = Certificate.objects.filter(kind="maturity")
    consents = PublicationConsent.objects.filter(consented=True)
    surabaya = StageRecord.objects.get(
        stage="maturity", registration__region__code="35.78"
    )
    filled = MaturityData.objects.filter(
        response__stage=surabaya, data_year__isnull=False
    )

    assert set(periods) == CODES
    assert all(len(years) == 2 for years in periods.values())
    assert ReportLine.objects.filter(report__in=published).count() == 10 * 20
    assert certified.count() == 10
    assert set(certificates.values_list("stage", flat=True)) == set(
        certified.values_list("stage", flat=True)
    )
    assert set(consents.values_list("region__code", flat=True)) == CODES
    assert public_reports().count() == 10
    assert surabaya.state == "open"
    assert 0 < filled.count() < surabaya.responses.count()


def test_running_the_demo_again_creates_nothing_new(demo):
    before = (MaturityReport.objects.count(), AuditEvent.objects.count())

    with translation.override("en"):
        call_command("create_demo_data", stdout=StringIO())

    assert (MaturityReport.objects.count(), AuditEvent.objects.count()) == before
