"""The demo schedule: made once, kept on later runs, skipped without its data."""

import pytest

from kotacerdas.accounts.demo import create_demo_accounts
from kotacerdas.scheduling.demo import create_demo_schedule
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    DataEntryWindow,
    TeamAssignment,
)
from tests.scheduling.factories import RegistrationFactory, region

pytestmark = pytest.mark.django_db


def _counts():
    return (
        DataEntryWindow.objects.count(),
        AssessmentEvent.objects.count(),
        list(
            TeamAssignment.objects.order_by("-is_lead").values_list(
                "assessor__email", "is_lead"
            )
        ),
    )


def test_demo_schedule_is_made_for_the_accepted_demo_registration():
    create_demo_accounts()
    RegistrationFactory(region=region("33.72"))

    create_demo_schedule()

    assert _counts() == (
        1,
        2,
        [("asesor@demo.ppti.id", True), ("asesor2@demo.ppti.id", False)],
    )


def test_demo_schedule_is_kept_on_a_second_run():
    create_demo_accounts()
    RegistrationFactory(region=region("32.01"))
    create_demo_schedule()

    message = create_demo_schedule()

    assert (message, _counts()[:2]) == ("schedule of Kabupaten Bogor 2027 kept", (1, 2))


def test_demo_schedule_is_skipped_without_an_accepted_registration():
    create_demo_accounts()
    RegistrationFactory(region=region("33.72"), state="submitted")

    message = create_demo_schedule()

    assert (message, _counts()) == (
        "no accepted demo registration: schedule skipped",
        (0, 0, []),
    )
