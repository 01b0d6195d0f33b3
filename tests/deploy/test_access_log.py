"""gunicorn's access log lines: JSON with the request id and a session hash."""

import hashlib
import json
from datetime import timedelta

from gunicorn.config import Config

from kotacerdas.common.accesslog import AccessLogger, session_hash


class _Response:
    status = "302 Found"
    sent = 0
    headers = [("Location", "/dasbor/"), ("X-Request-ID", "abc123")]


def _environ(cookie=""):
    return {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/akun/masuk/?next=/x",
        "PATH_INFO": "/akun/masuk/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "probe",
        "HTTP_COOKIE": cookie,
    }


def test_session_hash_is_short_and_not_the_session_id():
    expected = hashlib.sha256(b"s3cr3t").hexdigest()[:16]

    assert session_hash("csrftoken=x; sessionid=s3cr3t") == expected
    assert "s3cr3t" not in session_hash("sessionid=s3cr3t")


def test_no_or_broken_session_cookie_hashes_to_a_dash():
    assert session_hash("") == "-"
    assert session_hash("csrftoken=x") == "-"
    assert session_hash('sessionid="unterminated') == "-"


def test_json_access_line_carries_request_id_status_and_session(monkeypatch):
    config = Config()
    config.set("accesslog", "-")
    logger = AccessLogger(config)
    monkeypatch.setattr(AccessLogger, "json_lines", True)
    lines = []
    monkeypatch.setattr(logger.access_log, "info", lines.append)

    logger.access(
        _Response(), None, _environ("sessionid=s3cr3t"), timedelta(milliseconds=12)
    )

    entry = json.loads(lines[0])
    assert entry["message"] == "POST /akun/masuk/?next=/x 302"
    assert (entry["status"], entry["request_id"], entry["duration_ms"]) == (
        302,
        "abc123",
        12.0,
    )
    assert entry["session"] == session_hash("sessionid=s3cr3t")
