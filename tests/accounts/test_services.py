"""Creating users and granting or revoking roles, with their audit events."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kotacerdas.accounts.models import Role, User, UserRole
from kotacerdas.accounts.services import (
    create_user,
    grant_role,
    revoke_role,
    set_preferred_language,
)
from kotacerdas.common.audit import events_for
from kotacerdas.regions.models import Region
from tests.factories import UserFactory, UserRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(full_name="Ratna Wulandari", roles=[Role.ADMIN])


@pytest.fixture
def surakarta():
    return Region.objects.get(code="33.72")


def test_create_user_stores_a_lower_case_email(admin):
    user = create_user(
        email="  Budi.Santoso@Example.TEST ",
        full_name="Budi Santoso",
        password="s3cret-pass",
        roles=[Role.ASSESSOR],
        actor=admin,
    )

    assert user.email == "budi.santoso@example.test"


def test_create_user_grants_the_roles_given(admin):
    user = create_user(
        email="budi@example.test",
        full_name="Budi Santoso",
        password="s3cret-pass",
        roles=[Role.ASSESSOR, Role.INSTRUCTOR],
        actor=admin,
    )

    roles = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {"assessor", "instructor"}


def test_create_user_sets_a_usable_password(admin):
    user = create_user(
        email="budi@example.test",
        full_name="Budi Santoso",
        password="s3cret-pass",
        roles=[Role.ASSESSOR],
        actor=admin,
    )

    assert user.check_password("s3cret-pass") is True


def test_create_user_records_who_created_the_account(admin):
    user = create_user(
        email="budi@example.test",
        full_name="Budi Santoso",
        password="s3cret-pass",
        roles=[Role.ASSESSOR],
        actor=admin,
    )

    [event] = events_for(user)
    assert (event.action, event.actor, event.actor_label) == (
        "account.created",
        admin,
        "Ratna Wulandari",
    )


def test_create_user_event_notes_the_role_labels(admin):
    with translation.override("en"):
        user = create_user(
            email="budi@example.test",
            full_name="Budi Santoso",
            password="s3cret-pass",
            roles=[Role.ASSESSOR, Role.INSTRUCTOR],
            actor=admin,
        )

    [event] = events_for(user)
    assert event.note == "assessor, instructor"


def test_create_user_without_actor_records_no_actor():
    user = create_user(
        email="budi@example.test",
        full_name="Budi Santoso",
        password="s3cret-pass",
        roles=[Role.ASSESSOR],
    )

    [event] = events_for(user)
    assert (event.actor, event.actor_label) == (None, "")


def test_participant_without_region_is_refused(admin):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        create_user(
            email="sri@example.test",
            full_name="Sri Handayani",
            password="s3cret-pass",
            roles=[Role.PARTICIPANT],
            actor=admin,
        )

    assert caught.value.messages == [
        "Participants and region team members must belong to a region."
    ]


def test_refused_participant_leaves_no_user_behind(admin):
    with pytest.raises(ValidationError):
        create_user(
            email="sri@example.test",
            full_name="Sri Handayani",
            password="s3cret-pass",
            roles=[Role.PARTICIPANT],
            actor=admin,
        )

    assert not User.objects.filter(email="sri@example.test").exists()


def test_participant_with_region_is_created(admin, surakarta):
    user = create_user(
        email="sri@example.test",
        full_name="Sri Handayani",
        password="s3cret-pass",
        roles=[Role.PARTICIPANT],
        region=surakarta,
        actor=admin,
    )

    assert (user.region, user.primary_role) == (surakarta, Role.PARTICIPANT)


def test_grant_role_adds_the_role(admin):
    user = UserFactory(roles=[Role.ASSESSOR])

    created = grant_role(user, Role.INSTRUCTOR, actor=admin)

    assert created is True
    assert UserRole.objects.filter(user=user, role=Role.INSTRUCTOR).exists()


def test_grant_role_records_actor_and_role(admin):
    user = UserFactory()

    grant_role(user, Role.INSTRUCTOR, actor=admin)

    [event] = events_for(user)
    assert (event.action, event.actor, event.note) == (
        "account.role_granted",
        admin,
        "instructor",
    )


def test_granting_a_held_role_changes_nothing(admin):
    user = UserRoleFactory(role=Role.INSTRUCTOR).user

    created = grant_role(user, Role.INSTRUCTOR, actor=admin)

    assert created is False
    assert list(events_for(user)) == []


def test_granting_a_region_role_to_a_user_without_region_is_refused(admin):
    user = UserFactory()

    with pytest.raises(ValidationError):
        grant_role(user, Role.REGION_MEMBER, actor=admin)

    assert not UserRole.objects.filter(user=user).exists()


def test_revoke_role_removes_the_role(admin):
    user = UserFactory(roles=[Role.ASSESSOR, Role.INSTRUCTOR])

    revoked = revoke_role(user, Role.ASSESSOR, actor=admin)

    assert revoked is True
    assert list(UserRole.objects.filter(user=user).values_list("role", flat=True)) == [
        "instructor"
    ]


def test_revoke_role_records_actor_and_role(admin):
    user = UserFactory(roles=[Role.ASSESSOR])

    revoke_role(user, Role.ASSESSOR, actor=admin)

    [event] = events_for(user)
    assert (event.action, event.actor, event.note) == (
        "account.role_revoked",
        admin,
        "assessor",
    )


def test_revoking_a_role_not_held_records_nothing(admin):
    user = UserFactory(roles=[Role.ASSESSOR])

    revoked = revoke_role(user, Role.ADMIN, actor=admin)

    assert revoked is False
    assert list(events_for(user)) == []


def test_timeline_lists_newest_event_first(admin):
    user = UserFactory()
    grant_role(user, Role.ASSESSOR, actor=admin)
    revoke_role(user, Role.ASSESSOR, actor=admin)

    actions = [event.action for event in events_for(user)]

    assert actions == ["account.role_revoked", "account.role_granted"]


def test_set_preferred_language_saves_the_choice():
    user = UserFactory(preferred_language="id")

    set_preferred_language(user, "en")

    user.refresh_from_db()
    assert user.preferred_language == "en"
