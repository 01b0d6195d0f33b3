"""The publication policy (admin) and the region's consent (coordinator):
services, their audit trail and their pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.common.audit import events_for
from kotacerdas.common.models import Notification
from kotacerdas.maturity import policy as services
from kotacerdas.maturity import results
from kotacerdas.maturity.models import PublicationConsent, PublicationPolicy
from kotacerdas.regions.models import Region
from tests.factories import ParticipantFactory, UserFactory
from tests.maturity.factories_results import published, set_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(roles=[Role.ADMIN], preferred_language="en", full_name="Ratna")


@pytest.fixture
def coordinator():
    return ParticipantFactory(preferred_language="en", full_name="Sri Handayani")


@pytest.fixture
def surakarta():
    return Region.objects.get(code="33.72")


# The policy ----------------------------------------------------------------------


def test_the_admin_sets_the_policy_and_it_is_audited(admin):
    policy = services.set_policy(
        actor=admin, mode="all", require_consent=False, note="Keputusan rapat."
    )

    assert (policy.mode, policy.require_consent, policy.updated_by) == (
        "all",
        False,
        admin,
    )
    (event,) = events_for(policy)
    assert event.action == "maturity.policy_changed"
    assert (event.from_state, event.to_state, event.note) == (
        "certified",
        "all",
        "Keputusan rapat.",
    )
    assert event.data == {
        "before": {"mode": "certified", "require_consent": True},
        "after": {"mode": "all", "require_consent": False},
    }
    assert policy.history.count() == 2  # created, then changed


def test_setting_the_same_policy_records_nothing(admin):
    services.set_policy(actor=admin, mode="certified", require_consent=True)

    assert events_for(PublicationPolicy.current()).count() == 0


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.INSTRUCTOR, Role.PARTICIPANT])
def test_only_the_admin_sets_the_policy(role, surakarta):
    user = UserFactory(
        roles=[role], region=surakarta if role == "participant" else None
    )

    with pytest.raises(PermissionDenied):
        services.set_policy(actor=user, mode="all", require_consent=False)
    assert PublicationPolicy.current().mode == "certified"


def test_changing_the_policy_changes_what_is_public_at_once(admin):
    published("33.72")
    assert results.public_reports().count() == 0

    services.set_policy(actor=admin, mode="all", require_consent=False)

    assert results.public_reports().count() == 1


# The consent -----------------------------------------------------------------------


def test_the_coordinator_consents_and_the_admins_are_told(
    coordinator, surakarta, admin
):
    consent = services.set_consent(surakarta, actor=coordinator, consented=True)

    assert (consent.consented, consent.by) == (True, coordinator)
    (event,) = events_for(consent)
    assert event.action == "maturity.consent_given"
    assert (event.from_state, event.to_state) == ("not consented", "consented")
    notification = Notification.objects.get(recipient=admin)
    assert notification.subject == "Kota Surakarta consents to publishing its results"


def test_the_coordinator_withdraws_the_consent(coordinator, surakarta):
    services.set_consent(surakarta, actor=coordinator, consented=True)

    consent = services.set_consent(surakarta, actor=coordinator, consented=False)

    assert consent.consented is False
    assert [e.action for e in events_for(consent)] == [
        "maturity.consent_withdrawn",
        "maturity.consent_given",
    ]
    assert consent.history.count() == 3


def test_giving_consent_twice_records_it_once(coordinator, surakarta):
    services.set_consent(surakarta, actor=coordinator, consented=True)
    services.set_consent(surakarta, actor=coordinator, consented=True)

    assert events_for(PublicationConsent.objects.get(region=surakarta)).count() == 1


def test_a_coordinator_cannot_consent_for_another_region(coordinator):
    bogor = Region.objects.get(code="32.01")

    with pytest.raises(PermissionDenied):
        services.set_consent(bogor, actor=coordinator, consented=True)
    assert not PublicationConsent.objects.filter(region=bogor).exists()


@pytest.mark.parametrize("role", [Role.REGION_MEMBER, Role.ADMIN, Role.ASSESSOR])
def test_only_the_coordinator_consents(role, surakarta):
    region = surakarta if role == Role.REGION_MEMBER else None
    user = UserFactory(roles=[role], region=region)

    with pytest.raises(PermissionDenied):
        services.set_consent(surakarta, actor=user, consented=True)


def test_consent_makes_the_region_public_under_the_consent_policy(
    coordinator, surakarta
):
    set_policy("all", require_consent=True)
    published("33.72")
    assert results.public_reports().count() == 0

    services.set_consent(surakarta, actor=coordinator, consented=True)
    assert results.public_reports().count() == 1

    services.set_consent(surakarta, actor=coordinator, consented=False)
    assert results.public_reports().count() == 0


# The pages ---------------------------------------------------------------------------


def test_the_policy_page_saves_the_policy_and_shows_its_history(client, admin):
    client.force_login(admin)
    url = reverse("maturity:publication_policy")

    response = client.post(
        url, {"mode": "all", "require_consent": "on", "note": "Dibuka untuk umum."}
    )

    assert response.status_code == 302
    policy = PublicationPolicy.current()
    assert (policy.mode, policy.require_consent) == ("all", True)
    page = client.get(url).content.decode()
    assert "changed the publication policy" in page
    assert "Dibuka untuk umum." in page
    assert "every published result" in page


def test_the_policy_page_refuses_an_unknown_mode(client, admin):
    client.force_login(admin)

    response = client.post(reverse("maturity:publication_policy"), {"mode": "semua"})

    assert response.status_code == 200
    assert response.context["form"].errors["mode"]
    assert PublicationPolicy.current().mode == "certified"


def test_the_policy_page_shows_how_many_results_are_public(client, admin):
    set_policy("all", require_consent=True)
    published("33.72")
    published("32.01")
    PublicationConsent.objects.create(
        region=Region.objects.get(code="33.72"), consented=True
    )
    client.force_login(admin)

    response = client.get(reverse("maturity:publication_policy"))

    assert (response.context["public"], response.context["published"]) == (1, 2)


def test_the_consent_page_gives_and_withdraws(client, coordinator, surakarta):
    client.force_login(coordinator)
    url = reverse("maturity:results_consent")
    assert "Give the consent" in client.get(url).content.decode()

    client.post(url, {"consented": "yes"})
    assert PublicationConsent.objects.get(region=surakarta).consented
    page = client.get(url).content.decode()
    assert "Withdraw the consent" in page
    assert "consented to the publication of the results" in page

    client.post(url, {"consented": "no"})
    assert not PublicationConsent.objects.get(region=surakarta).consented


def test_the_consent_page_refuses_an_unknown_choice(client, coordinator, surakarta):
    client.force_login(coordinator)

    response = client.post(
        reverse("maturity:results_consent"), {"consented": "mungkin"}, follow=True
    )

    assert "Choose to give or to withdraw the consent." in response.content.decode()
    assert not PublicationConsent.objects.filter(region=surakarta).exists()


def test_refusing_a_consent_never_given_records_nothing(coordinator, surakarta):
    consent = services.set_consent(surakarta, actor=coordinator, consented=False)

    assert consent.consented is False
    assert events_for(consent).count() == 0
