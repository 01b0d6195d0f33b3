"""State changes of accounts: creating users and granting or revoking roles."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User, UserRole
from kotacerdas.common.audit import record

logger = logging.getLogger(__name__)


def _check_region_rule(user, roles):
    needs_region = bool(set(roles) & Role.region_roles())
    if needs_region and user.region_id is None:
        raise ValidationError(
            _("Participants and region team members must belong to a region.")
        )


@transaction.atomic
def create_user(*, email, full_name, password, roles, actor=None, **fields):
    """Create a user holding ``roles``.

    Side effects: writes the user, one UserRole per role and an audit event.
    """
    user = User(email=email.strip().lower(), full_name=full_name, **fields)
    _check_region_rule(user, roles)
    user.set_password(password)
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])
    record(
        actor=actor,
        action="account.created",
        obj=user,
        note=", ".join(str(Role(role).label) for role in roles),
    )
    return user


@transaction.atomic
def grant_role(user, role, *, actor=None):
    """Give ``user`` the ``role``; granting a held role changes nothing.

    Side effects: a UserRole row and an audit event when the role is new.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_region_rule(user, [role])
    _, created = UserRole.objects.get_or_create(user=user, role=role)
    if created:
        record(actor=actor, action="account.role_granted", obj=user, note=role)
    return created


@transaction.atomic
def revoke_role(user, role, *, actor=None):
    """Take ``role`` away from ``user``.

    Side effects: deletes the UserRole row and writes an audit event.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    deleted, _count = UserRole.objects.filter(user=user, role=role).delete()
    if deleted:
        record(actor=actor, action="account.role_revoked", obj=user, note=role)
    return bool(deleted)


def set_preferred_language(user, language):
    """Remember the language the user picked; e-mails follow it too."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
