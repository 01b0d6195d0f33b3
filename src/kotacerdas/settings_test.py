"""Fast, deterministic settings for the test suite.

The environment still chooses the database, so CI runs the same tests against
PostgreSQL by setting DATABASE_URL.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-" + "k3y-for-tests-only-" * 4)
os.environ.setdefault("DJANGO_HTTPS", "false")

from kotacerdas.settings import *  # noqa: E402, F403 -- test settings extend the real ones

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Look static files up when asked instead of scanning STATIC_ROOT whenever a
# handler starts: every test client starts one, and after collectstatic the scan
# of some 1 300 files cost about 100 ms per test.
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
