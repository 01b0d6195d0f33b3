"""The health check that load balancers ask."""

import json

import pytest
from django.urls import reverse

from kotacerdas.common import views

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_is_ready(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "problems": []}


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200


def test_healthz_is_never_cached(client):
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_reports_unapplied_migrations(client, monkeypatch):
    # A process that has once seen every migration applied may skip the check.
    monkeypatch.setattr(views, "_migrations_seen_applied", False, raising=False)
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("pending", False)],
    )

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "fail",
        "problems": ["migrations not applied"],
    }
