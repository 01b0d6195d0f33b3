"""gunicorn settings for the web process, read from the environment.

Used by the container, the systemd unit and the scale test alike::

    gunicorn -c deploy/gunicorn.conf.py kotacerdas.wsgi

Every app server is stateless (sessions, the task queue and the files live in
PostgreSQL and the storage), so more of them can run behind the proxy at once.
"""

import os

from kotacerdas.common.accesslog import TEXT_FORMAT

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gunicorn reads WEB_CONCURRENCY itself; the default suits 2 cores (2 × cores + 1
# is the classic rule for CPU-bound Django views, minus one for the worker).
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 25
keepalive = 5
# Restart each worker now and then, so a slow leak in any library cannot grow.
max_requests = 2000
max_requests_jitter = 200

# Load the app in the master before forking: a bad setting (a weak secret key,
# an unknown variable value) stops the server at once with the reason, instead
# of a loop of workers that fail to boot.
preload_app = True

# Only the proxy may say that a request came over HTTPS or from which address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "kotacerdas.common.accesslog.AccessLogger"
access_log_format = TEXT_FORMAT
proc_name = "kotacerdas-web"
