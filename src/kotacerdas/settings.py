"""Settings for the whole product, read from the environment.

The embedded default (no variables set) is SQLite in WAL mode, local files under
``var/`` and tasks run immediately: enough for one machine and for ``make run``.
Production sets ``DATABASE_URL`` to PostgreSQL and the variables documented in
``docs/deploy.md``.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kotacerdas.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("DJANGO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=False)


def _secret_key():
    """Return the secret key, refusing a missing or weak one outside DEBUG.

    In DEBUG a random key is kept in ``var/`` so that sessions survive a restart
    of ``make run``; in production the key must come from the environment.
    """
    key = env_str("DJANGO_SECRET_KEY", "")
    if not key and DEBUG:
        key_file = VAR_DIR / "dev-secret-key"
        if not key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(64))
        return key_file.read_text().strip()
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is missing or weak: give at least 50 random characters."
        )
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "kotacerdas.accounts",
    "kotacerdas.regions",
    "kotacerdas.indicators",
    "kotacerdas.common",
    "kotacerdas.registrations",
    "kotacerdas.training",
    "kotacerdas.certificates",
    "kotacerdas.scheduling",
    "kotacerdas.assessments",
    "kotacerdas.maturity",
    "kotacerdas.appeals",
    "kotacerdas.dashboard",
    "kotacerdas.public",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kotacerdas.common.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kotacerdas.common.middleware.UserContextMiddleware",
    # Axes goes last so that it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]
if env_bool("DJANGO_BENCH_QUERY_HEADER", default=False):
    # Only for `make bench`: reports the SQL query count of each response.
    MIDDLEWARE.insert(0, "kotacerdas.common.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "kotacerdas.urls"
WSGI_APPLICATION = "kotacerdas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "kotacerdas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kotacerdas.common.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in WAL mode unless DATABASE_URL names another server.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "public:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Lockout after repeated failures, per account and address together, so that one
# attacker cannot lock a colleague out from another office.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login forms post the e-mail address as "username"; axes would otherwise look
# for it under USERNAME_FIELD ("email"), find nothing, and never lock an account.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "kotacerdas.accounts.forms.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)

# Language and time. Indonesian first, English second; stored in UTC, shown in the
# region's zone where a region is known.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "src" / "kotacerdas" / "locale"]
LANGUAGE_COOKIE_NAME = "kotacerdas_language"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# Files. Static assets are collected and served by WhiteNoise; uploads go to the
# private storage and leave it only through permission-checked views.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "src" / "kotacerdas" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
STORAGE_BACKEND = env_choice("DJANGO_STORAGE_BACKEND", {"local", "s3"}, "local")
if STORAGE_BACKEND == "s3":
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("DJANGO_S3_BUCKET"),
            "endpoint_url": env_str("DJANGO_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("DJANGO_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("DJANGO_S3_SECRET_KEY", "") or None,
            "region_name": env_str("DJANGO_S3_REGION", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    }
STORAGES = {
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365
# Behind nginx, private downloads are handed to it after the permission check.
PRIVATE_FILES_X_ACCEL_PREFIX = env_str("DJANGO_X_ACCEL_PREFIX", "") or None
UPLOAD_MAX_BYTES = env_int("DJANGO_UPLOAD_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Mail: Django 6.1's MAILERS. SMTP when a host is configured, the console otherwise
# (the console is for development; `check --deploy` refuses it).
EMAIL_SMTP_HOST = env_str("DJANGO_EMAIL_HOST", "")
if EMAIL_SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_SMTP_HOST,
                "port": env_int("DJANGO_EMAIL_PORT", 587),
                "username": env_str("DJANGO_EMAIL_USER", ""),
                "password": env_str("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
                "timeout": env_int("DJANGO_EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "Indeks Kematangan Kota Cerdas <noreply@ppti.or.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: run at once by default; the database queue with its worker in
# production.
TASKS_BACKEND = env_choice(
    "DJANGO_TASKS_BACKEND", {"immediate", "database"}, "immediate"
)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# `run_worker` refreshes its heartbeat this often; /healthz fails once the newest
# heartbeat is older than the limit.
WORKER_HEARTBEAT_SECONDS = env_int("DJANGO_WORKER_HEARTBEAT_SECONDS", 15)
WORKER_HEARTBEAT_MAX_AGE = env_int("DJANGO_WORKER_HEARTBEAT_MAX_AGE", 120)

CACHE_URL = env_str("DJANGO_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Security. A strict Content-Security-Policy: scripts only from ourselves and with
# the request's nonce, no inline styles at all.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

SIMPLE_HISTORY_REVERT_DISABLED = True
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOG_FORMAT = env_choice("DJANGO_LOG_FORMAT", {"text", "json"}, "text")
LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "kotacerdas.common.logging.RequestContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] "
            "%(message)s"
        },
        "json": {"()": "kotacerdas.common.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

# Product configuration.
PROGRAMME_NAME = _("Smart City Maturity Index")
INSTITUTE_NAME = "PPTI (Perkumpulan Profesional Teknologi Informasi)"
# Team invitations: how long the link in the e-mail stays valid.
INVITATION_VALID_DAYS = env_int("DJANGO_INVITATION_VALID_DAYS", 7)
# Certificates: the TrueType fonts embedded in the PDFs (DejaVuSans.ttf, -Bold and
# -Oblique; Debian package fonts-dejavu-core), and the largest PDF the
# public verification page accepts for its "is this copy genuine?" check.
PDF_FONT_DIR = env_str("DJANGO_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
CERTIFICATE_CHECK_MAX_BYTES = (
    env_int("DJANGO_CERTIFICATE_CHECK_MAX_MB", 10) * 1024 * 1024
)
