"""The commands that load reference data and demo accounts."""

import io

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.accounts.demo import DEMO_ACCOUNTS, create_demo_accounts
from kotacerdas.accounts.models import Role, User
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_reference_data_again_reports_nothing_to_do():
    output = _run("load_reference_data")

    assert output.splitlines() == [
        "Regions: 0 created, 0 updated, 552 unchanged",
        "Catalogue: 0 created, 0 updated, 105 unchanged",
        "Methodology v1: unchanged",
    ]


def test_demo_accounts_are_one_per_demo_login():
    create_demo_accounts()

    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {account.email for account in DEMO_ACCOUNTS}


def test_demo_coordinator_belongs_to_surakarta_as_participant():
    create_demo_accounts()

    user = User.objects.get(email="koordinator@surakarta.demo.id")
    assert (user.region.code, user.primary_role) == ("33.72", Role.PARTICIPANT)


def test_demo_password_logs_in():
    create_demo_accounts()

    user = User.objects.get(email="admin@demo.ppti.id")
    assert user.check_password("demo-admin-2026") is True


def test_demo_accounts_made_twice_are_kept_not_duplicated():
    create_demo_accounts()

    results = create_demo_accounts()

    assert [created for _account, created in results] == [False] * len(DEMO_ACCOUNTS)
    assert User.objects.count() == len(DEMO_ACCOUNTS)


def test_create_demo_data_prints_each_demo_login():
    output = _run("create_demo_data")

    for account in DEMO_ACCOUNTS:
        assert f"{account.email:32} {account.password:22}" in output


def test_create_demo_data_needs_the_regions_first(monkeypatch):
    monkeypatch.setattr(Region.objects, "exists", lambda: False)

    with pytest.raises(CommandError) as caught:
        _run("create_demo_data")

    assert str(caught.value) == "Load the reference data first: load_reference_data"
