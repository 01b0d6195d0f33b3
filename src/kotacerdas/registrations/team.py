"""The registration's team, and the hook through which other apps add the
team members' training statuses (SPEC §4.3).

The training app registers a provider at start-up::

    from kotacerdas.registrations.team import TRAINING_STATUS_PROVIDERS

    TRAINING_STATUS_PROVIDERS.append(statuses_for)

where ``statuses_for(users)`` returns ``{user_id: {"readiness": label,
"indicator": label}}`` for the users it knows. Missing entries show as "—".
"""

import logging

logger = logging.getLogger(__name__)

TRAINING_STATUS_PROVIDERS = []

NO_STATUS = "—"


def training_statuses(users):
    """Both training statuses of each user, merged from every provider.

    Returns ``{user_id: {"readiness": label, "indicator": label}}`` with an entry
    for every user; a status no provider gave is ``"—"``.
    """
    users = list(users)
    statuses = {
        user.pk: {"readiness": NO_STATUS, "indicator": NO_STATUS} for user in users
    }
    if not users:
        return statuses
    for provider in TRAINING_STATUS_PROVIDERS:
        for user_id, given in (provider(users) or {}).items():
            if user_id not in statuses:
                continue
            for key in ("readiness", "indicator"):
                if given.get(key):
                    statuses[user_id][key] = given[key]
    return statuses


def team_rows(users):
    """Users with their training statuses attached, for the team tables."""
    users = list(users)
    statuses = training_statuses(users)
    for user in users:
        user.training = statuses[user.pk]
    return users
