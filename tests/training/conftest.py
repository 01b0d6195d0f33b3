import pytest

from tests.training.factories import people


@pytest.fixture
def everyone(db):
    """One user per role; coordinator and member of Kota Surakarta, the other
    coordinator of Kabupaten Bogor."""
    return people()


@pytest.fixture
def admin(everyone):
    return everyone["admin"]


@pytest.fixture
def coordinator(everyone):
    return everyone["coordinator"]


@pytest.fixture
def member(everyone):
    return everyone["member"]


@pytest.fixture
def instructor(everyone):
    return everyone["instructor"]
