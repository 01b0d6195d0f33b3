"""The task worker's heartbeat, written by ``run_worker`` and read by ``/healthz``.

django-tasks-db keeps no record of its workers, so nothing would notice a worker
that died: e-mails and PDFs would just queue up. Each worker process therefore
keeps one ``WorkerHeartbeat`` row fresh while it runs.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from kotacerdas.common.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"

# Rows of workers that stopped (or died) this long ago are only clutter.
KEEP_STOPPED = timedelta(days=7)


def uses_worker():
    """True when tasks wait in the database for a worker instead of running at once."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend == DATABASE_BACKEND


def heartbeat_problem(now=None):
    """Why the workers look dead, or None when one has beaten recently enough."""
    now = now or timezone.now()
    limit = settings.WORKER_HEARTBEAT_MAX_AGE
    latest = (
        WorkerHeartbeat.objects.filter(stopped_at__isnull=True)
        .order_by("-beat_at")
        .values_list("beat_at", flat=True)
        .first()
    )
    if latest is None:
        return "no task worker running"
    silent = (now - latest).total_seconds()
    if silent > limit:
        return f"task worker silent for {silent:.0f} s (limit {limit} s)"
    return None


class Heartbeat:
    """Keeps one worker's row fresh from a daemon thread until ``stop``."""

    def __init__(self, worker_id, *, interval=None):
        self.worker_id = worker_id
        self.interval = interval or settings.WORKER_HEARTBEAT_SECONDS
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{worker_id[:8]}", daemon=True
        )

    def start(self):
        now = timezone.now()
        WorkerHeartbeat.objects.filter(beat_at__lt=now - KEEP_STOPPED).delete()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
                "stopped_at": None,
            },
        )
        self._thread.start()
        logger.info("worker %s heartbeat every %s s", self.worker_id, self.interval)

    def beat(self):
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            beat_at=timezone.now()
        )

    def stop(self):
        """Stop beating and mark the row stopped, so health checks stop counting it."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            beat_at=timezone.now(), stopped_at=timezone.now()
        )

    def _run(self):
        # This thread has its own database connection; it is closed on the way out
        # so that a stopping worker leaves no idle session on the server.
        try:
            while not self._stopped.wait(self.interval):
                close_old_connections()
                try:
                    self.beat()
                except DatabaseError:
                    # A database blip must not kill the thread: the next beat
                    # retries, and /healthz reports the silence meanwhile.
                    logger.exception("worker %s heartbeat failed", self.worker_id)
        finally:
            connection.close()
