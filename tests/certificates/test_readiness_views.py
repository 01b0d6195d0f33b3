"""The admin's pages to issue readiness certificates."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kotacerdas.assessments.models import StageState
from kotacerdas.certificates.models import Certificate
from kotacerdas.certificates.readiness import issue_readiness_certificate
from tests.assessments.factories import stage_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return stage_in(StageState.DECIDED)


def _issue_url(stage):
    return reverse("certificates:issue_readiness", args=[stage.pk])


PENDING_URL = "/sertifikat/kesiapan/"

# role -> (list to issue, issue page)
MATRIX = {
    "coordinator": (404, 404),
    "member_a": (404, 404),
    "outsider": (404, 404),
    "lead": (404, 404),
    "second": (404, 404),
    "admin": (200, 200),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize("who", MATRIX)
def test_list_to_issue_permission(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))

    assert client.get(PENDING_URL).status_code == MATRIX[who][0]


@pytest.mark.parametrize("who", MATRIX)
def test_issue_page_permission(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))

    assert client.get(_issue_url(world.stage)).status_code == MATRIX[who][1]


@pytest.mark.parametrize("who", ["coordinator", "lead", "outsider"])
def test_a_post_by_anyone_but_the_admin_issues_nothing(client, world, who):
    client.force_login(getattr(world, who))

    response = client.post(_issue_url(world.stage), {"valid_until": "2030-12-31"})

    assert (response.status_code, Certificate.objects.count()) == (404, 0)


def test_the_list_links_each_passed_stage_to_its_issue_page(client, world):
    client.force_login(world.admin)

    page = client.get(PENDING_URL).content.decode()

    assert f'href="{_issue_url(world.stage)}"' in page


def test_the_issue_page_shows_the_ready_indicators_and_default_validity(client, world):
    client.force_login(world.admin)

    response = client.get(_issue_url(world.stage))

    page = response.content.decode()
    assert [i.clause for i in world.indicators if i.clause not in page] == []
    period = world.registration.period
    assert f'value="{period + 1}-12-31"' in page


def test_posting_issues_and_opens_the_public_page(client, world):
    client.force_login(world.admin)

    response = client.post(_issue_url(world.stage), {"valid_until": "2030-06-30"})

    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/verifikasi/{certificate.number}"
    assert str(certificate.valid_until) == "2030-06-30"


def test_a_second_post_shows_the_refusal_and_issues_nothing_more(client, world):
    first = issue_readiness_certificate(world.stage, actor=world.admin)
    client.force_login(world.admin)

    response = client.post(
        "/en" + _issue_url(world.stage), {"valid_until": "2030-06-30"}
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 200
    assert messages == [f"The stage already has the certificate {first.number}."]
    assert Certificate.objects.count() == 1


def test_a_missing_date_is_an_error_and_issues_nothing(client, world):
    client.force_login(world.admin)

    response = client.post("/en" + _issue_url(world.stage), {"valid_until": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "valid_until": ["This field is required."]
    }
    assert Certificate.objects.count() == 0


def test_a_stage_not_decided_shows_why_on_the_issue_page(client):
    w = stage_in(StageState.ASSESSED)
    client.force_login(w.admin)

    response = client.get(_issue_url(w.stage))

    assert 'data-testid="refusal"' in response.content.decode()
    assert response.context["result"] is None
