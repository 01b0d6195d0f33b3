"""Notifications: an inbox row per recipient, one e-mail each after commit."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role
from kotacerdas.common.models import Notification
from kotacerdas.common.notifications import notify
from kotacerdas.common.tasks import send_notification_email
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

# Messages that Django itself translates into Indonesian, so that the tests pin
# the exact text in both languages whatever stage the product's catalogue is at.
SUBJECT = _("Password reset on %(site_name)s")
BODY = _("This field is required.")


@pytest.fixture
def sri():
    return UserFactory(
        full_name="Sri Handayani", email="sri@example.test", preferred_language="id"
    )


@pytest.fixture
def budi():
    return UserFactory(
        full_name="Budi Santoso", email="budi@example.test", preferred_language="en"
    )


def _notify(recipients, url=""):
    return notify(
        recipients,
        action="test.notified",
        subject=SUBJECT,
        body=BODY,
        params={"site_name": "Surakarta"},
        url=url,
    )


def test_notify_creates_one_notification_per_recipient(sri, budi):
    with transaction.atomic():
        _notify([sri, budi])

    recipients = set(Notification.objects.values_list("recipient__email", flat=True))
    assert recipients == {"sri@example.test", "budi@example.test"}


def test_notify_skips_an_inactive_recipient(sri):
    gone = UserFactory(is_active=False)

    created = _notify([sri, gone])

    assert [n.recipient for n in created] == [sri]
    assert Notification.objects.filter(recipient=gone).exists() is False


def test_notification_is_written_in_the_recipient_language(sri, budi):
    _notify([sri, budi])

    texts = {
        n.recipient.email: (n.subject, n.body)
        for n in Notification.objects.select_related("recipient")
    }
    assert texts == {
        "sri@example.test": (
            "Penyetelan ulang sandi di Surakarta",
            "Bidang ini tidak boleh kosong.",
        ),
        "budi@example.test": ("Password reset on Surakarta", "This field is required."),
    }


def test_no_email_is_sent_before_the_transaction_commits(
    sri, budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([sri, budi])

    assert len(callbacks) == 2
    assert mail.outbox == []


def test_commit_sends_exactly_one_email_per_recipient(
    sri, budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([sri, budi])

    assert sorted(message.to[0] for message in mail.outbox) == [
        "budi@example.test",
        "sri@example.test",
    ]


def test_email_subject_is_in_the_recipient_language(
    sri, budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([sri, budi])

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "sri@example.test": "Penyetelan ulang sandi di Surakarta",
        "budi@example.test": "Password reset on Surakarta",
    }


def test_email_body_greets_and_explains_in_the_recipient_language(
    sri, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([sri])

    [message] = mail.outbox
    assert message.body.startswith(
        "Yth. Sri Handayani,\n\nBidang ini tidak boleh kosong.\n"
    )


def test_email_body_of_an_english_reader_is_english(
    budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([budi], url="/notifikasi/")

    [message] = mail.outbox
    assert message.body == (
        "Hello Budi Santoso,\n\n"
        "This field is required.\n\n"
        "Open it here: http://127.0.0.1:8000/notifikasi/\n\n"
        "You also find this message under Notifications when you log in.\n\n"
        "PPTI — Smart City Maturity Index\n\n"
    )


def test_sent_notification_is_marked_emailed(sri, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _notify([sri])

    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_running_the_email_task_twice_sends_one_email(
    sri, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _notify([sri])

    send_notification_email.enqueue(notification.pk)

    assert len(mail.outbox) == 1


def test_email_task_reports_that_it_sent_nothing_the_second_time(sri):
    [notification] = _notify([sri])
    first = send_notification_email.call(notification.pk)

    second = send_notification_email.call(notification.pk)

    assert (first, second) == (True, False)


def test_notifications_page_lists_the_user_notifications(client, sri):
    NotificationFactory(recipient=sri, subject="Pendaftaran diterima")
    NotificationFactory(recipient=sri, subject="Jadwal asesmen")
    NotificationFactory(subject="Milik orang lain")
    client.force_login(sri)

    response = client.get(reverse("common:notifications"))

    html = response.content.decode()
    assert "Pendaftaran diterima" in html
    assert "Jadwal asesmen" in html
    assert "Milik orang lain" not in html


def test_notifications_page_query_count_does_not_grow_with_rows(
    client, sri, django_assert_num_queries
):
    NotificationFactory(recipient=sri)
    client.force_login(sri)
    with django_assert_num_queries(6):
        client.get(reverse("common:notifications"))
    NotificationFactory.create_batch(9, recipient=sri)

    with django_assert_num_queries(6):
        client.get(reverse("common:notifications"))


def test_marking_a_notification_read_sets_read_at(client, sri):
    notification = NotificationFactory(recipient=sri)
    client.force_login(sri)

    client.post(reverse("common:notification_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_follows_the_notification_link(client, sri):
    notification = NotificationFactory(recipient=sri, url="/dasbor/")
    client.force_login(sri)

    response = client.post(reverse("common:notification_read", args=[notification.pk]))

    assert response["Location"] == "/dasbor/"


def test_marking_read_without_link_returns_to_the_list(client, sri):
    notification = NotificationFactory(recipient=sri, url="")
    client.force_login(sri)

    response = client.post(reverse("common:notification_read", args=[notification.pk]))

    assert response["Location"] == reverse("common:notifications")


def test_marking_another_user_notification_read_is_not_found(client, sri):
    foreign = NotificationFactory()
    client.force_login(sri)

    response = client.post(reverse("common:notification_read", args=[foreign.pk]))

    foreign.refresh_from_db()
    assert response.status_code == 404
    assert foreign.read_at is None


def test_marking_read_refuses_get(client, sri):
    notification = NotificationFactory(recipient=sri)
    client.force_login(sri)

    response = client.get(reverse("common:notification_read", args=[notification.pk]))

    assert response.status_code == 405


def test_mark_all_read_marks_only_the_user_notifications(client, sri):
    NotificationFactory.create_batch(3, recipient=sri)
    foreign = NotificationFactory()
    client.force_login(sri)

    client.post(reverse("common:notification_read_all"))

    assert Notification.objects.filter(recipient=sri, read_at__isnull=True).count() == 0
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_navigation_shows_the_unread_count(client):
    user = UserFactory(roles=[Role.ASSESSOR])
    NotificationFactory.create_batch(2, recipient=user)
    client.force_login(user)

    response = client.get(reverse("dashboard:role", args=[Role.ASSESSOR]))

    assert (
        '<span class="badge text-bg-warning" data-testid="unread">2</span>'
        in response.content.decode()
    )


def test_navigation_unread_count_leaves_out_read_notifications(client):
    user = UserFactory(roles=[Role.ASSESSOR])
    NotificationFactory.create_batch(3, recipient=user)
    client.force_login(user)
    first = Notification.objects.filter(recipient=user).first()
    client.post(reverse("common:notification_read", args=[first.pk]))

    response = client.get(reverse("dashboard:role", args=[Role.ASSESSOR]))

    assert 'data-testid="unread">2</span>' in response.content.decode()


def test_navigation_shows_no_badge_without_unread_notifications(client):
    user = UserFactory(roles=[Role.ASSESSOR])
    client.force_login(user)

    response = client.get(reverse("dashboard:role", args=[Role.ASSESSOR]))

    assert 'data-testid="unread"' not in response.content.decode()
