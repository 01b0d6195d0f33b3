"""The Django admin: conflict declarations go through the domain function."""

import pytest
from django.urls import reverse

from kotacerdas.common.audit import events_for
from kotacerdas.scheduling.models import ConflictDeclaration, SchedulingSettings
from tests.scheduling.factories import admin, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(admin(is_staff=True, is_superuser=True))
    return client


def test_admin_records_a_conflict_with_an_audit_event(staff_client, budi):
    response = staff_client.post(
        reverse("admin:scheduling_conflictdeclaration_add"),
        {
            "assessor": budi.pk,
            "region": region("33.72").pk,
            "reason": "Dilaporkan lewat surat.",
        },
    )

    declaration = ConflictDeclaration.objects.get()
    assert (
        response.status_code,
        declaration.reason,
        [e.action for e in events_for(declaration)],
    ) == (302, "Dilaporkan lewat surat.", ["schedule.conflict_declared"])


def test_admin_cannot_add_a_second_settings_row(staff_client):
    SchedulingSettings.load()

    response = staff_client.get(reverse("admin:scheduling_schedulingsettings_add"))

    assert response.status_code == 403


def test_admin_edits_the_settings(staff_client):
    settings_row = SchedulingSettings.load()

    staff_client.post(
        reverse("admin:scheduling_schedulingsettings_change", args=[settings_row.pk]),
        {"open_load_limit": 3, "reminder_days": "14, 3, 1", "admin_waiting_days": 7},
    )

    settings_row.refresh_from_db()
    assert (settings_row.open_load_limit, settings_row.reminder_day_list) == (
        3,
        [14, 3, 1],
    )


def test_settings_refuse_a_bad_list_of_days(staff_client):
    settings_row = SchedulingSettings.load()

    response = staff_client.post(
        reverse("admin:scheduling_schedulingsettings_change", args=[settings_row.pk]),
        {"open_load_limit": 3, "reminder_days": "a week", "admin_waiting_days": 7},
    )

    assert "Give whole numbers of days separated by commas" in (
        response.content.decode()
    )
