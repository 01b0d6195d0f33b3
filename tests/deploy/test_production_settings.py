"""Production settings come from the environment and refuse unsafe values."""

import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from kotacerdas import settings as settings_module
from tests.deploy.helpers import ROOT, manage, production_env, python, run

# What docs/deploy.md tells an operator to set, less the secrets' real values.
DOCUMENTED = {
    "DJANGO_ALLOWED_HOSTS": "smartcity.ppti.or.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://smartcity.ppti.or.id",
    "DJANGO_SITE_URL": "https://smartcity.ppti.or.id",
    "DJANGO_PROXY_COUNT": "1",
    "DJANGO_EMAIL_HOST": "smtp.example.test",
    "DJANGO_EMAIL_PORT": "587",
    "DJANGO_EMAIL_USER": "noreply@ppti.or.id",
    "DJANGO_EMAIL_PASSWORD": "smtp-password",
    "DJANGO_TASKS_BACKEND": "database",
    "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_LOG_FORMAT": "json",
    "DJANGO_X_ACCEL_PREFIX": "/_protected",
    "DJANGO_TIME_ZONE": "Asia/Jakarta",
}


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    result = manage(
        production_env(tmp_path, **DOCUMENTED),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert "System check identified no issues" in result.stdout


def test_check_deploy_passes_with_files_in_s3(tmp_path):
    env = production_env(
        tmp_path,
        **DOCUMENTED,
        DJANGO_STORAGE_BACKEND="s3",
        DJANGO_S3_BUCKET="kotacerdas-files",
        DJANGO_S3_ENDPOINT_URL="https://s3.example.test",
    )

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    [
        "",
        "short-key",
        "django-insecure-" + "x1y2z3" * 10,
        "ab" * 40,
    ],
    ids=["missing", "short", "django-insecure", "few-characters"],
)
def test_unsafe_secret_key_is_refused(monkeypatch, key):
    monkeypatch.setattr(settings_module, "DEBUG", False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", key)

    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is missing"):
        settings_module._secret_key()


def test_app_process_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = python(env, "", check=False)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is missing or weak" in result.stderr


def test_gunicorn_refuses_to_start_with_a_weak_secret_key(tmp_path):
    env = production_env(tmp_path, DJANGO_SECRET_KEY="change-me")
    result = run(
        env,
        f"{sys.prefix}/bin/gunicorn",
        "--check-config",
        "-c",
        ROOT / "deploy" / "gunicorn.conf.py",
        "kotacerdas.wsgi",
        check=False,
    )

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is missing or weak" in result.stderr


def test_unknown_tasks_backend_stops_the_start(tmp_path):
    env = production_env(tmp_path, DJANGO_TASKS_BACKEND="celery")

    result = python(env, "", check=False)

    assert result.returncode != 0
    assert "DJANGO_TASKS_BACKEND='celery' is not one of" in result.stderr
