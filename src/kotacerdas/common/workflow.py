"""The shape every state change shares: lock, check, change, record, notify.

Domain functions in each app's ``services.py`` call ``change_state`` so that a
transition is always atomic, guarded and recorded the same way, and "somebody
else was faster" ends in a clear message instead of an error page.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from kotacerdas.common.audit import record

logger = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A state change that cannot happen now; the message is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def lock(obj):
    """Re-read ``obj`` with a row lock; call inside ``transaction.atomic()``."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def require(user, permission, obj):
    """Raise PermissionDenied unless ``user`` has the named rule on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def change_state(obj, transition_name, *, actor, action, note="", data=None, **kwargs):
    """Run the django-fsm transition ``transition_name`` on a locked ``obj``.

    The caller holds the transaction and the lock. Side effects: saves the object
    and appends an audit event with the from- and to-state.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("change_state must run inside transaction.atomic()")

    method = getattr(obj, transition_name)
    from_state = obj.state
    if not can_proceed(method):
        raise WorkflowError(
            _(
                "This cannot be done any more: it is now “%(state)s”. "
                "Someone may have acted on it a moment ago; reload the page."
            )
            % {"state": obj.get_state_display()}
        )
    try:
        method(**kwargs)
    except TransitionNotAllowed as error:
        raise WorkflowError(str(error)) from error

    obj.save()
    record(
        actor=actor,
        action=action,
        obj=obj,
        from_state=from_state,
        to_state=obj.state,
        note=note,
        data=data,
    )
    logger.info("%s %s: %s → %s", obj._meta.label, obj.pk, from_state, obj.state)
    return obj
