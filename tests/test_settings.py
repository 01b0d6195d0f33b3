"""The settings module refuses to start with a weak secret key in production.

Each case imports ``kotacerdas.settings`` in a fresh interpreter, because the
checks run at import time.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "q8Zr2vLx7TnW4pYb9cKm3HsJ6dFg1RtE5uVa0NzQiXo8eMw2lUk7hBj4yPc6sDf9gA"


def _import_settings(**variables):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(variables, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-c", "import kotacerdas.settings"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "key",
    ["short", "", "django-insecure-" + "x1y2z3" * 10, "ab" * 40],
    ids=["short", "missing", "django-insecure", "few-distinct-characters"],
)
def test_weak_secret_key_stops_production_start(key):
    result = _import_settings(DJANGO_SECRET_KEY=key, DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: DJANGO_SECRET_KEY is missing or weak: give at least "
        "50 random characters." in result.stderr
    )


def test_strong_secret_key_lets_production_start():
    result = _import_settings(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_DEBUG="false")

    assert (result.returncode, result.stderr) == (0, "")


def test_misspelt_debug_flag_stops_the_start():
    result = _import_settings(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_DEBUG="ture")

    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture' is not a boolean; use true or false." in result.stderr


def test_unknown_storage_backend_stops_the_start():
    result = _import_settings(
        DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_STORAGE_BACKEND="dropbox"
    )

    assert result.returncode != 0
    assert "DJANGO_STORAGE_BACKEND='dropbox' is not one of: local, s3." in result.stderr
