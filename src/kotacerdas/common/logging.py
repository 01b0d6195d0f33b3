import json
import logging
from datetime import UTC, datetime

from kotacerdas.common.middleware import request_id_var, user_var


class RequestContextFilter(logging.Filter):
    """Add the current request id and user to every record."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user = user_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "user", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
