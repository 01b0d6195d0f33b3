import pytest
from django.utils import translation

from tests.scheduling.factories import RegistrationFactory, admin, assessor


@pytest.fixture
def registration(db):
    """The accepted 2027 registration of Kota Surakarta."""
    return RegistrationFactory(coordinator__full_name="Sri Handayani")


@pytest.fixture
def admin_user(db):
    return admin(full_name="Ratna Wulandari")


@pytest.fixture
def budi(db):
    return assessor(full_name="Budi Santoso", email="budi@example.test")


@pytest.fixture
def dewi(db):
    return assessor(full_name="Dewi Lestari", email="dewi@example.test")


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, their msgids, so that the tests do not
    change when the Indonesian catalogue gains them; tests of Indonesian output
    say so with ``translation.override("id")``."""
    with translation.override("en"):
        yield
