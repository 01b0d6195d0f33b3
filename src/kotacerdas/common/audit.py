"""The audit trail: recording events and turning action codes into sentences.

Each app registers the sentences for its own action codes with
``register_actions``; the timeline shows ``describe(code)`` and falls back to the
code itself, so an unregistered action is still visible, never hidden.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from kotacerdas.common.models import AuditEvent

logger = logging.getLogger(__name__)

_ACTIONS = {}


def register_actions(labels):
    """Add ``{"app.thing.verb": gettext_lazy("sentence")}`` entries."""
    _ACTIONS.update(labels)


def describe(action):
    return _ACTIONS.get(action, action)


def record(*, actor, action, obj, from_state="", to_state="", note="", data=None):
    """Append one event to the trail of ``obj``.

    Call it inside the transaction of the change it records, so that the event and
    the change are kept or lost together.
    """
    actor = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent.objects.create(
        actor=actor,
        actor_label=(actor.full_name or actor.email) if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_label=str(obj)[:255],
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=note or "",
        data=data or {},
    )
    logger.info("audit %s on %s %s by %s", action, obj._meta.label, obj.pk, actor)
    return event


def events_for(obj):
    """The trail of one object, newest first, with the actor preloaded."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


register_actions(
    {
        "account.created": _("created the account"),
        "account.role_granted": _("granted a role"),
        "account.role_revoked": _("revoked a role"),
        "account.password_changed": _("changed the password"),
        "account.language_changed": _("changed the preferred language"),
        "methodology.loaded": _("loaded the methodology version"),
        "file.uploaded": _("uploaded a file"),
    }
)
