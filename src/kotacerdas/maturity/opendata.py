"""Open data of the published results: CSV and JSON downloads, the read-only
JSON API and its OpenAPI description (SPEC §10).

Only what ``results.public_reports`` lets through is ever serialised, so an
unconsented or (under the "certified" policy) uncertified region is absent
from every file and answer. The downloads are streamed: rows are read with
``iterator(chunk_size=...)`` and written one by one, so memory stays flat
whatever the number of regions, periods and indicators.
"""

import csv
import json
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from kotacerdas.maturity import results
from kotacerdas.maturity.models import ReportLine

CHUNK = 2000
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
DIMENSIONS = ("governance", "people", "living", "mobility", "environment", "economy")

# One row per region x period; the dimension columns follow in DIMENSIONS order.
RESULT_FIELDS = (
    "region_code",
    "region_name",
    "kind",
    "province_code",
    "province_name",
    "period",
    "index",
    "predicate",
    "tier",
    "verified_count",
    *(f"dimension_{code}" for code in DIMENSIONS),
    "report_version",
    "published_at",
    "certificate_number",
)
# One row per region x period x indicator of a published report.
LINE_FIELDS = (
    "region_code",
    "region_name",
    "period",
    "report_version",
    "clause",
    "value",
    "data_year",
    "verification",
    "level",
)


