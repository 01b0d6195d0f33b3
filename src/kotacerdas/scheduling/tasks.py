import logging

from django.tasks import task

from kotacerdas.scheduling.reminders import parse_now, send_reminders

logger = logging.getLogger(__name__)


@task()
def send_reminders_task(now=None):
    """The worker's way to ``send_reminders``; ``now`` is an ISO datetime string
    (task arguments must be JSON). Returns the numbers sent."""
    return send_reminders(now=parse_now(now) if now else None)
