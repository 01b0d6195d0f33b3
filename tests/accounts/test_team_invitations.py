"""Inviting a team member, and the invitation link: accepted, expired, used,
tampered, replaced, cancelled."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.accounts import team
from kotacerdas.accounts.models import Invitation, Role, User
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from tests.factories import UserFactory
from tests.training.factories import BOGOR, coordinator, member

pytestmark = pytest.mark.django_db


PASSWORD = "Kota-Cerdas-2026!"


@pytest.fixture
def sri(db):
    return coordinator(full_name="Sri Handayani")


@pytest.fixture
def invite(sri, django_capture_on_commit_callbacks):
    def _invite(email="dewi@surakarta.go.id", language="id", actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            return team.invite_member(
                actor=actor or sri,
                email=email,
                agency="Dinas Kesehatan",
                position="Analis Data",
                language=language,
            )

    return _invite


def _link(message):
    return re.search(r"http\S+/undangan/\S+/", message.body).group(0)


def _path(invitation):
    return reverse(
        "accounts:invitation_accept", args=[team.invitation_token(invitation)]
    )


def _accept(client, invitation, password=PASSWORD, path=None):
    return client.post(
        path or _path(invitation),
        {"full_name": "Dewi Kartika", "password1": password, "password2": password},
    )


def test_an_invitation_is_valid_for_seven_days(invite):
    before = timezone.now()

    invitation = invite()

    assert (
        timedelta(days=7)
        <= invitation.expires_at - before
        < timedelta(days=7, seconds=5)
    )


def test_the_validity_is_configurable(invite, settings):
    settings.INVITATION_VALID_DAYS = 2
    before = timezone.now()

    invitation = invite()

    assert (
        timedelta(days=2)
        <= invitation.expires_at - before
        < timedelta(days=2, seconds=5)
    )


def test_the_invitation_is_emailed_in_indonesian_by_default(invite, settings):
    settings.SITE_URL = "https://kotacerdas.example"

    invitation = invite()

    message = mail.outbox[-1]
    assert message.to == ["dewi@surakarta.go.id"]
    assert _link(message) == "https://kotacerdas.example" + _path(invitation)
    assert _path(invitation).startswith("/akun/undangan/")
    assert Invitation.objects.get().emailed_at is not None


def test_the_invitation_is_emailed_in_the_language_chosen(invite):
    invite(language="en")

    message = mail.outbox[-1]
    assert "/en/akun/undangan/" in _link(message)
    assert message.subject == "Invitation to the smart city team of Kota Surakarta"
    assert "as a team member (Dinas Kesehatan, Analis Data)" in message.body


def test_the_email_address_is_kept_in_lower_case(invite):
    invitation = invite(email="  Dewi@Surakarta.GO.id ")

    assert invitation.email == "dewi@surakarta.go.id"


def test_an_address_with_an_account_is_refused(invite):
    member(email="dewi@surakarta.go.id")

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="already exists"),
    ):
        invite(email="Dewi@surakarta.go.id")


def test_a_second_open_invitation_to_one_address_is_refused(invite):
    invite()

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="send it again from the list"),
    ):
        invite()


def test_an_open_invitation_of_another_region_is_named_as_such(invite):
    invite(actor=coordinator(BOGOR))

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="from another region"),
    ):
        invite()


def test_a_team_member_cannot_invite(invite):
    with pytest.raises(PermissionDenied):
        invite(actor=member())


def test_an_email_that_fails_is_recorded_for_the_coordinator(
    invite, monkeypatch, client, sri
):
    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)

    invitation = invite()

    invitation.refresh_from_db()
    assert invitation.email_error == "ConnectionRefusedError: SMTP server unreachable"
    client.force_login(sri)
    assert (
        'data-testid="email-error"'
        in client.get(reverse("accounts:team")).content.decode()
    )


def test_the_accept_page_shows_the_invitation(client, invite):
    invitation = invite()

    response = client.get(_path(invitation))

    assert (response.status_code, response.context["invitation"]) == (200, invitation)


def test_accepting_creates_a_team_member_of_the_region(client, invite, sri):
    invitation = invite(language="en")

    response = _accept(client, invitation)

    user = User.objects.get(email="dewi@surakarta.go.id")
    assert response.status_code == 302
    assert (
        user.full_name,
        set(user.role_set),
        user.region,
        user.agency,
        user.position,
        user.preferred_language,
    ) == (
        "Dewi Kartika",
        {Role.REGION_MEMBER},
        sri.region,
        "Dinas Kesehatan",
        "Analis Data",
        "en",
    )
    assert user.check_password(PASSWORD)


def test_accepting_logs_the_new_member_in(client, invite):
    invitation = invite()

    _accept(client, invitation)

    assert client.session["_auth_user_id"] == str(
        User.objects.get(email=invitation.email).pk
    )


def test_accepting_marks_the_invitation_used_and_tells_the_coordinator(
    client, invite, sri
):
    invitation = invite()

    _accept(client, invitation)

    invitation.refresh_from_db()
    assert invitation.accepted_user.email == "dewi@surakarta.go.id"
    assert Notification.objects.get(recipient=sri).action == "team.invitation_accepted"


def test_a_weak_password_is_refused_by_djangos_validators(client, invite):
    invitation = invite()

    response = client.post(
        "/en" + _path(invitation),
        {"full_name": "Dewi Kartika", "password1": "12345678", "password2": "12345678"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert not User.objects.filter(email=invitation.email).exists()


def test_two_different_passwords_are_refused(client, invite):
    invitation = invite()

    response = client.post(
        "/en" + _path(invitation),
        {"full_name": "Dewi", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )

    assert response.context["form"].errors["password2"] == ["The two passwords differ."]


def _problem(response):
    return response.status_code, response.context["code"], response.context["message"]


def test_an_expired_link_says_so(client, invite):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    status, code, message = _problem(client.get("/en" + _path(invitation)))

    assert (status, code) == (410, "expired")
    assert message.startswith("This invitation expired on ")
    assert message.endswith("Ask your coordinator to send it again.")


def test_a_used_link_says_so(client, invite):
    invitation = invite()
    _accept(client, invitation)
    client.logout()

    status, code, message = _problem(client.get("/en" + _path(invitation)))

    assert (status, code) == (410, "used")
    assert message.startswith("This invitation has already been used")


def test_posting_a_used_link_again_creates_nothing(client, invite):
    invitation = invite()
    _accept(client, invitation)
    client.logout()

    response = _accept(client, invitation)

    assert response.status_code == 410
    assert User.objects.filter(email=invitation.email).count() == 1


def test_a_tampered_link_says_so(client, invite):
    invitation = invite()
    token = team.invitation_token(invitation)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = client.get(
        "/en" + reverse("accounts:invitation_accept", args=[tampered])
    )

    status, code, message = _problem(response)
    assert (status, code) == (400, "tampered")
    assert message.startswith("This invitation link is not valid")


def test_a_link_for_another_invitation_id_is_tampered(client, invite):
    from django.core import signing

    invitation = invite()
    forged = signing.Signer(salt="another-salt").sign_object(
        {"i": invitation.pk, "k": invitation.key}
    )

    response = client.get(reverse("accounts:invitation_accept", args=[forged]))

    assert response.context["code"] == "tampered"


def test_sending_again_replaces_the_old_link(client, invite, sri):
    invitation = invite()
    old_path = _path(invitation)

    fresh = team.resend_invitation(invitation, actor=sri)

    assert _problem(client.get("/en" + old_path))[1] == "replaced"
    assert client.get(_path(fresh)).status_code == 200


def test_a_cancelled_link_says_so(client, invite, sri):
    invitation = invite()
    path = _path(invitation)

    team.cancel_invitation(invitation, actor=sri)

    assert _problem(client.get("/en" + path))[:2] == (410, "cancelled")


def test_an_account_made_meanwhile_is_named(client, invite):
    invitation = invite()
    UserFactory(email="dewi@surakarta.go.id")

    status, code, message = _problem(client.get("/en" + _path(invitation)))

    assert (status, code) == (400, "account_exists")
    assert message.startswith("An account with the address dewi@surakarta.go.id")


def test_a_cancelled_invitation_cannot_be_sent_again(invite, sri):
    invitation = invite()
    team.cancel_invitation(invitation, actor=sri)

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="already accepted or cancelled"),
    ):
        team.resend_invitation(invitation, actor=sri)


def test_sending_again_renews_the_expiry(invite, sri):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    fresh = team.resend_invitation(invitation, actor=sri)

    assert fresh.expires_at > timezone.now() + timedelta(days=6)


def test_the_invitation_trail_is_audited(client, invite, sri):
    from kotacerdas.common.audit import events_for

    invitation = invite()
    team.resend_invitation(invitation, actor=sri)
    _accept(client, Invitation.objects.get(pk=invitation.pk))

    assert [e.action for e in reversed(events_for(invitation))] == [
        "team.invited",
        "team.invitation_resent",
        "team.invitation_accepted",
    ]
