"""/healthz, which load balancers poll: 200 when the server can work, else 503."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from kotacerdas.common import views
from kotacerdas.common.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_healthy_server_answers_200_without_login(client):
    status, body = _health(client)

    assert status == 200
    assert body == {"status": "ok", "problems": []}


def test_unapplied_migrations_answer_503(client, monkeypatch):
    monkeypatch.setattr(views, "_migrations_seen_applied", False)
    monkeypatch.setattr(
        views.MigrationExecutor, "migration_plan", lambda self, targets: ["pending"]
    )

    status, body = _health(client)

    assert status == 503
    assert body["problems"] == ["migrations not applied"]


def test_immediate_tasks_need_no_worker(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }

    assert _health(client)[0] == 200


def test_queued_tasks_without_a_worker_answer_503(client, settings):
    settings.TASKS = DATABASE_TASKS

    status, body = _health(client)

    assert status == 503
    assert body["problems"] == ["no task worker running"]


def test_recent_worker_heartbeat_answers_200(client, settings):
    settings.TASKS = DATABASE_TASKS
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="app1", pid=10, beat_at=timezone.now()
    )

    assert _health(client) == (200, {"status": "ok", "problems": []})


def test_worker_silent_too_long_answers_503_with_how_long(client, settings):
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="app1",
        pid=10,
        beat_at=timezone.now() - timedelta(seconds=300),
    )

    status, body = _health(client)

    assert status == 503
    assert len(body["problems"]) == 1
    assert body["problems"][0].startswith("task worker silent for 30")
    assert body["problems"][0].endswith("(limit 120 s)")


def test_stopped_worker_does_not_count_as_alive(client, settings):
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="app1", pid=10, beat_at=now, stopped_at=now
    )

    assert _health(client)[1]["problems"] == ["no task worker running"]


def test_one_live_worker_among_dead_ones_is_enough(client, settings):
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="a", pid=1, beat_at=now - timedelta(hours=1)
    )
    WorkerHeartbeat.objects.create(worker_id="live", hostname="b", pid=2, beat_at=now)

    assert _health(client)[0] == 200


# The real failure, not a mock: a process whose DATABASE_URL names a port where
# no PostgreSQL listens. Port 1 on loopback refuses at once.
UNREACHABLE_SCRIPT = """
import django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(response.status_code, response.content.decode())
"""


def test_unreachable_database_answers_503_with_the_reason():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kotacerdas.settings_test",
        "DATABASE_URL": "postgres://kotacerdas@127.0.0.1:1/kotacerdas",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", UNREACHABLE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "fail", "problems": ["database unreachable"]}
