"""The coordinator's side: starting, the form, autosave, the picker, submitting
and withdrawing. Nothing typed is lost on an error."""

import re

import pytest
from django.utils import timezone

from kotacerdas.indicators.models import Indicator
from kotacerdas.registrations import checklist, team
from kotacerdas.registrations.models import Registration, RegistrationState
from tests.registrations.factories import (
    PERIOD,
    complete_draft,
    indicators,
    registration_in,
    text,
    url,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _form_data(registration, **overrides):
    data = {
        "contact_name": registration.contact_name,
        "contact_phone": registration.contact_phone,
        "contact_email": registration.contact_email,
        "indicators": [str(i.pk) for i in registration.proposed_indicators.all()],
        "indicators_present": "on",
        "team": [str(u.pk) for u in registration.team.all()],
        "team_present": "on",
    }
    data.update(overrides)
    return data


def test_start_form_offers_next_year_by_default(client, people):
    client.force_login(people["coordinator"])

    response = client.get(url("index"))

    next_year = timezone.localdate().year + 1
    assert re.search(
        rf'<option value="{next_year}" selected>{next_year}</option>',
        response.content.decode(),
    )


def test_start_opens_a_draft_and_goes_to_the_form(client, people):
    client.force_login(people["coordinator"])

    response = client.post(url("start"), {"period": str(timezone.localdate().year)})

    registration = Registration.objects.get()
    assert (registration.state, response.url) == (
        RegistrationState.DRAFT,
        url("edit", registration.pk),
    )


def test_starting_a_second_active_registration_shows_the_reason(client, people):
    registration_in(
        RegistrationState.RETURNED,
        actor=people["coordinator"],
        period=timezone.localdate().year + 1,
    )
    client.force_login(people["coordinator"])

    response = client.post(url("start"), {"period": timezone.localdate().year + 1})

    year = timezone.localdate().year + 1
    assert (
        f"Kota Surakarta already has a registration for {year} (returned). "
        "Continue that one instead."
    ) in text(response)
    assert Registration.objects.count() == 1


def test_the_region_list_shows_every_registration_of_the_region_only(client, people):
    registration_in(RegistrationState.WITHDRAWN, actor=people["coordinator"])
    registration_in(RegistrationState.DRAFT, actor=people["coordinator"])
    registration_in(RegistrationState.DRAFT, actor=people["other_coordinator"])
    client.force_login(people["member"])

    response = client.get(url("index"))

    shown = re.findall(r'data-registration="(\d+)"', response.content.decode())
    expected = Registration.objects.filter(region__code="33.72").values_list(
        "pk", flat=True
    )
    assert sorted(map(int, shown)) == sorted(expected)


def test_form_shows_the_live_count_against_the_bounds(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.get(url("edit", registration.pk))

    assert "6 chosen — the methodology allows 5–80" in text(response)


def test_autosave_saves_and_answers_the_time_in_the_regions_zone(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.post(
        url("autosave", registration.pk),
        _form_data(registration, contact_name="Ibu Sri Handayani"),
        **HTMX,
    )

    registration.refresh_from_db()
    clock = timezone.localtime(registration.updated_at, registration.region.zone)
    assert registration.contact_name == "Ibu Sri Handayani"
    assert f"Saved {clock:%H:%M} WIB" in text(response)
    assert response["X-Registration-Fragment"] == "1"


def test_autosave_keeps_the_valid_fields_when_one_is_invalid(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.post(
        url("autosave", registration.pk),
        _form_data(registration, contact_name="Nama Baru", contact_email="bukan-email"),
        **HTMX,
    )

    registration.refresh_from_db()
    assert (registration.contact_name, registration.contact_email) == (
        "Nama Baru",
        people["coordinator"].email,
    )
    assert (
        "Not saved, because they are not valid: Contact e-mail: "
        "Enter a valid email address."
    ) in text(response)


def test_autosave_replaces_the_indicators_with_the_ticked_ones(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])
    chosen = indicators(7, start=20)

    client.post(
        url("autosave", registration.pk),
        _form_data(registration, indicators=[str(i.pk) for i in chosen]),
        **HTMX,
    )

    assert set(registration.proposed_indicators.all()) == set(chosen)


def test_a_post_without_the_picker_leaves_the_indicators_alone(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    client.post(
        url("autosave", registration.pk), {"contact_name": "Hanya Nama"}, **HTMX
    )

    assert set(registration.proposed_indicators.all()) == set(indicators(6))


def test_autosave_after_the_registration_was_submitted_says_so(client, people):
    registration, coordinator, _admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )
    client.force_login(coordinator)

    response = client.post(
        url("autosave", registration.pk), _form_data(registration), **HTMX
    )

    assert (
        "Not saved: The registration is “submitted” and cannot be changed now."
    ) in text(response)


def test_autosave_refreshes_the_problem_list_out_of_band(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.post(
        url("autosave", registration.pk),
        _form_data(registration, indicators=[]),
        **HTMX,
    )

    assert 'id="problems" data-testid="problems" hx-swap-oob="true"' in (
        response.content.decode()
    )
    assert "Propose between 5 and 80 indicators; 0 are chosen now." in text(response)


def test_saving_without_javascript_keeps_what_was_typed_on_an_error(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.post(
        url("edit", registration.pk),
        _form_data(
            registration,
            contact_name="Nama Diketik",
            contact_phone="bukan telepon!",
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nama Diketik"' in html
    assert 'value="bukan telepon!"' in html
    assert "Enter a phone number: digits, spaces, “+”, “-” and brackets." in text(
        response
    )
    registration.refresh_from_db()
    assert registration.contact_name == "Nama Diketik"


def test_saving_without_javascript_redirects_back_to_the_form(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.post(
        url("edit", registration.pk), _form_data(registration, contact_name="Baru")
    )

    assert response.url == url("edit", registration.pk)


def test_the_form_of_a_submitted_registration_leads_to_its_page(client, people):
    registration, coordinator, _admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )
    client.force_login(coordinator)

    response = client.get(url("edit", registration.pk))

    assert response.url == url("detail", registration.pk)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "sampah",
            ["7.1", "7.3", "16.1", "16.2", "16.3", "16.4", "16.5", "16.6", "20.2"],
        ),
        (
            "waste",
            ["7.1", "7.2", "7.3", "16.1", "16.2", "16.3", "16.4", "16.6", "20.2"]
            + ["22.1", "22.3", "22.4", "22.5"],
        ),
    ],
)
def test_picker_searches_in_either_language(client, people, query, expected):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.get(url("picker", registration.pk), {"q": query}, **HTMX)

    shown = re.findall(
        r'<span class="indicator-clause">([\d.]+)</span>', response.content.decode()
    )
    assert shown == expected


def test_picker_filters_by_theme(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.get(url("picker", registration.pk), {"tema": "22"}, **HTMX)

    shown = re.findall(
        r'<span class="indicator-clause">([\d.]+)</span>', response.content.decode()
    )
    assert shown == list(
        Indicator.objects.active()
        .filter(theme__number=22)
        .order_by("sort_key")
        .values_list("clause", flat=True)
    )


def test_picker_filters_by_dimension(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])
    dimension = Indicator.objects.get(clause="16.1").theme.dimension

    response = client.get(
        url("picker", registration.pk), {"dimensi": dimension.code}, **HTMX
    )

    shown = re.findall(
        r'<span class="indicator-clause">([\d.]+)</span>', response.content.decode()
    )
    assert shown == list(
        Indicator.objects.active()
        .filter(theme__dimension=dimension)
        .order_by("sort_key")
        .values_list("clause", flat=True)
    )


def test_picker_keeps_ticked_indicators_outside_the_search(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])
    ticked = indicators(2)

    response = client.get(
        url("picker", registration.pk),
        {"q": "sampah", "indicators": [str(i.pk) for i in ticked]},
        **HTMX,
    )

    hidden = re.findall(
        r'<input type="hidden" name="indicators" value="(\d+)">',
        response.content.decode(),
    )
    assert hidden == [str(i.pk) for i in ticked]
    assert "2 chosen — the methodology allows 5–80" in text(response)


def test_picker_ignores_an_unknown_indicator_id(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.get(
        url("picker", registration.pk), {"indicators": ["999999", "x"]}, **HTMX
    )

    assert "0 chosen — the methodology allows 5–80" in text(response)


def test_team_shows_a_dash_without_a_training_provider(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.get(url("edit", registration.pk))

    row = re.search(
        rf'data-member="{people["member"].pk}">(.*?)</tr>',
        response.content.decode(),
        re.S,
    ).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["Yusuf Hidayat", "Bappeda", "Analis Data", "—", "—"]


def test_team_shows_the_statuses_a_provider_gives(client, people, monkeypatch):
    member = people["member"]
    monkeypatch.setattr(
        team,
        "TRAINING_STATUS_PROVIDERS",
        [lambda users: {member.pk: {"readiness": "verified", "indicator": "passed"}}],
    )
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.get(url("detail", registration.pk))

    row = re.search(
        rf'data-member="{member.pk}">(.*?)</tr>', response.content.decode(), re.S
    ).group(1)
    assert re.findall(r'data-training="\w+">([^<]*)<', row) == ["verified", "passed"]


def test_form_lists_blocking_problems_and_warnings(client, people, monkeypatch):
    monkeypatch.setattr(
        checklist,
        "SUBMISSION_CHECKS",
        [lambda r: (["Pelatihan indikator belum."], ["Pelatihan kesiapan belum."])],
    )
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.get(url("edit", registration.pk))

    html = response.content.decode()
    assert re.findall(r'data-problem="(\w+)">([^<]*)<', html) == [
        ("blocking", "Pelatihan indikator belum."),
        ("warning", "Pelatihan kesiapan belum."),
    ]


def test_submit_saves_the_posted_form_and_submits(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.post(
        url("submit", registration.pk),
        _form_data(registration, contact_name="Sebelum Kirim"),
    )

    registration.refresh_from_db()
    assert (registration.state, registration.contact_name, response.url) == (
        RegistrationState.SUBMITTED,
        "Sebelum Kirim",
        url("detail", registration.pk),
    )
    assert registration.rounds.get().snapshot["contact"]["name"] == "Sebelum Kirim"


def test_refused_submit_shows_why_and_keeps_the_form(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    response = client.post(
        url("submit", registration.pk),
        _form_data(registration, contact_name="Tetap Ada", indicators=[]),
    )

    registration.refresh_from_db()
    assert registration.state == RegistrationState.DRAFT
    assert "Propose between 5 and 80 indicators; 0 are chosen now." in text(response)
    assert 'value="Tetap Ada"' in response.content.decode()


def test_withdraw_asks_first_then_withdraws_with_the_reason(client, people):
    registration = complete_draft(people["coordinator"])
    client.force_login(people["coordinator"])

    confirm = client.get(url("withdraw", registration.pk))
    response = client.post(url("withdraw", registration.pk), {"note": "Ditunda."})

    registration.refresh_from_db()
    assert "Withdraw the registration of Kota Surakarta for 2027?" in text(confirm)
    assert (registration.state, response.url) == (
        RegistrationState.WITHDRAWN,
        url("index"),
    )


def test_withdrawing_twice_says_it_cannot_be_done_any_more(client, people):
    registration, coordinator, _admin = registration_in(
        RegistrationState.WITHDRAWN, actor=people["coordinator"]
    )
    client.force_login(coordinator)

    response = client.post(url("withdraw", registration.pk), follow=True)

    assert "This cannot be done any more: it is now “withdrawn”." in text(response)


def test_period_outside_the_offered_years_is_refused(client, people):
    client.force_login(people["coordinator"])

    response = client.post(url("start"), {"period": str(PERIOD + 50)})

    assert "Select a valid choice." in text(response)
    assert Registration.objects.count() == 0
