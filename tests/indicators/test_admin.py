"""Maintaining methodology versions through the management site."""

import json

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.common.models import AuditEvent
from kotacerdas.indicators.models import Methodology
from kotacerdas.indicators.services import DATA_DIR
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return json.loads((DATA_DIR / "methodology" / "v1.json").read_text("utf-8"))


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True, roles=[Role.ADMIN])
    client.force_login(user)
    return user


def _add(client, document, is_current=False):
    data = {"document": json.dumps(document)}
    if is_current:
        data["is_current"] = "on"
    return client.post("/en" + reverse("admin:indicators_methodology_add"), data)


def test_admin_adds_a_new_version_through_the_loader(client, staff, document):
    document["version"] = 2

    _add(client, document)

    methodology = Methodology.objects.get(version=2)
    assert AuditEvent.objects.filter(
        action="methodology.loaded", object_id=str(methodology.pk), actor=staff
    ).exists()


def test_admin_form_lists_every_problem_of_an_invalid_document(client, staff, document):
    document["version"] = 2
    document["readiness"]["must_meet"] = ["X9"]
    del document["maturity"]["levels"][4]

    response = _add(client, document)

    errors = response.context["adminform"].form.errors["document"]
    assert errors == [
        "Criteria that must be met are not defined: X9.",
        "The maturity rubric must define levels 1 to 5, in order.",
    ]
    assert Methodology.objects.filter(version=2).exists() is False


def test_document_of_an_in_use_version_is_read_only_in_the_admin(client, staff):
    methodology = Methodology.objects.get(version=1)
    Methodology.objects.filter(pk=methodology.pk).update(in_use=True)

    response = client.get(
        reverse("admin:indicators_methodology_change", args=[methodology.pk])
    )

    assert "document" not in response.context["adminform"].form.fields


def test_in_use_version_cannot_be_deleted(client, staff):
    methodology = Methodology.objects.get(version=1)
    Methodology.objects.filter(pk=methodology.pk).update(in_use=True)

    response = client.post(
        reverse("admin:indicators_methodology_delete", args=[methodology.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 403
    assert Methodology.objects.filter(pk=methodology.pk).exists()
