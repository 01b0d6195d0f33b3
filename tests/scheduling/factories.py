"""Rows for the scheduling tests.

Registrations are made directly in the state a test needs (the registration
app's own tests walk its workflow); schedules go through the domain functions
wherever a test is about them, and are made directly where they are only the
background of a test.
"""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kotacerdas.accounts.models import Role
from kotacerdas.indicators.services import current_methodology
from kotacerdas.regions.models import Region
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    ConflictDeclaration,
    DataEntryWindow,
    EventKind,
    Stage,
    TeamAssignment,
)
from tests.factories import ParticipantFactory, UserFactory


def region(code):
    return Region.objects.get(code=code)


class RegistrationFactory(DjangoModelFactory):
    """An accepted registration of Kota Surakarta for 2027 unless told otherwise."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    region = factory.LazyFunction(lambda: Region.objects.get(code="33.72"))
    period = 2027
    coordinator = factory.SubFactory(
        ParticipantFactory,
        region=factory.SelfAttribute("..region"),
        agency="Dinas Komunikasi dan Informatika",
        position="Kepala Bidang",
        preferred_language="en",
    )
    contact_name = factory.SelfAttribute("coordinator.full_name")
    contact_phone = "0271 123456"
    methodology = factory.LazyFunction(current_methodology)
    state = RegistrationState.ACCEPTED
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    decided_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create:
            self.team.set([self.coordinator, *(extracted or [])])


# Notifications are written in the recipient's language; English keeps the
# asserted texts equal to their msgids.


def assessor(**kwargs):
    kwargs.setdefault("preferred_language", "en")
    return UserFactory(roles=[Role.ASSESSOR], **kwargs)


def admin(**kwargs):
    kwargs.setdefault("preferred_language", "en")
    return UserFactory(roles=[Role.ADMIN], **kwargs)


def member_of(registration, **kwargs):
    kwargs.setdefault("preferred_language", "en")
    user = UserFactory(region=registration.region, roles=[Role.REGION_MEMBER], **kwargs)
    registration.team.add(user)
    return user


class EventFactory(DjangoModelFactory):
    """A desk review in a week's time, 09.00–12.00 on the same day."""

    class Meta:
        model = AssessmentEvent

    registration = factory.SubFactory(RegistrationFactory)
    stage = Stage.READINESS
    kind = EventKind.DESK_REVIEW
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    place = "Kantor PPTI"
    created_by = factory.SubFactory(UserFactory, roles=[Role.ADMIN])


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = TeamAssignment

    registration = factory.SubFactory(RegistrationFactory)
    stage = Stage.READINESS
    assessor = factory.SubFactory(UserFactory, roles=[Role.ASSESSOR])
    is_lead = False
    assigned_by = factory.SubFactory(UserFactory, roles=[Role.ADMIN])


class WindowFactory(DjangoModelFactory):
    class Meta:
        model = DataEntryWindow

    registration = factory.SubFactory(RegistrationFactory)
    stage = Stage.READINESS
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class DeclarationFactory(DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    assessor = factory.SubFactory(UserFactory, roles=[Role.ASSESSOR])
    region = factory.LazyFunction(lambda: Region.objects.get(code="33.72"))
    reason = "Pernah bekerja di Pemerintah Kota Surakarta."
