"""Fixtures shared by the whole suite.

The reference data (regions, catalogue, methodology v1) is loaded once per test
session, right after pytest-django has created the test database and before any
test opens its transaction. Every test then runs inside a transaction that is
rolled back, so each one sees the reference data exactly as the loaders left it,
on SQLite and PostgreSQL alike. Tests must therefore not use
``django_db(transaction=True)``: flushing the tables would drop the data for the
tests that follow.
"""

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from kotacerdas.common.models import StoredFile
from kotacerdas.indicators.services import load_catalogue, load_default_methodologies
from kotacerdas.regions.services import load_regions


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_regions()
        load_catalogue()
        load_default_methodologies()


@pytest.fixture(scope="session")
def _private_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def private_storage(_private_folder, monkeypatch):
    """Keep uploaded files in a temporary folder instead of ``var/private``.

    The storage of ``StoredFile.file`` is built when the model class loads, so
    overriding STORAGES would not reach it; the field's storage is swapped. One
    folder serves the session: stored names are random, so tests cannot collide.
    """
    storage = FileSystemStorage(location=_private_folder)
    monkeypatch.setattr(StoredFile._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture(autouse=True)
def _default_language():
    """Start and end every test in the default language.

    LocaleMiddleware activates the language of each request in the thread and
    leaves it active, so without this a request to ``/en/`` would make the next
    ``reverse()`` of the same test (or of the next test) answer ``/en/...``.
    """
    translation.deactivate()
    yield
    translation.deactivate()
