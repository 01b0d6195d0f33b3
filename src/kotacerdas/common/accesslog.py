"""gunicorn's access log in the product's log format.

With ``DJANGO_LOG_FORMAT=json`` every request becomes one JSON line carrying the
request id that the app's own log lines carry, so a collector can join the two.
The session appears only as a short hash of its cookie: enough to follow one
visitor across app servers, useless for taking over the session.
"""

import hashlib
import json
import os
from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie

from gunicorn.glogging import Logger

# Django's SESSION_COOKIE_NAME, which the settings leave at its default.
SESSION_COOKIE = "sessionid"
TEXT_FORMAT = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s '
    'session=%({x-session-hash}e)s "%(a)s"'
)


def session_hash(cookie_header):
    """The first 16 hex digits of the session cookie's SHA-256, or "-"."""
    if not cookie_header:
        return "-"
    try:
        morsel = SimpleCookie(cookie_header).get(SESSION_COOKIE)
    except CookieError:
        return "-"
    if morsel is None or not morsel.value:
        return "-"
    return hashlib.sha256(morsel.value.encode()).hexdigest()[:16]


def _response_header(resp, name):
    for key, value in resp.headers:
        if key.lower() == name:
            return value
    return "-"


class AccessLogger(Logger):
    """Writes JSON lines or, with the text format, a combined-like line."""

    json_lines = os.environ.get("DJANGO_LOG_FORMAT", "text") == "json"

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        environ["x-session-hash"] = session_hash(environ.get("HTTP_COOKIE", ""))
        if not self.json_lines:
            # deploy/gunicorn.conf.py sets TEXT_FORMAT as the access_log_format.
            super().access(resp, req, environ, request_time)
            return

        status = str(resp.status).split(None, 1)[0]
        duration_ms = request_time.total_seconds() * 1000
        entry = {
            "time": datetime.now(UTC).isoformat(),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {status}",
            "method": environ["REQUEST_METHOD"],
            "path": environ.get("PATH_INFO", ""),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(duration_ms, 1),
            "remote": environ.get("REMOTE_ADDR", "-"),
            "user_agent": environ.get("HTTP_USER_AGENT", "-"),
            "request_id": _response_header(resp, "x-request-id"),
            "session": environ["x-session-hash"],
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:  # noqa: BLE001 -- a log line must never fail a request
            self.exception("access log line failed")
