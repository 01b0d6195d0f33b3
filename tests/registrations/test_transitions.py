"""Every state change of a registration, from every state, by every role.

The table says which states and which role each domain function allows; every
other combination must be refused: by the rule (PermissionDenied) when the role
may never do it, by the workflow (WorkflowError, state unchanged) otherwise.
"""

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.common.models import AuditEvent
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.registrations import services
from kotacerdas.registrations.models import Registration, RegistrationState
from tests.registrations.conftest import ROLES
from tests.registrations.factories import (
    PERIOD,
    all_passed,
    one_failed,
    pdf_upload,
    registration_in,
)

pytestmark = pytest.mark.django_db

S = RegistrationState
STATES = [state.value for state in RegistrationState]


def _submit(registration, user):
    services.submit_registration(registration, actor=user)


def _return(registration, user):
    services.return_registration(
        registration, actor=user, items=one_failed(), note="Perbaiki."
    )


def _accept(registration, user):
    services.accept_registration(registration, actor=user, items=all_passed())


def _reject(registration, user):
    services.reject_registration(registration, actor=user, note="Tidak memenuhi.")


def _withdraw(registration, user):
    services.withdraw_registration(registration, actor=user, note="Ditunda.")


def _save_draft(registration, user):
    services.save_draft(registration, actor=user, fields={"contact_name": "Baru"})


def _attach(registration, user):
    services.attach_document(
        registration, "team_decree", pdf_upload("sk-baru.pdf"), actor=user
    )


# action -> (function, states it is allowed from, the role allowed, state after)
TABLE = {
    "submit": (_submit, {S.DRAFT, S.RETURNED}, "coordinator", S.SUBMITTED),
    "return": (_return, {S.SUBMITTED}, "admin", S.RETURNED),
    "accept": (_accept, {S.SUBMITTED}, "admin", S.ACCEPTED),
    "reject": (_reject, {S.SUBMITTED}, "admin", S.REJECTED),
    "withdraw": (
        _withdraw,
        {S.DRAFT, S.SUBMITTED, S.RETURNED},
        "coordinator",
        S.WITHDRAWN,
    ),
    "save_draft": (_save_draft, {S.DRAFT, S.RETURNED}, "coordinator", None),
    "attach_document": (_attach, {S.DRAFT, S.RETURNED}, "coordinator", None),
}

CASES = [
    (action, state, role) for action in TABLE for state in STATES for role in ROLES
]


def _expected(action, state, role):
    _function, states, allowed_role, target = TABLE[action]
    if role != allowed_role:
        return "denied"
    if state not in states:
        return "refused"
    return target or state


@pytest.mark.parametrize(("action", "state", "role"), CASES)
def test_transition_from_every_state_by_every_role(people, action, state, role):
    registration, _coordinator, _admin = registration_in(
        state, actor=people["coordinator"], admin=people["admin"]
    )
    events_before = AuditEvent.objects.count()
    function = TABLE[action][0]
    expected = _expected(action, state, role)

    if expected == "denied":
        with pytest.raises(PermissionDenied):
            function(registration, people[role])
    elif expected == "refused":
        with pytest.raises(WorkflowError):
            function(registration, people[role])
    else:
        function(registration, people[role])

    after = Registration.objects.get(pk=registration.pk)
    if expected in ("denied", "refused"):
        assert (after.state, AuditEvent.objects.count()) == (state, events_before)
    else:
        assert after.state == expected


START_CASES = [(state, role) for state in STATES for role in ROLES]


@pytest.mark.parametrize(("state", "role"), START_CASES)
def test_start_registration_beside_one_in_every_state_by_every_role(
    people, state, role
):
    registration_in(state, actor=people["coordinator"], admin=people["admin"])
    surakarta = people["coordinator"].region
    user = people[role]

    if role != "coordinator":
        with pytest.raises(PermissionDenied):
            services.start_registration(actor=user, region=surakarta, period=PERIOD)
    elif state in (S.WITHDRAWN, S.REJECTED):
        started = services.start_registration(
            actor=user, region=surakarta, period=PERIOD
        )
        assert started.state == S.DRAFT
    else:
        with pytest.raises(WorkflowError):
            services.start_registration(actor=user, region=surakarta, period=PERIOD)

    active = Registration.objects.filter(region=surakarta, period=PERIOD).exclude(
        state__in=S.closed()
    )
    assert active.count() == (
        1 if role == "coordinator" or state not in (S.WITHDRAWN, S.REJECTED) else 0
    )
