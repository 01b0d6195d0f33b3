"""Request ids on responses, for tracing a request through the logs."""

import json
import logging
import re

import pytest
from django.urls import reverse

from kotacerdas.common.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_response_carries_a_new_request_id(client):
    response = client.get(reverse("healthz"))

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_incoming_request_id_is_kept(client):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="abc123XYZ")

    assert response["X-Request-ID"] == "abc123XYZ"


def test_incoming_request_id_with_odd_characters_is_replaced(client):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="evil\r\nSet-Cookie")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_json_log_line_has_the_request_context():
    record = logging.LogRecord(
        "kotacerdas.x", logging.INFO, __file__, 1, "hi %s", ("yo",), None
    )
    record.request_id, record.user = "r1", "7"

    line = json.loads(JsonFormatter().format(record))

    assert {
        k: line[k] for k in ("level", "logger", "message", "request_id", "user")
    } == {
        "level": "INFO",
        "logger": "kotacerdas.x",
        "message": "hi yo",
        "request_id": "r1",
        "user": "7",
    }
