"""The admin's completeness check, and what the coordinator then sees: the
failed items, every round compared with the one before, the agreed set with
the reason for each change."""

import re

import pytest

from kotacerdas.registrations import services
from kotacerdas.registrations.checklist import CHECKLIST
from kotacerdas.registrations.models import (
    IndicatorChange,
    Registration,
    RegistrationState,
    RoundOutcome,
)
from tests.registrations.factories import (
    indicators,
    pdf_upload,
    registration_in,
    text,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(people, client):
    registration, _coordinator, _admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"], admin=people["admin"]
    )
    client.force_login(people["admin"])
    return registration


def _marks(**overrides):
    data = {"add_rows": "3"}
    for code in CHECKLIST:
        data[f"item_{code}"] = "yes"
        data[f"note_{code}"] = ""
    data.update(overrides)
    return data


def test_return_keeps_each_item_with_its_note(client, submitted):
    response = client.post(
        url("check", submitted.pk),
        _marks(
            action="return",
            item_team_decree="no",
            note_team_decree="Tanda tangan tidak terbaca.",
            note="Mohon diperbaiki.",
        ),
    )

    current = submitted.rounds.get()
    assert response.url == url("queue")
    assert (current.outcome, current.note) == (
        RoundOutcome.RETURNED,
        "Mohon diperbaiki.",
    )
    assert list(current.items.values_list("code", "passed", "note")) == [
        (
            code,
            code != "team_decree",
            "Tanda tangan tidak terbaca." if code == "team_decree" else "",
        )
        for code in CHECKLIST
    ]


def test_coordinator_sees_exactly_which_items_failed(client, people, submitted):
    services.return_registration(
        submitted,
        actor=people["admin"],
        items={
            **dict.fromkeys(CHECKLIST, (True, "")),
            "team_decree": (False, "Tanda tangan tidak terbaca."),
            "implementation_plan": (False, "Lampiran B tidak ada."),
        },
    )
    client.force_login(people["coordinator"])

    response = client.get(url("edit", submitted.pk))

    box = re.search(
        r'data-testid="returned">(.*?)</div>', response.content.decode(), re.S
    )
    assert re.findall(
        r'<li data-item="(\w+)"><strong>[^<]*</strong>: ([^<]*)</li>', box.group(1)
    ) == [
        ("team_decree", "Tanda tangan tidak terbaca."),
        ("implementation_plan", "Lampiran B tidak ada."),
    ]


def test_return_without_a_note_on_the_failed_item_keeps_everything_typed(
    client, submitted
):
    response = client.post(
        url("check", submitted.pk),
        _marks(
            action="return",
            item_team_decree="no",
            note_application_letter="Sudah dicek.",
            note="Catatan umum.",
        ),
    )

    html = response.content.decode()
    assert (
        Registration.objects.get(pk=submitted.pk).state == RegistrationState.SUBMITTED
    )
    assert "Say what the coordinator must fix." in text(response)
    assert re.search(r'name="item_team_decree" value="no"[^>]*checked', html)
    assert "Sudah dicek.</textarea>" in html
    assert "Catatan umum.</textarea>" in html


def test_return_needs_every_item_marked_on_the_page(client, submitted):
    data = _marks(action="return", item_team_decree="no", note_team_decree="Buram.")
    del data["item_trainings"]

    response = client.post(url("check", submitted.pk), data)

    fieldset = re.search(
        r'data-item="trainings">(.*?)</fieldset>', response.content.decode(), re.S
    ).group(1)
    assert "Mark this item." in fieldset


def test_accept_with_changes_fixes_the_agreed_set(client, submitted):
    dropped = indicators(1)[0]
    extra = indicators(1, start=30)[0]

    client.post(
        url("check", submitted.pk),
        _marks(
            action="accept",
            **{
                f"remove_{dropped.pk}": "on",
                f"remove_reason_{dropped.pk}": "Data belum tersedia.",
                "add_0": str(extra.pk),
                "add_reason_0": "Prioritas daerah.",
            },
        ),
    )

    registration = Registration.objects.get(pk=submitted.pk)
    assert registration.state == RegistrationState.ACCEPTED
    assert set(registration.agreed_indicators.all()) == (
        set(indicators(6)) - {dropped}
    ) | {extra}


def test_coordinator_sees_the_reason_of_each_change_to_the_agreed_set(
    client, people, submitted
):
    dropped = indicators(1)[0]
    extra = indicators(1, start=30)[0]
    services.accept_registration(
        submitted,
        actor=people["admin"],
        items=dict.fromkeys(CHECKLIST, (True, "")),
        added={extra: "Prioritas daerah."},
        removed={dropped: "Data belum tersedia."},
    )
    client.force_login(people["coordinator"])

    response = client.get(url("detail", submitted.pk))

    box = re.search(
        r'data-testid="agreed-changes">(.*?)</ul>', response.content.decode(), re.S
    ).group(1)
    items = [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li(.*?)</li>", box, re.S)
    ]
    assert items == [
        f'data-change="added" data-clause="{extra.clause}"> added {extra.clause} '
        f"{extra.title} — Reason: Prioritas daerah.",
        f'data-change="removed" data-clause="{dropped.clause}"> removed {dropped.clause} '
        f"{dropped.title} — Reason: Data belum tersedia.",
    ]


