"""The worker's heartbeat, which /healthz reads to notice a dead worker."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kotacerdas.common.heartbeat import Heartbeat, heartbeat_problem
from kotacerdas.common.models import WorkerHeartbeat
from tests.deploy.helpers import manage, production_env, python

pytestmark = pytest.mark.django_db


def test_starting_worker_records_a_fresh_heartbeat():
    heartbeat = Heartbeat("worker-a", interval=3600)
    heartbeat.start()
    try:
        row = WorkerHeartbeat.objects.get(worker_id="worker-a")
        assert row.stopped_at is None
        assert timezone.now() - row.beat_at < timedelta(seconds=5)
        assert heartbeat_problem() is None
    finally:
        heartbeat.stop()


def test_beat_moves_the_heartbeat_forward():
    old = timezone.now() - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(
        worker_id="worker-a", hostname="h", pid=1, beat_at=old
    )

    Heartbeat("worker-a").beat()

    assert WorkerHeartbeat.objects.get(worker_id="worker-a").beat_at > old


def test_stopped_worker_is_marked_and_no_longer_counts():
    heartbeat = Heartbeat("worker-a", interval=3600)
    heartbeat.start()

    heartbeat.stop()

    assert WorkerHeartbeat.objects.get(worker_id="worker-a").stopped_at is not None
    assert heartbeat_problem() == "no task worker running"


def test_start_forgets_workers_gone_for_a_week():
    WorkerHeartbeat.objects.create(
        worker_id="ancient",
        hostname="h",
        pid=1,
        beat_at=timezone.now() - timedelta(days=8),
    )
    heartbeat = Heartbeat("worker-a", interval=3600)
    heartbeat.start()
    heartbeat.stop()

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "worker-a"
    ]


def test_silence_is_measured_from_the_newest_heartbeat(settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="a", hostname="h", pid=1, beat_at=now - timedelta(seconds=90)
    )

    assert heartbeat_problem(now) == "task worker silent for 90 s (limit 60 s)"
    assert heartbeat_problem(now - timedelta(seconds=40)) is None


def test_run_worker_refuses_when_tasks_run_immediately():
    # The test settings run tasks at once: a worker would wait forever.
    with pytest.raises(CommandError, match="not a database backend"):
        call_command("run_worker", "--batch")


ENQUEUE = """
from django.db import transaction
from kotacerdas.accounts.services import create_user
from kotacerdas.common.notifications import notify
with transaction.atomic():
    user = create_user(email="a@example.test", full_name="A", password="x", roles=[])
    notify([user], action="test", subject="Halo", body="Isi")
"""
REPORT = """
from kotacerdas.common.models import Notification, WorkerHeartbeat
beat = WorkerHeartbeat.objects.get()
print(Notification.objects.get().emailed_at is not None, beat.stopped_at is not None)
"""


def test_run_worker_sends_queued_mail_and_leaves_a_stopped_heartbeat(tmp_path):
    env = production_env(tmp_path, DJANGO_TASKS_BACKEND="database")
    # No mail host: the console backend prints the e-mail, which is all we need.
    del env["DJANGO_EMAIL_HOST"]
    manage(env, "migrate", "--noinput", "-v0")
    python(env, ENQUEUE)

    worker = manage(env, "run_worker", "--batch", "--no-startup-delay")

    assert "Subject: Halo" in worker.stdout
    assert python(env, REPORT).stdout.split() == ["True", "True"]
