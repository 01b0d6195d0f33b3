"""The audit trail: what ``record`` stores and how actions read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from kotacerdas.common.audit import describe, events_for, record
from kotacerdas.regions.models import Region
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_stores_actor_action_object_and_states():
    actor = UserFactory(full_name="Ratna Wulandari")
    region = Region.objects.get(code="33.72")

    event = record(
        actor=actor,
        action="registration.returned",
        obj=region,
        from_state="submitted",
        to_state="returned",
        note="Surat permohonan belum ditandatangani",
    )

    assert (
        event.actor,
        event.actor_label,
        event.action,
        event.object_id,
        event.object_label,
        event.from_state,
        event.to_state,
        event.note,
    ) == (
        actor,
        "Ratna Wulandari",
        "registration.returned",
        str(region.pk),
        "Kota Surakarta",
        "submitted",
        "returned",
        "Surat permohonan belum ditandatangani",
    )


def test_record_treats_an_anonymous_actor_as_no_actor():
    event = record(actor=AnonymousUser(), action="x.y", obj=Region.objects.first())

    assert (event.actor, event.actor_label) == (None, "")


def test_events_for_returns_only_that_object_events():
    surakarta = Region.objects.get(code="33.72")
    bogor = Region.objects.get(code="32.01")
    record(actor=None, action="a.one", obj=surakarta)
    record(actor=None, action="a.two", obj=bogor)

    actions = [event.action for event in events_for(surakarta)]

    assert actions == ["a.one"]


def test_describe_gives_the_registered_sentence():
    with translation.override("en"):
        text = str(describe("account.created"))

    assert text == "created the account"


def test_describe_falls_back_to_the_code():
    text = describe("nobody.registered.this")

    assert text == "nobody.registered.this"
