"""In-app notifications that are also e-mailed, each in its recipient's language."""

import logging

from django.db import transaction
from django.utils import translation

from kotacerdas.common.models import Notification

logger = logging.getLogger(__name__)


def notify(recipients, *, action, subject, body, params=None, url=""):
    """Put a notification in each recipient's inbox and e-mail it after commit.

    ``subject`` and ``body`` are lazy translations with ``%(name)s`` placeholders
    filled from ``params``; they are rendered per recipient, inside that person's
    preferred language.

    Side effects: one Notification row per active recipient, and one e-mail task
    queued per row when the surrounding transaction commits.
    """
    from kotacerdas.common.tasks import send_notification_email

    params = params or {}
    created = []
    for recipient in recipients:
        if not recipient.is_active:
            continue
        with translation.override(recipient.preferred_language):
            notification = Notification.objects.create(
                recipient=recipient,
                action=action,
                subject=str(subject) % params,
                body=str(body) % params,
                url=url,
            )
        created.append(notification)

        # Bind the id now: the loop variable moves on before the commit runs.
        transaction.on_commit(
            lambda pk=notification.pk: send_notification_email.enqueue(pk)
        )
    return created