def test_accept_with_a_removal_but_no_reason_keeps_the_admins_entries(
    client, submitted
):
    dropped, kept = indicators(2)
    extra = indicators(1, start=30)[0]

    response = client.post(
        url("check", submitted.pk),
        _marks(
            action="accept",
            note="Catatan.",
            **{
                f"remove_{dropped.pk}": "on",
                f"remove_reason_{kept.pk}": "Alasan yang sudah diketik.",
                "add_0": str(extra.pk),
                "add_reason_0": "Prioritas daerah.",
            },
        ),
    )

    html = response.content.decode()
    assert (
        Registration.objects.get(pk=submitted.pk).state == RegistrationState.SUBMITTED
    )
    assert IndicatorChange.objects.count() == 0
    assert "Say why this indicator is removed." in text(response)
    assert re.search(rf'name="remove_{dropped.pk}"[^>]*checked', html)
    assert 'value="Alasan yang sudah diketik."' in html
    assert re.search(rf'<option value="{extra.pk}" selected>', html)
    assert 'value="Prioritas daerah."' in html


def test_accept_while_an_item_is_not_in_order_is_refused_on_the_page(client, submitted):
    response = client.post(
        url("check", submitted.pk),
        _marks(action="accept", item_trainings="no", note_trainings="Belum."),
    )

    assert "This item is not in order: return the registration." in text(response)
    assert (
        Registration.objects.get(pk=submitted.pk).state == RegistrationState.SUBMITTED
    )


def test_adding_the_same_indicator_twice_is_refused(client, submitted):
    extra = indicators(1, start=30)[0]

    response = client.post(
        url("check", submitted.pk),
        _marks(
            action="accept",
            add_0=str(extra.pk),
            add_reason_0="Satu.",
            add_1=str(extra.pk),
            add_reason_1="Dua.",
        ),
    )

    assert "This indicator is added twice." in text(response)


def test_reject_needs_a_reason(client, submitted):
    response = client.post(url("check", submitted.pk), _marks(action="reject"))

    assert "Give the reason for the rejection." in text(response)
    assert (
        Registration.objects.get(pk=submitted.pk).state == RegistrationState.SUBMITTED
    )


def test_reject_with_a_reason(client, submitted):
    client.post(
        url("check", submitted.pk), {"action": "reject", "note": "Bukan Pemda."}
    )

    registration = Registration.objects.get(pk=submitted.pk)
    assert (registration.state, registration.rounds.get().note) == (
        RegistrationState.REJECTED,
        "Bukan Pemda.",
    )


def test_more_rows_adds_three_and_keeps_what_was_entered(client, submitted):
    extra = indicators(1, start=30)[0]

    response = client.post(
        url("check", submitted.pk),
        _marks(action="more_rows", add_0=str(extra.pk), add_reason_0="Prioritas."),
    )

    html = response.content.decode()
    assert len(re.findall(r'data-testid="addition"', html)) == 6
    assert 'value="Prioritas."' in html
    assert (
        Registration.objects.get(pk=submitted.pk).state == RegistrationState.SUBMITTED
    )


def test_check_page_shows_the_machine_hints(client, submitted):
    response = client.get(url("check", submitted.pk))

    hints = dict(
        re.findall(
            r'data-item="(\w+)">\s*<legend[^>]*>[^<]*</legend>\s*<p[^>]*data-testid="hint">([^<]*)</p>',
            response.content.decode(),
        )
    )
    assert hints == {
        "application_letter": "Present: application_letter.pdf. Open it to check it is legible.",
        "team_decree": "Present: team_decree.pdf. Open it to check it is legible.",
        "implementation_plan": "Present: implementation_plan.pdf. Open it to check it is legible.",
        "team_complete": "2 members, each with agency and position.",
        "trainings": "See the training columns of the team table.",
        "indicator_count": "6 proposed; the methodology allows 5–80.",
    }


def test_checking_a_registration_withdrawn_meanwhile_says_so(client, people, submitted):
    services.withdraw_registration(submitted, actor=people["coordinator"])

    response = client.post(
        url("check", submitted.pk), _marks(action="accept"), follow=True
    )

    assert (
        "Only a submitted registration can be checked; this one is “withdrawn”."
        in text(response)
    )


def test_every_round_is_kept_and_compared_with_the_one_before(
    client, people, submitted
):
    coordinator = people["coordinator"]
    services.return_registration(
        submitted,
        actor=people["admin"],
        items={
            **dict.fromkeys(CHECKLIST, (True, "")),
            "team_decree": (False, "Buram."),
        },
    )
    services.attach_document(
        submitted, "team_decree", pdf_upload("sk-jelas.pdf", "jelas"), actor=coordinator
    )
    services.save_draft(
        submitted,
        actor=coordinator,
        fields={"contact_phone": "0271 999"},
        indicators=indicators(7),
    )
    services.submit_registration(submitted, actor=coordinator)
    client.force_login(coordinator)

    response = client.get(url("detail", submitted.pk))

    html = response.content.decode()
    rounds = re.findall(r'data-round="(\d+)"', html)
    second = re.search(
        r'data-round="2">(.*?)</li>\s*<li class="card', html, re.S
    ).group(1)
    first = re.search(r'data-round="1">(.*?)</ol>', html, re.S).group(1)
    changes = [
        " ".join(re.sub(r"<[^>]+>", " ", c).split())
        for c in re.findall(r'<li data-change="[\w-]+">(.*?)</li>', second, re.S)
    ]
    assert rounds == ["2", "1"]
    assert changes == [
        f"Indicators added: {indicators(1, start=6)[0].clause}",
        "Decree forming the smart city team replaced: team_decree.pdf → sk-jelas.pdf",
        "Contact phone: 0271 123456 → 0271 999",
    ]
    assert re.findall(r'data-item="(\w+)" data-passed="(\w+)"', first) == [
        (code, "no" if code == "team_decree" else "yes") for code in CHECKLIST
    ]
