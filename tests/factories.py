"""factory-boy factories for the models the tests build.

Regions, themes and indicators of the official lists are loaded once per session
(see conftest.py); these factories make the extra rows a test needs on top.
"""

import factory
from factory.django import DjangoModelFactory, Password

from kotacerdas.accounts.models import Role, User, UserRole
from kotacerdas.common.models import Notification
from kotacerdas.regions.models import Region, RegionKind, TimeZone

PASSWORD = "correct horse battery staple"


class ProvinceFactory(DjangoModelFactory):
    """A province outside the official list (code 99 is not used)."""

    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "99"
    name = "Provinsi Uji"
    official_name = "Provinsi Uji"
    kind = RegionKind.PROVINCE
    province = None
    time_zone = TimeZone.WITA


class RegionFactory(DjangoModelFactory):
    """A kota of the test province, outside the official list."""

    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"99.{71 + n}")
    name = factory.Sequence(lambda n: f"Uji {n + 1}")
    official_name = factory.LazyAttribute(lambda region: f"Kota {region.name}")
    kind = RegionKind.CITY
    province = factory.SubFactory(ProvinceFactory)
    time_zone = factory.SelfAttribute("province.time_zone")


def _grant(user, roles):
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])


class UserFactory(DjangoModelFactory):
    """A user; pass ``roles=[Role.ADMIN, ...]`` to grant roles.

    Region roles need a region: use ``ParticipantFactory`` or pass ``region=``.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    password = Password(PASSWORD)
    preferred_language = "id"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            _grant(self, extracted)


class ParticipantFactory(UserFactory):
    """A participant coordinator of Kota Surakarta unless told otherwise."""

    region = factory.LazyFunction(lambda: Region.objects.get(code="33.72"))

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            _grant(self, extracted or [Role.PARTICIPANT])


class UserRoleFactory(DjangoModelFactory):
    class Meta:
        model = UserRole

    user = factory.SubFactory(UserFactory)
    role = Role.ASSESSOR


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    action = "test.something"
    subject = factory.Sequence(lambda n: f"Pemberitahuan {n}")
    body = "Isi pemberitahuan."
    url = ""
