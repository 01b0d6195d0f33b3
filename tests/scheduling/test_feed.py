"""The personal calendar feed and the page that manages its secret link."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kotacerdas.common.audit import events_for
from kotacerdas.scheduling import services
from kotacerdas.scheduling.ics import event_uid
from kotacerdas.scheduling.models import CalendarFeedToken
from tests.scheduling.factories import (
    AssignmentFactory,
    EventFactory,
    RegistrationFactory,
    admin,
    member_of,
    region,
)

pytestmark = pytest.mark.django_db


def _feed_url(token):
    return reverse("scheduling_feed:feed", args=[token.token])


def _uids(response):
    return sorted(
        str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")
    )


@pytest.fixture
def events(registration, budi):
    """One event of Budi's team in Surakarta, one of another team in Bogor."""
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    return {
        "surakarta": EventFactory(registration=registration),
        "bogor": EventFactory(registration=RegistrationFactory(region=region("32.01"))),
    }


def test_feed_lists_the_events_of_the_assessors_teams(client, budi, events):
    token = services.regenerate_feed_token(budi)

    response = client.get(_feed_url(token))

    assert (response.status_code, _uids(response)) == (
        200,
        [event_uid(events["surakarta"])],
    )


def test_feed_needs_no_login(client, budi, events):
    token = services.regenerate_feed_token(budi)

    response = client.get(_feed_url(token))

    assert (response.status_code, response["Content-Type"]) == (
        200,
        "text/calendar; charset=utf-8",
    )


def test_feed_of_a_region_member_lists_the_region_events(client, registration, events):
    member = member_of(registration)
    token = services.regenerate_feed_token(member)

    response = client.get(_feed_url(token))

    assert _uids(response) == [event_uid(events["surakarta"])]


def test_feed_of_an_admin_lists_every_event(client, events):
    token = services.regenerate_feed_token(admin())

    response = client.get(_feed_url(token))

    assert _uids(response) == sorted(event_uid(e) for e in events.values())


def test_feed_keeps_cancelled_events_so_calendars_drop_them(client, budi, events):
    events["surakarta"].cancelled_at = timezone.now()
    events["surakarta"].save()
    token = services.regenerate_feed_token(budi)

    response = client.get(_feed_url(token))

    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_feed_leaves_out_events_long_past(client, registration, budi, events):
    EventFactory(
        registration=registration,
        starts_at=timezone.now() - timedelta(days=120),
        ends_at=timezone.now() - timedelta(days=120) + timedelta(hours=2),
    )
    token = services.regenerate_feed_token(budi)

    response = client.get(_feed_url(token))

    assert _uids(response) == [event_uid(events["surakarta"])]


def test_revoked_token_answers_404(client, budi, events):
    token = services.regenerate_feed_token(budi)
    services.revoke_feed_token(budi)

    response = client.get(_feed_url(token))

    assert response.status_code == 404


def test_regenerating_stops_the_old_token(client, budi, events):
    old = services.regenerate_feed_token(budi)
    new = services.regenerate_feed_token(budi)

    responses = (client.get(_feed_url(old)), client.get(_feed_url(new)))

    assert [r.status_code for r in responses] == [404, 200]


def test_unknown_token_answers_404(client):
    response = client.get("/kalender/not-a-real-token.ics")

    assert response.status_code == 404


def test_token_of_an_inactive_user_answers_404(client, budi, events):
    token = services.regenerate_feed_token(budi)
    budi.is_active = False
    budi.save()

    response = client.get(_feed_url(token))

    assert response.status_code == 404


def test_tokens_are_long_and_random(budi, dewi):
    tokens = {services.regenerate_feed_token(u).token for u in (budi, dewi)}

    assert (len(tokens), min(len(t) for t in tokens)) == (2, 43)


def test_a_user_has_one_active_token(budi):
    services.regenerate_feed_token(budi)
    services.regenerate_feed_token(budi)

    assert (
        CalendarFeedToken.objects.filter(user=budi, revoked_at__isnull=True).count()
        == 1
    )


def test_token_changes_are_audited(budi):
    services.regenerate_feed_token(budi)
    services.revoke_feed_token(budi)

    assert [e.action for e in events_for(budi)] == [
        "calendar.token_revoked",
        "calendar.token_created",
    ]


def test_feed_url_is_outside_the_language_prefix(budi):
    token = services.regenerate_feed_token(budi)

    assert _feed_url(token) == f"/kalender/{token.token}.ics"


# The page.


def test_page_hides_the_link_until_revealed(client, budi):
    token = services.regenerate_feed_token(budi)
    client.force_login(budi)

    response = client.get(reverse("scheduling:calendar"))

    assert token.token not in response.content.decode()


def test_page_reveals_the_link_on_request(client, budi):
    token = services.regenerate_feed_token(budi)
    client.force_login(budi)

    response = client.get(reverse("scheduling:calendar"), {"reveal": "1"})

    assert f'value="http://testserver/kalender/{token.token}.ics"' in (
        response.content.decode()
    )


def test_htmx_reveal_returns_only_the_link(client, budi):
    services.regenerate_feed_token(budi)
    client.force_login(budi)

    response = client.get(
        reverse("scheduling:calendar"), {"reveal": "1"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert ("<html" in html, 'data-testid="feed-url"' in html) == (False, True)


def test_page_makes_a_new_link(client, budi):
    client.force_login(budi)

    response = client.post(reverse("scheduling:calendar"), {"action": "regenerate"})

    assert (
        response["Location"],
        CalendarFeedToken.objects.filter(user=budi).count(),
    ) == (
        reverse("scheduling:calendar") + "?reveal=1",
        1,
    )


def test_page_stops_the_link(client, budi):
    token = services.regenerate_feed_token(budi)
    client.force_login(budi)

    client.post(reverse("scheduling:calendar"), {"action": "revoke"})

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_page_is_not_cached(client, budi):
    client.force_login(budi)

    response = client.get(reverse("scheduling:calendar"))

    assert "no-store" in response["Cache-Control"]


def test_feed_is_named_after_its_owner(client, budi, events):
    token = services.regenerate_feed_token(budi)

    response = client.get(_feed_url(token))

    assert str(Calendar.from_ical(response.content)["X-WR-CALNAME"]) == (
        "PPTI schedule: Budi Santoso"
    )
