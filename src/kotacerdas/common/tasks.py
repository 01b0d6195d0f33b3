import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kotacerdas.common.models import Notification

logger = logging.getLogger(__name__)


@task()
def send_notification_email(notification_id):
    """E-mail one notification, at most once.

    The row is locked while sending, and ``emailed_at`` marks it done, so a task
    that is run twice (a retried worker, two workers) sends one e-mail.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False

        recipient = notification.recipient
        with translation.override(recipient.preferred_language):
            body = render_to_string(
                "common/email/notification.txt",
                {
                    "notification": notification,
                    "recipient": recipient,
                    "link": settings.SITE_URL + notification.url
                    if notification.url
                    else "",
                },
            )
        EmailMessage(
            subject=notification.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
        ).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])

    logger.info("notification %s e-mailed to %s", notification_id, recipient.pk)
    return True