def _text(value):
    """A value as it goes into a CSV cell: decimals plain, None empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value)


def _plain(value):
    """A stored figure without its padding zeros: 40.0000 is "40"."""
    return None if value is None else format(value.normalize(), "f")


def _number(value):
    """A Decimal for JSON: a string keeps its exact digits."""
    return None if value is None else str(value)


# Rows ---------------------------------------------------------------------------


def result_record(report):
    """The open-data record of one report (with ``results.with_details``)."""
    region = report.stage.registration.region
    province = region.province
    scores = results.dimension_scores(report)
    return {
        "region_code": region.code,
        "region_name": region.official_name,
        "kind": region.kind,
        "province_code": province.code if province else "",
        "province_name": province.name if province else "",
        "period": report.stage.registration.period,
        "index": _number(report.index),
        "predicate": report.predicate,
        "tier": report.tier,
        "verified_count": report.verified_count,
        "dimensions": {code: _number(scores.get(code)) for code in DIMENSIONS},
        "report_version": report.version,
        "published_at": (
            report.published_at.isoformat() if report.published_at else None
        ),
        "certificate_number": report.certificate_number or None,
    }


def _flat(record):
    row = {key: value for key, value in record.items() if key != "dimensions"}
    for code, value in record["dimensions"].items():
        row[f"dimension_{code}"] = value
    return [_text(row[name]) for name in RESULT_FIELDS]


def result_records(reports):
    """Records of ``reports`` (already filtered), region by region, streamed."""
    ordered = results.with_details(reports).order_by(
        f"{results.REGION}__code", results.PERIOD
    )
    for report in ordered.iterator(chunk_size=CHUNK):
        yield result_record(report)


def line_rows(reports):
    """``LINE_FIELDS`` tuples of every indicator line of ``reports``, read in
    chunks straight from the database (no model instances)."""
    region = f"report__{results.REGION}"
    return (
        ReportLine.objects.filter(report__in=reports.values("pk"))
        .order_by(f"{region}__code", f"report__{results.PERIOD}", "indicator__sort_key")
        .values_list(
            F(f"{region}__code"),
            F(f"{region}__official_name"),
            F(f"report__{results.PERIOD}"),
            F("report__version"),
            F("indicator__clause"),
            "value",
            "data_year",
            "verification",
            "level",
        )
        .iterator(chunk_size=CHUNK)
    )


# Streams ------------------------------------------------------------------------


class _Echo:
    """A file whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def csv_stream(header, rows):
    """Lines of a CSV file (UTF-8 with a byte-order mark, for spreadsheets)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def results_csv(reports):
    return csv_stream(RESULT_FIELDS, (_flat(r) for r in result_records(reports)))


def lines_csv(reports):
    return csv_stream(
        LINE_FIELDS, ([_text(value) for value in row] for row in line_rows(reports))
    )


def results_json(reports, *, source):
    """A JSON document ``{"source", "fields", "results": [...]}``, streamed one
    record at a time."""
    yield '{"source": ' + json.dumps(source) + ', "results": ['
    first = True
    for record in result_records(reports):
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}\n"


# The API ------------------------------------------------------------------------


def detail_record(report, lines):
    record = result_record(report)
    if hasattr(report, "result_themes"):
        themes = report.result_themes or []
    else:
        themes = (report.result or {}).get("themes") or []
    if isinstance(themes, dict):
        themes = [{"number": k, "score": v} for k, v in themes.items()]
    record["themes"] = {
        str(theme["number"]): _number(theme.get("score"))
        for theme in sorted(themes, key=lambda theme: int(theme["number"]))
    }
    record["indicators"] = [
        {
            "clause": line.indicator.clause,
            "title": line.indicator.title,
            "value": _plain(line.value),
            "data_year": line.data_year,
            "verification": line.verification,
            "level": line.level,
        }
        for line in lines
    ]
    return record


def _string(description, *, nullable=False, **extra):
    kind = ["string", "null"] if nullable else "string"
    return {"type": kind, "description": description, **extra}


def _integer(description, *, nullable=False):
    return {
        "type": ["integer", "null"] if nullable else "integer",
        "description": description,
    }


def _result_schema():
    decimal = {"pattern": r"^-?\d+(\.\d+)?$"}
    return {
        "type": "object",
        "required": [
            "region_code",
            "region_name",
            "kind",
            "province_code",
            "province_name",
            "period",
            "index",
            "predicate",
            "tier",
            "verified_count",
            "dimensions",
            "report_version",
            "published_at",
            "certificate_number",
        ],
        "properties": {
            "region_code": _string("Kemendagri code of the kota or kabupaten."),
            "region_name": _string("Official name of the region."),
            "kind": _string(
                "city (kota) or regency (kabupaten).", enum=["city", "regency"]
            ),
            "province_code": _string("Kemendagri code of the province."),
            "province_name": _string("Name of the province."),
            "period": _integer("Assessment period (year)."),
            "index": _string(
                "Maturity Index 1.00–5.00, as a decimal string.",
                nullable=True,
                **decimal,
            ),
            "predicate": _string("Rating (predikat) of the index."),
            "tier": _string("Tier code M1–M5; empty when no tier is reached."),
            "verified_count": _integer("Indicators verified and counted."),
            "dimensions": {
                "type": "object",
                "description": "Score of each of the six dimensions (decimal strings).",
                "required": list(DIMENSIONS),
                "properties": {
                    code: _string(f"Score of the {code} dimension.", nullable=True)
                    for code in DIMENSIONS
                },
            },
            "report_version": _integer("Version of the published report."),
            "published_at": _string(
                "When the report was published (ISO 8601).",
                nullable=True,
                format="date-time",
            ),
            "certificate_number": _string(
                "Number of the maturity certificate (SCM-YYYY-NNNN), if any.",
                nullable=True,
            ),
        },
    }


def _detail_schema():
    schema = _result_schema()
    line = {
        "type": "object",
        "required": ["clause", "title", "value", "data_year", "verification", "level"],
        "properties": {
            "clause": _string("ISO 37122 clause of the indicator."),
            "title": _string("Title of the indicator in the requested language."),
            "value": _string("Value of the indicator (decimal string).", nullable=True),
            "data_year": _integer("Year of the data.", nullable=True),
            "verification": _string(
                "verified, adjusted or rejected.",
                enum=["verified", "adjusted", "rejected", ""],
            ),
            "level": _integer("Final maturity level 1–5.", nullable=True),
        },
    }
    return {
        "allOf": [{"$ref": "#/components/schemas/Result"}],
        "type": "object",
        "required": [*schema["required"], "themes", "indicators"],
        "properties": {
            **schema["properties"],
            "themes": {
                "type": "object",
                "description": "Score per ISO 37122 theme (clause number).",
                "additionalProperties": _string("Theme score.", nullable=True),
            },
            "indicators": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Line"},
            },
        },
    }, line


def _parameter(name, description, schema):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def openapi_document(request):
    """The OpenAPI 3.1 description of the results API (and the downloads)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _openapi_document(request)


