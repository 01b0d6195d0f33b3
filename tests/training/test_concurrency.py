"""Enrolling and withdrawing at the same moment, on real connections.

Runs on PostgreSQL only: it needs row locks, and each thread its own connection
to a database that sees committed rows. The rows are made and removed by the
tests themselves, because a transactional test may flush only the training and
certificate tables (flushing accounts would take the session's reference data
with it).
"""

import threading

import pytest
from django.db import connection, connections

from kotacerdas.accounts.models import Role, User, UserRole
from kotacerdas.common.models import AuditEvent, Notification
from kotacerdas.regions.models import Region
from kotacerdas.training.models import Enrolment, EnrolmentState, Programme, Session
from kotacerdas.training.services import enrol, withdraw

ROUNDS = 5
E = EnrolmentState

pytestmark = pytest.mark.django_db(
    transaction=True, available_apps=["kotacerdas.training", "kotacerdas.certificates"]
)


class World:
    """Committed users and sessions, removed again at the end."""

    def __init__(self):
        self.first_event = (
            AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        )
        self.region = Region.objects.get(code="33.72")
        self.users = []
        self.admin = self.user("admin", Role.ADMIN, region=None)
        self.programme = Programme.objects.create(name_id="Balapan", name_en="Race")

    def user(self, name, role=Role.REGION_MEMBER, region=True):
        user = User.objects.create(
            email=f"{name}-{len(self.users)}@race.test",
            full_name=name,
            region=self.region if region else None,
        )
        UserRole.objects.create(user=user, role=role)
        self.users.append(user)
        return user

    def session(self, capacity=1):
        return Session.objects.create(
            programme=self.programme,
            title="Putaran",
            starts_on="2099-01-01",
            ends_on="2099-01-02",
            venue="Aula",
            capacity=capacity,
        )

    def remove(self):
        Enrolment.objects.filter(user__in=self.users).delete()
        Session.objects.filter(programme=self.programme).delete()
        self.programme.delete()
        Notification.objects.filter(recipient__in=self.users).delete()
        AuditEvent.objects.filter(id__gt=self.first_event).delete()
        UserRole.objects.filter(user__in=self.users).delete()
        User.objects.filter(pk__in=[u.pk for u in self.users])._raw_delete(
            connection.alias
        )


@pytest.fixture
def world():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    world = World()
    yield world
    world.remove()


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def _states(session):
    return dict(
        Enrolment.objects.filter(session=session).values_list(
            "user__full_name", "state"
        )
    )


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_freed_place_goes_to_the_waiting_list_not_to_a_newcomer(world, round_number):
    """Capacity 1: A holds the place, B waits; A withdraws while C enrols."""
    a, b, c = world.user("A"), world.user("B"), world.user("C")
    session = world.session()
    place = enrol(session, a, actor=world.admin)
    enrol(session, b, actor=world.admin)

    errors = _race(
        lambda: withdraw(place, actor=world.admin),
        lambda: enrol(session, c, actor=world.admin),
    )

    assert errors == []
    assert _states(session) == {"A": E.WITHDRAWN, "B": E.ENROLLED, "C": E.WAITLISTED}


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_people_enrolling_at_once_never_overfill_a_session(world, round_number):
    """Capacity 2, six people at once: two places, four distinct queue numbers."""
    people = [world.user(f"P{n}") for n in range(6)]
    session = world.session(capacity=2)

    errors = _race(
        *[
            lambda person=person: enrol(session, person, actor=world.admin)
            for person in people
        ]
    )

    enrolments = Enrolment.objects.filter(session=session)
    assert errors == []
    assert enrolments.filter(state=E.ENROLLED).count() == 2
    assert sorted(
        enrolments.filter(state=E.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    ) == [1, 2, 3, 4]
