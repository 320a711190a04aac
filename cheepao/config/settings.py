"""Django settings, all read from the environment so one build runs on a laptop and in production.

Environment:
    DEBUG                  1/true/yes/on for development; off by default so a forgotten
                           variable never exposes tracebacks in production, and refused
                           unless ALLOWED_HOSTS are this machine's loopback names only.
    SECRET_KEY             required when DEBUG is off.
    ALLOWED_HOSTS          comma-separated host names (localhost names are allowed in DEBUG).
    CSRF_TRUSTED_ORIGINS   comma-separated origins, e.g. https://cheepao.example.go.th
    DATABASE_URL           default sqlite:///<repo>/var/cheepao.sqlite3; PostgreSQL in
                           production and CI (postgres://user:pass@host:port/name).
    CHEEPAO_STATIC_ROOT    where `collectstatic` puts the static files (default <repo>/var/static).
    CHEEPAO_SQLITE_TIMEOUT seconds an SQLite writer waits for the write lock (default 20).
    CHEEPAO_RUNS_DIR       where engine runs live, one directory per survey year
                           (default <repo>/var/runs).
    CHEEPAO_MEDIA_ROOT     where Django's default storage keeps files: uploaded lists
                           waiting for their import, files made by background jobs
                           (default <repo>/var/media). Never served as static files.
    CHEEPAO_JOBS_PROGRESS_DIR  the file cache in which running background jobs report their
                           progress to the web processes (default <repo>/var/jobs-progress);
                           web and worker processes must share it (ADR 0021).
    CHEEPAO_HTTPS          1 when served over HTTPS (default: on when DEBUG is off): secure
                           cookies, HSTS, and trusting X-Forwarded-Proto from the proxy.
    CHEEPAO_HSTS_SECONDS   HSTS max-age when CHEEPAO_HTTPS is on (default one year).
    CHEEPAO_SSL_REDIRECT   redirect plain HTTP to HTTPS when CHEEPAO_HTTPS is on (default 1;
                           0 when the proxy already redirects and probes over HTTP).
    CHEEPAO_MAP_TILES      a tile URL template for the maps under the pins, e.g.
                           https://tile.openstreetmap.org/{z}/{x}/{y}.png (default empty: no
                           tiles, the district boundary is the background and the maps work
                           offline). Each tile request tells the tile server which area is
                           being looked at; use a server the deployment may share that with.
    CHEEPAO_MAP_TILES_ATTRIBUTION  the tiles' attribution, shown on the map (default
                           "© OpenStreetMap contributors" with a link; HTML allowed).
    CHEEPAO_PIN_LOOKUP_LIMIT           national IDs one account may look up (search by PIN,
    CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES  form ศจพ.2 preview and save) in a rolling window of
                           that many minutes (default 200 in 60); ADR 0009.
    CHEEPAO_EMAIL_BACKEND, CHEEPAO_EMAIL_HOST, CHEEPAO_EMAIL_PORT, CHEEPAO_EMAIL_USER,
    CHEEPAO_EMAIL_PASSWORD, CHEEPAO_EMAIL_TLS, CHEEPAO_EMAIL_TIMEOUT, CHEEPAO_EMAIL_FROM
                           the mail server of notification copies (default: the console
                           when DEBUG, else SMTP on localhost:25); ADR 0029.
    CHEEPAO_SITE_URL       the site's address before links sent by e-mail or LINE.
    CHEEPAO_LINE_CHANNEL_TOKEN  the LINE Messaging API channel access token; when set,
                           accounts may receive notification copies by LINE (default off).
    CHEEPAO_OPEN_DATA_MIN_COUNT  the open data hide every count greater than 0 and less
                           than this (default 5), and further counts so that none of them
                           can be worked out from the totals (ADR 0035).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent
VAR_DIR = REPO_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, or DEBUG=1 for development."
        )
    SECRET_KEY = "cheepao-development-only-not-secret"

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOCAL_HOSTS if DEBUG else [])
if DEBUG and not set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS):
    # Debug pages show tracebacks, settings and SQL: only ever to the developer's own machine.
    raise ImproperlyConfigured(
        "DEBUG is on with ALLOWED_HOSTS beyond this machine "
        f"({', '.join(ALLOWED_HOSTS)}): Django's debug pages would reach other people. "
        "Serve with DEBUG off (scripts/demo-serve does so for the demo)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "cheepao.geo",
    "cheepao.accounts",
    "cheepao.audit",
    "cheepao.jobs",
    "cheepao.households",
    "cheepao.verification",
    "cheepao.imports",
    "cheepao.newhouseholds",
    "cheepao.mentoring",
    "cheepao.folders",
    "cheepao.plans",
    "cheepao.logbook",
    "cheepao.notifications",
    "cheepao.routing",
    "cheepao.escalation",
    "cheepao.helpstats",
    "cheepao.evaluation",
    "cheepao.snapshots",
    "cheepao.dashboards",
    "cheepao.opendata",
    "cheepao.reports",
    "cheepao.maps",
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "households:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Lockout (django-axes): 5 failures for one username from one address lock that pair for
# an hour; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("CHEEPAO_LOCKOUT_FAILURES", 5))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
OTP_TOTP_ISSUER = "Cheepao"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP on every page, no-store on personal data (static files are served above it).
    "cheepao.config.security.SecurityHeadersMiddleware",
    # A database too busy to write answers "send again" with the form kept, never 500.
    "cheepao.config.busy.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A refusal a view did not handle becomes its page and status (core.web, ADR 0017).
    "cheepao.core.web.ServiceErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cheepao.accounts.middleware.AccountGuardMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cheepao.config.urls"
WSGI_APPLICATION = "cheepao.config.wsgi.application"
ASGI_APPLICATION = "cheepao.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cheepao.accounts.navigation.navigation",
                "cheepao.notifications.context.bell",
            ],
            # Thai formatting is needed by every app's templates, so it is registered here
            # rather than inside one app's templatetags.
            "libraries": {"thai": "cheepao.config.thai"},
        },
    }
]

_default_db = VAR_DIR / "cheepao.sqlite3"
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{_default_db}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default takes writes from several worker processes at once (ADR 0014):
    # a transaction takes the write lock when it begins (IMMEDIATE) rather than failing to
    # upgrade a read lock half-way; WAL lets pages read while one transaction writes; a
    # writer waits up to CHEEPAO_SQLITE_TIMEOUT seconds for its turn. A lock that still
    # cannot be had is answered by cheepao.config.busy ("try again", the form kept).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("CHEEPAO_SQLITE_TIMEOUT") or 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first; English for agencies, donors and developers.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CHEEPAO_STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CHEEPAO_RUNS_DIR = Path(os.environ.get("CHEEPAO_RUNS_DIR") or VAR_DIR / "runs")
# Files of the default storage: uploads waiting for their job, files jobs made. Only the
# job's own download view hands them out (MEDIA_URL is not served).
MEDIA_ROOT = Path(os.environ.get("CHEEPAO_MEDIA_ROOT") or VAR_DIR / "media")

# Maps: background tiles only when a tile server is configured (see the docstring).
CHEEPAO_MAP_TILES = os.environ.get("CHEEPAO_MAP_TILES", "").strip()
CHEEPAO_MAP_TILES_ATTRIBUTION = os.environ.get(
    "CHEEPAO_MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# National-ID lookups per account in a rolling window (ADR 0009), counted from the audit log
# so the limit holds across worker processes.
CHEEPAO_PIN_LOOKUP_LIMIT = int(os.environ.get("CHEEPAO_PIN_LOOKUP_LIMIT", 200))
CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES = int(os.environ.get("CHEEPAO_PIN_LOOKUP_WINDOW_MINUTES", 60))
# Mentor teams (mentoring): members per team, and the most households one person cares for
# (the letters: one civil servant for one household "or as staff allow").
CHEEPAO_TEAM_SIZE_MIN = int(os.environ.get("CHEEPAO_TEAM_SIZE_MIN", 3))
CHEEPAO_TEAM_SIZE_MAX = int(os.environ.get("CHEEPAO_TEAM_SIZE_MAX", 5))
CHEEPAO_MENTOR_CAP = int(os.environ.get("CHEEPAO_MENTOR_CAP", 10))

# Notifications (ADR 0029): copies by e-mail through Django's mail settings (EMAIL_HOST,
# EMAIL_PORT, EMAIL_HOST_USER, ... as Django reads them; the console when DEBUG, for the
# demo) and, only when CHEEPAO_LINE_CHANNEL_TOKEN is set, by the LINE Messaging API.
EMAIL_BACKEND = os.environ.get(
    "CHEEPAO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("CHEEPAO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CHEEPAO_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("CHEEPAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CHEEPAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHEEPAO_EMAIL_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("CHEEPAO_EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = os.environ.get("CHEEPAO_EMAIL_FROM", "Cheepao <noreply@localhost>")
# The site's address, put before the links in e-mail and LINE copies (e.g. https://cheepao.example).
CHEEPAO_SITE_URL = os.environ.get("CHEEPAO_SITE_URL", "").strip()
CHEEPAO_LINE_CHANNEL_TOKEN = os.environ.get("CHEEPAO_LINE_CHANNEL_TOKEN", "").strip()
# Open data (ADR 0035): counts 0 < n < this are suppressed, with complementary suppression.
CHEEPAO_OPEN_DATA_MIN_COUNT = int(os.environ.get("CHEEPAO_OPEN_DATA_MIN_COUNT", 5))

# Background work (ADR 0021): a job's task is a row in the database, taken by
# `manage.py db_worker` (`make demo` starts one beside the web server).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# The progress of running jobs, written by the worker and read by the job's page: a cache
# both processes share (files here; a shared cache such as Redis when web and worker run on
# different machines). Not the database: a job that writes in one transaction would hide
# its progress until it ends.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(
            Path(os.environ.get("CHEEPAO_JOBS_PROGRESS_DIR") or VAR_DIR / "jobs-progress")
        ),
    },
}

# Security headers. SecurityMiddleware's defaults already send nosniff and a same-origin
# referrer policy; the rest depends on whether the site is behind HTTPS.
HTTPS = env_bool("CHEEPAO_HTTPS", not DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("CHEEPAO_HSTS_SECONDS", 31_536_000))
    # Cheepao usually runs on one host of a shared government domain (…go.th) whose other
    # subdomains it does not control, so HSTS must not claim them, nor the preload list.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
    SECURE_SSL_REDIRECT = env_bool("CHEEPAO_SSL_REDIRECT", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Replaces Django's own "django" logger handlers, which would print every record twice.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