def _openapi_document(request):
    detail, line = _detail_schema()
    list_url = reverse("open_results:api_list")
    detail_url = (
        reverse("open_results:api_detail", kwargs={"code": "CODE", "period": 9999})
        .replace("CODE", "{code}")
        .replace("9999", "{period}")
    )
    filters = [
        _parameter("period", "Assessment period (year).", {"type": "integer"}),
        _parameter("province", "Province code, e.g. 33.", {"type": "string"}),
        _parameter(
            "kind", "city or regency.", {"type": "string", "enum": ["city", "regency"]}
        ),
        _parameter("tier", "Tier code (M1–M5), or none.", {"type": "string"}),
        _parameter("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
        _parameter(
            "page_size",
            f"Results per page (default {API_PAGE_SIZE}, at most {API_MAX_PAGE_SIZE}).",
            {"type": "integer", "minimum": 1, "maximum": API_MAX_PAGE_SIZE},
        ),
    ]
    page_schema = {
        "type": "object",
        "required": ["count", "page", "pages", "next", "previous", "results"],
        "properties": {
            "count": _integer("Results matching the filters."),
            "page": _integer("This page."),
            "pages": _integer("Number of pages."),
            "next": _string("URL of the next page.", nullable=True),
            "previous": _string("URL of the previous page.", nullable=True),
            "results": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Result"},
            },
        },
    }
    csv_response = {
        "200": {
            "description": "CSV file (UTF-8), streamed.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Smart City Maturity Index — open results",
            "version": "1",
            "description": (
                "Published Maturity Index results of Indonesian kota and kabupaten, "
                "as the publication policy allows (only consented regions; "
                "optionally only certified ones). Read-only; no authentication."
            ),
        },
        "servers": [{"url": request.build_absolute_uri("/")[:-1]}],
        "paths": {
            list_url: {
                "get": {
                    "operationId": "listResults",
                    "summary": "Published results, one per region and period.",
                    "parameters": filters,
                    "responses": {
                        "200": {
                            "description": "A page of results.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/ResultPage"
                                    }
                                }
                            },
                        }
                    },
                }
            },
            detail_url: {
                "get": {
                    "operationId": "getResult",
                    "summary": "One region's result of one period, with its indicators.",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "period",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The result.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/ResultDetail"
                                    }
                                }
                            },
                        },
                        "404": {
                            "description": "No public result of this region and period."
                        },
                    },
                }
            },
            reverse("open_results:results_csv"): {
                "get": {
                    "operationId": "downloadResultsCsv",
                    "summary": "Every public result as CSV.",
                    "responses": csv_response,
                }
            },
            reverse("open_results:results_json"): {
                "get": {
                    "operationId": "downloadResultsJson",
                    "summary": "Every public result as one JSON document.",
                    "responses": {
                        "200": {
                            "description": "JSON document, streamed.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["source", "results"],
                                        "properties": {
                                            "source": _string(
                                                "Where the data comes from."
                                            ),
                                            "results": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/Result"
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            reverse("open_results:lines_csv"): {
                "get": {
                    "operationId": "downloadIndicatorsCsv",
                    "summary": "Every indicator line of the public results as CSV.",
                    "responses": csv_response,
                }
            },
        },
        "components": {
            "schemas": {
                "Result": _result_schema(),
                "ResultDetail": detail,
                "Line": line,
                "ResultPage": page_schema,
            }
        },
    }
