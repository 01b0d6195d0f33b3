import pytest

from kotacerdas.accounts.models import Role
from kotacerdas.registrations import team
from tests.factories import UserFactory
from tests.registrations.factories import admin_user, coordinator, member

ROLES = [
    "coordinator",
    "member",
    "other_coordinator",
    "assessor",
    "instructor",
    "admin",
]


@pytest.fixture
def people(db):
    """One user per role of the matrices; the first three are region users, the
    other coordinator of Kabupaten Bogor rather than Kota Surakarta."""
    return {
        "coordinator": coordinator(full_name="Sri Handayani"),
        "member": member(full_name="Yusuf Hidayat"),
        "other_coordinator": coordinator("32.01", full_name="Rina Marlina"),
        "assessor": UserFactory(roles=[Role.ASSESSOR]),
        "instructor": UserFactory(roles=[Role.INSTRUCTOR]),
        "admin": admin_user(full_name="Ratna Wulandari"),
    }


@pytest.fixture(autouse=True)
def no_training_providers(monkeypatch):
    """The training app may register providers and checks; these tests decide
    for themselves which ones exist."""
    from kotacerdas.registrations import checklist

    monkeypatch.setattr(team, "TRAINING_STATUS_PROVIDERS", [])
    monkeypatch.setattr(checklist, "SUBMISSION_CHECKS", [])
