"""Open data: the CSV and JSON downloads, the JSON API and its OpenAPI
description, all under the publication policy."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import resolve, reverse
from django.utils import translation

from tests.maturity.factories_results import certify, consent, published, set_policy

pytestmark = pytest.mark.django_db


def _content(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def _csv(response):
    text = _content(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def two_regions():
    """Kota Surakarta (consented, certified, two periods) and Kabupaten Bogor
    (published but not consented) under "all results, with consent"."""
    set_policy("all", require_consent=True)
    old = published(
        "33.72",
        2025,
        index="2.40",
        predicate="Cukup",
        tier="M1",
        verified=8,
        levels=[2, 3, None],
    )
    new = published(
        "33.72",
        2026,
        index="3.60",
        predicate="Sangat Baik",
        tier="M3",
        verified=22,
        version=2,
        levels=[4, 3],
        dimensions={
            "governance": "3.50",
            "people": "4.00",
            "living": "3.25",
            "mobility": None,
            "environment": "3.00",
            "economy": "4.25",
        },
    )
    certificate = certify(new)
    consent("33.72")
    published("32.01", 2026)
    consent("32.01", consented=False)
    return old, new, certificate


def test_results_csv_has_one_row_per_region_and_period(client, two_regions):
    _old, _new, certificate = two_regions

    response = client.get(reverse("open_results:results_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert [(r["region_code"], r["period"]) for r in rows] == [
        ("33.72", "2025"),
        ("33.72", "2026"),
    ]
    latest = rows[1]
    assert latest["region_name"] == "Kota Surakarta"
    assert latest["kind"] == "city"
    assert (latest["province_code"], latest["province_name"]) == ("33", "Jawa Tengah")
    assert (latest["index"], latest["predicate"], latest["tier"]) == (
        "3.60",
        "Sangat Baik",
        "M3",
    )
    assert latest["verified_count"] == "22"
    assert latest["dimension_governance"] == "3.50"
    assert latest["dimension_mobility"] == ""
    assert latest["dimension_economy"] == "4.25"
    assert latest["report_version"] == "2"
    assert latest["certificate_number"] == certificate.number
    assert rows[0]["certificate_number"] == ""


def test_indicator_csv_has_one_row_per_indicator_line(client, two_regions):
    response = client.get(reverse("open_results:lines_csv"))

    rows = _csv(response)
    assert [
        (r["period"], r["clause"], r["level"], r["verification"]) for r in rows
    ] == [
        ("2025", "5.1", "2", "verified"),
        ("2025", "5.2", "3", "verified"),
        ("2025", "5.3", "", "rejected"),
        ("2026", "5.1", "4", "verified"),
        ("2026", "5.2", "3", "verified"),
    ]
    assert {r["region_code"] for r in rows} == {"33.72"}
    assert rows[0]["value"] == "40"
    assert rows[0]["data_year"] == "2024"


def test_results_json_parses_and_holds_the_same_records(client, two_regions):
    response = client.get(reverse("open_results:results_json"))

    document = json.loads(_content(response))
    assert [(r["region_code"], r["period"]) for r in document["results"]] == [
        ("33.72", 2025),
        ("33.72", 2026),
    ]
    latest = document["results"][1]
    assert latest["index"] == "3.60"
    assert latest["dimensions"]["people"] == "4.00"
    assert latest["dimensions"]["mobility"] is None
    assert "PPTI" in document["source"]


def test_downloads_are_empty_but_valid_when_nothing_is_public(client):
    set_policy("certified", require_consent=True)
    published("33.72")

    assert _csv(client.get(reverse("open_results:results_csv"))) == []
    assert _csv(client.get(reverse("open_results:lines_csv"))) == []
    document = json.loads(_content(client.get(reverse("open_results:results_json"))))
    assert document["results"] == []


def test_an_unconsented_region_is_absent_everywhere(client, two_regions):
    def codes_in(text):
        return "32.01" in text or "Kabupaten Bogor" in text

    assert not codes_in(_content(client.get(reverse("open_results:results_csv"))))
    assert not codes_in(_content(client.get(reverse("open_results:lines_csv"))))
    assert not codes_in(_content(client.get(reverse("open_results:results_json"))))
    assert not codes_in(client.get(reverse("open_results:api_list")).content.decode())
    assert not codes_in(client.get(reverse("open_results:list")).content.decode())
    detail = client.get(reverse("open_results:api_detail", args=["32.01", 2026]))
    assert detail.status_code == 404
    assert client.get(reverse("open_results:region", args=["32.01"])).status_code == 404
    assert client.get(reverse("open_results:radar", args=["32.01"])).status_code == 404


def test_withdrawing_consent_removes_the_region_from_the_downloads(client, two_regions):
    consent("33.72", consented=False)

    assert _csv(client.get(reverse("open_results:results_csv"))) == []
    assert client.get(reverse("open_results:api_list")).json()["count"] == 0


# The API ---------------------------------------------------------------------------


def test_api_list_pages_and_filters(client):
    set_policy("all")
    for code in ["33.72", "32.73", "32.71", "33.01", "33.02"]:
        published(code, 2026)
    published("33.72", 2025)
    url = reverse("open_results:api_list")

    first = client.get(url, {"page_size": 2, "period": 2026}).json()
    assert (first["count"], first["page"], first["pages"]) == (5, 1, 3)
    assert [r["region_code"] for r in first["results"]] == ["32.71", "32.73"]
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get(url, {"page_size": 2, "period": 2026, "page": 3}).json()
    assert [r["region_code"] for r in last["results"]] == ["33.72"]
    assert last["next"] is None

    kinds = client.get(url, {"kind": "regency"}).json()
    assert {r["region_code"] for r in kinds["results"]} == {"33.01", "33.02"}
    province = client.get(url, {"province": "32"}).json()
    assert {r["region_code"] for r in province["results"]} == {"32.71", "32.73"}
    assert client.get(url, {"period": "2025"}).json()["count"] == 1


def test_api_list_refuses_a_bad_period_and_a_page_past_the_end(client):
    set_policy("all")
    published("33.72")
    url = reverse("open_results:api_list")

    assert client.get(url, {"period": "dua"}).status_code == 400
    assert client.get(url, {"page": 9}).status_code == 404


def test_api_detail_has_the_indicator_lines(client, two_regions):
    response = client.get(reverse("open_results:api_detail", args=["33.72", 2026]))

    assert response.status_code == 200
    record = response.json()
    assert (record["region_code"], record["period"], record["tier"]) == (
        "33.72",
        2026,
        "M3",
    )
    assert [(i["clause"], i["level"], i["value"]) for i in record["indicators"]] == [
        ("5.1", 4, "40"),
        ("5.2", 3, "40"),
    ]
    assert record["themes"] == {"5": "3.60"}


def test_api_detail_of_a_period_without_result_is_404(client, two_regions):
    response = client.get(reverse("open_results:api_detail", args=["33.72", 2020]))

    assert response.status_code == 404
    assert "error" in response.json()


# The OpenAPI document ------------------------------------------------------------


@pytest.fixture
def document(client):
    response = client.get(reverse("open_results:openapi"))
    assert response.status_code == 200
    return response.json()


def test_openapi_is_version_3_1_with_the_api_paths(document):
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/terbuka/api/v1/hasil/",
        "/terbuka/api/v1/hasil/{code}/{period}/",
        "/terbuka/data/hasil.csv",
        "/terbuka/data/hasil.json",
        "/terbuka/data/indikator.csv",
    }


def test_every_openapi_path_resolves_to_a_public_view(client, document, two_regions):
    samples = {"{code}": "33.72", "{period}": "2026"}
    for template in document["paths"]:
        path = template
        for placeholder, value in samples.items():
            path = path.replace(placeholder, value)

        # The document names the default language's addresses (no prefix).
        with translation.override("id"):
            assert resolve(path).namespace == "open_results"
        assert client.get(path).status_code == 200, path


def _required(document, name):
    schema = document["components"]["schemas"][name]
    return set(schema["required"]), set(schema["properties"])


def test_api_answers_have_exactly_the_fields_of_the_schema(
    client, document, two_regions
):
    page_required, page_properties = _required(document, "ResultPage")
    result_required, result_properties = _required(document, "Result")
    detail_required, detail_properties = _required(document, "ResultDetail")
    line_required, line_properties = _required(document, "Line")

    page = client.get(reverse("open_results:api_list")).json()
    assert page_required <= set(page) <= page_properties
    for record in page["results"]:
        assert result_required <= set(record) <= result_properties
        assert set(record["dimensions"]) == set(
            document["components"]["schemas"]["Result"]["properties"]["dimensions"][
                "required"
            ]
        )
    detail = client.get(reverse("open_results:api_detail", args=["33.72", 2026])).json()
    assert detail_required <= set(detail) <= detail_properties
    for line in detail["indicators"]:
        assert line_required <= set(line) <= line_properties


def test_api_values_have_the_types_of_the_schema(client, document, two_regions):
    properties = document["components"]["schemas"]["Result"]["properties"]
    python_types = {
        "string": str,
        "integer": int,
        "object": dict,
        "null": type(None),
    }

    record = client.get(reverse("open_results:api_list")).json()["results"][0]

    for name, value in record.items():
        declared = properties[name]["type"]
        allowed = declared if isinstance(declared, list) else [declared]
        assert isinstance(value, tuple(python_types[t] for t in allowed)), name


@pytest.mark.parametrize(
    "name", ["api_list", "openapi", "results_csv", "results_json", "lines_csv"]
)
def test_open_data_may_be_read_from_other_sites(client, name):
    response = client.get(reverse(f"open_results:{name}"))

    assert response["Access-Control-Allow-Origin"] == "*"
