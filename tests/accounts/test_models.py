"""Users and their roles."""

import pytest

from kotacerdas.accounts.models import Role, User, UserRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_primary_role_follows_the_institute_first_priority():
    user = UserFactory(roles=[Role.PARTICIPANT, Role.INSTRUCTOR, Role.ASSESSOR])

    role = user.primary_role

    assert role == Role.ASSESSOR


def test_ordered_roles_lists_held_roles_by_priority():
    user = UserFactory(roles=[Role.INSTRUCTOR, Role.ADMIN])

    assert user.ordered_roles == [Role.ADMIN, Role.INSTRUCTOR]


def test_user_without_roles_has_no_primary_role():
    user = UserFactory()

    assert user.primary_role is None


def test_inactive_user_holds_no_role():
    user = UserFactory(roles=[Role.ADMIN], is_active=False)

    assert user.has_role(Role.ADMIN) is False


def test_unsaved_user_has_no_roles():
    user = User(email="x@example.test")

    assert user.role_set == frozenset()


def test_region_roles_are_participant_and_member():
    roles = Role.region_roles()

    assert roles == {Role.PARTICIPANT, Role.REGION_MEMBER}


def test_short_name_is_the_first_name():
    user = UserFactory.build(full_name="Sri Handayani")

    assert user.get_short_name() == "Sri"


def test_short_name_without_full_name_is_the_email():
    user = UserFactory.build(full_name="", email="sri@example.test")

    assert user.get_short_name() == "sri@example.test"


def test_create_user_lower_cases_the_email():
    user = User.objects.create_user("Sri@Example.TEST", "pw", full_name="Sri")

    assert user.email == "sri@example.test"


def test_create_user_without_email_is_refused():
    with pytest.raises(ValueError, match="An e-mail address is required."):
        User.objects.create_user("", "pw")


def test_create_superuser_is_staff_and_admin():
    user = User.objects.create_superuser("root@example.test", "pw", full_name="Root")

    assert (user.is_staff, user.is_superuser) == (True, True)
    assert list(UserRole.objects.filter(user=user).values_list("role", flat=True)) == [
        "admin"
    ]


def test_natural_key_lookup_ignores_case():
    user = UserFactory(email="sri@example.test")

    assert User.objects.get_by_natural_key("SRI@example.test") == user
