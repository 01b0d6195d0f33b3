"""The profile page: the account's details and its history."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import create_user, grant_role, revoke_role
from kotacerdas.common.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENTRY = re.compile(
    r'<li data-action="(?P<action>[^"]+)">.*?<strong>(?P<actor>.*?)</strong>'
    r"\s*(?P<text>.*?)\s*</div>\s*"
    r'(?:<div class="small">(?P<note>.*?)</div>\s*)?</li>',
    re.S,
)


def _timeline(response):
    html = response.content.decode()
    return [
        (m["action"], m["actor"], m["text"], m["note"]) for m in ENTRY.finditer(html)
    ]


@pytest.fixture
def admin():
    return UserFactory(full_name="Ratna Wulandari", roles=[Role.ADMIN])


@pytest.fixture
def budi(admin):
    with translation.override("en"):
        user = create_user(
            email="budi@example.test",
            full_name="Budi Santoso",
            password="s3cret-pass",
            roles=[Role.ASSESSOR],
            actor=admin,
        )
    grant_role(user, Role.INSTRUCTOR, actor=admin)
    revoke_role(user, Role.INSTRUCTOR, actor=admin)
    return user


def test_profile_timeline_shows_create_grant_and_revoke_newest_first(client, budi):
    client.force_login(budi)

    response = client.get("/en" + reverse("accounts:profile"))

    assert _timeline(response) == [
        ("account.role_revoked", "Ratna Wulandari", "revoked a role", "instructor"),
        ("account.role_granted", "Ratna Wulandari", "granted a role", "instructor"),
        ("account.created", "Ratna Wulandari", "created the account", "assessor"),
    ]


def test_profile_timeline_describes_actions_in_indonesian(client, budi):
    client.force_login(budi)

    response = client.get(reverse("accounts:profile"))

    assert [text for _action, _actor, text, _note in _timeline(response)] == [
        "mencabut peran",
        "memberikan peran",
        "membuat akun",
    ]


def test_timeline_names_the_system_when_there_is_no_actor(client):
    user = create_user(
        email="sri@example.test",
        full_name="Sri Handayani",
        password="s3cret-pass",
        roles=[Role.ASSESSOR],
    )
    client.force_login(user)

    response = client.get("/en" + reverse("accounts:profile"))

    assert [actor for _action, actor, _text, _note in _timeline(response)] == ["System"]


def test_timeline_shows_an_unregistered_action_by_its_code(client):
    user = UserFactory()
    AuditEvent.objects.create(
        action="registration.teleported",
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
    )
    client.force_login(user)

    response = client.get("/en" + reverse("accounts:profile"))

    [(_action, _actor, text, _note)] = _timeline(response)
    assert text == "registration.teleported"


def test_profile_of_a_user_with_no_events_says_so(client):
    client.force_login(UserFactory())

    response = client.get("/en" + reverse("accounts:profile"))

    assert "Nothing has been recorded yet." in response.content.decode()


def test_profile_shows_the_user_roles(client, budi):
    client.force_login(budi)

    response = client.get("/en" + reverse("accounts:profile"))

    assert '<span class="badge text-bg-secondary me-1">assessor</span>' in (
        response.content.decode()
    )


def test_changing_the_preferred_language_is_recorded(client):
    user = UserFactory(full_name="Sri Handayani", preferred_language="id")
    client.force_login(user)

    client.post(
        reverse("accounts:profile"),
        {"full_name": "Sri Handayani", "preferred_language": "en"},
    )

    event = AuditEvent.objects.get(action="account.language_changed")
    assert (event.actor, event.object_id, event.note) == (user, str(user.pk), "en")


def test_saving_the_profile_in_english_redirects_to_the_english_profile(client):
    user = UserFactory(full_name="Sri Handayani", preferred_language="id")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Sri Handayani", "preferred_language": "en"},
    )

    assert response["Location"] == "/en/akun/profil/"
