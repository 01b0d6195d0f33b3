"""The hook through which the training app shows each member's trainings."""

import pytest

from kotacerdas.registrations import team
from tests.registrations.factories import coordinator, member

pytestmark = pytest.mark.django_db


def test_without_providers_every_status_is_a_dash():
    user = coordinator()

    assert team.training_statuses([user]) == {
        user.pk: {"readiness": "—", "indicator": "—"}
    }


def test_providers_are_merged_and_unknown_users_ignored(monkeypatch):
    first, second = coordinator(), member()
    monkeypatch.setattr(
        team,
        "TRAINING_STATUS_PROVIDERS",
        [
            lambda users: {first.pk: {"readiness": "verified"}, 999999: {"x": "y"}},
            lambda users: {first.pk: {"indicator": "passed"}, second.pk: {}},
        ],
    )

    assert team.training_statuses([first, second]) == {
        first.pk: {"readiness": "verified", "indicator": "passed"},
        second.pk: {"readiness": "—", "indicator": "—"},
    }


def test_no_provider_is_asked_about_nobody(monkeypatch):
    asked = []
    monkeypatch.setattr(
        team, "TRAINING_STATUS_PROVIDERS", [lambda users: asked.append(users) or {}]
    )

    team.training_statuses([])

    assert asked == []
