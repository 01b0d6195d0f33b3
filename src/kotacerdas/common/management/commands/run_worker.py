"""``db_worker`` with a heartbeat: the task worker to run in production.

It takes every option of django-tasks-db's ``db_worker`` and, while the worker
runs, keeps a ``WorkerHeartbeat`` row fresh so that ``/healthz`` notices a worker
that died before its queue grows long.
"""

import logging

from django_tasks_db.management.commands import db_worker

from kotacerdas.common.heartbeat import Heartbeat

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = "Run the database task worker and record its heartbeat for /healthz."

    # db_worker itself refuses a backend that is not the database one
    # (DJANGO_TASKS_BACKEND=database), before handle() runs.

    def handle(self, *args, **options):
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            # Also reached on SIGTERM: db_worker leaves through SystemExit.
            heartbeat.stop()
            logger.info("worker %s stopped", options["worker_id"])
