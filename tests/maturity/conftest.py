import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, their msgids, so that the tests do not
    change when the Indonesian catalogue gains them."""
    with translation.override("en"):
        yield
