"""Passerelles settings: one module, read from the environment.

Development defaults are safe: with nothing set, DEBUG is off and the secure
cookie and HTTPS settings are on. `make run` turns DEBUG on explicitly.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """A DATABASES entry from DATABASE_URL (dj-database-url), with our own options added."""
    try:
        config = dj_database_url.parse(url)
    except ValueError as error:  # an unknown scheme, a badly quoted part
        raise ImproperlyConfigured(f"DATABASE_URL is not valid: {error}") from None
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Writers queue at BEGIN instead of failing with "database is locked" mid-transaction.
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation and parallel workers cost more than they save on our short,
        # indexed queries (their start-up alone is several milliseconds per query).
        # random_page_cost: the directory stays in memory (28 MB of search documents at
        # 50,000 services), so reading an index costs about what reading the table does;
        # at PostgreSQL's default (4, for spinning disks) it matched a search's words
        # against all 50,000 documents (32 ms) rather than read the GIN index (4 ms).
        options.setdefault(
            "options", "-c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
        )
        config["PORT"] = str(config.get("PORT") or "")
        config["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    else:
        # The search and the locks rely on features only these two provide.
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or a sqlite:// URL")
    return config


# A hand-written parser rather than django-cache-url: we accept four schemes and pass a Redis
# URL untouched to Django's own RedisCache (redis-py then reads users, passwords, TLS and
# sockets itself), and a bad value must raise ImproperlyConfigured. django-cache-url raises a
# bare Exception, turns every query parameter into a top-level setting, drops a Redis ACL
# user name and needs a table name in db:// URLs.
def cache_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "passerelles_cache",
        }
    if parsed.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parsed.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parsed.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL scheme {parsed.scheme!r} is not supported")


# pytest sets PYTEST_VERSION before anything is imported: tests run over plain HTTP.
TESTING = "PYTEST_VERSION" in os.environ
DEBUG = envbool("DEBUG", False)

# Commands that sign nothing and serve nothing may run without the real key (a fresh
# checkout, a build step); anything else, the server and the cron jobs included, must not:
# tokens signed with a made-up key would break silently.
OFFLINE_COMMANDS = {"makemigrations", "showmigrations", "collectstatic", "compilemessages"}
RUNNING_OFFLINE_COMMAND = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] in (
    [name] for name in OFFLINE_COMMANDS
)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING or RUNNING_OFFLINE_COMMAND):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_ROOT = envstr("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "parler",
    "portal",
    "services_directory",
    "pathways",
    "orientations",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files are not logged.
    "portal.logs.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Inside CSRF, so a page served from the cache still gets the visitor's own CSRF cookie.
    "portal.caching.PublicPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(envstr("DATABASE_URL", "sqlite:///db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(envstr("CACHE_URL", "db://"))}
# Public pages are cached for this many seconds (and invalidated when content changes).
# Off in tests, whose query counts and clocks assume no cache; tests of the cache turn it on.
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 0 if TESTING else 300)

# Sessions live in the database so that any app server can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "orientations:staff_home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = envint("AXES_PROXY_COUNT", 0) or None

LANGUAGE_CODE = "fr"


def languages_from_env(codes: list[str]) -> list[tuple[str, str]]:
    """French first, then each configured language named in itself ("العربية", "Türkçe")."""
    from django.conf.locale import LANG_INFO

    unknown = [code for code in codes if code not in LANG_INFO]
    if unknown:
        raise ImproperlyConfigured(
            f"LANGUAGES: Django does not know {', '.join(unknown)} "
            "(use codes such as en, ar, tr, pt, uk, es, ro, fa)"
        )
    ordered = ["fr", *(code for code in codes if code != "fr")]
    return [(code, LANG_INFO[code]["name_local"]) for code in dict.fromkeys(ordered)]


# The territory's languages: French (the default, unprefixed URLs) and each one at /<code>/.
LANGUAGES = languages_from_env(envlist("LANGUAGES", ["fr", "en", "ar", "tr", "pt", "uk"]))
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content translations (django-parler): the French stays in the models' own columns, so
# parler holds only the other languages, with no fallback of its own; what a page shows, and
# the French it falls back to, is services_directory.translations.shown(). No parler cache:
# translations are read in bulk per page, and the public page cache is the one that counts.
PARLER_DEFAULT_LANGUAGE_CODE = next((c for c, _n in LANGUAGES if c != "fr"), "fr")
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in LANGUAGES if code != "fr"),
    "default": {"fallbacks": [], "hide_untranslated": False},
}
PARLER_ENABLE_CACHING = False
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The demonstration territory's content (TOML), read by `load_demo` and `generate_demo`.
DEMO_DATA_DIR = BASE_DIR / "portal" / "demo"
# The product's vocabulary (sectors, needs, life moments) in each language, read by
# `load_translations` (the demonstration's own translations are in DEMO_DATA_DIR/translations).
VOCABULARY_DIR = BASE_DIR / "portal" / "vocabulary"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

# HTTPS-only settings: on by default outside DEBUG and tests (which run over plain HTTP).
HTTPS = envbool("HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The __Host- prefix pins the cookie to our host and to HTTPS; browsers reject it over HTTP.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Harmless on a subdomain (only the registrable domain can be submitted to the preload
# list) and what `check --deploy` asks for; SECURE_HSTS_PRELOAD=0 opts out.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: every script and style comes from our own host, none inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr(
    "DEFAULT_FROM_EMAIL", "Passerelles <ne-pas-repondre@passerelles.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Messages are written to the outbox and sent by `manage.py send_messages --loop`; where no
# worker runs (development), also try each one right after its transaction commits.
OUTBOX_SEND_AT_ONCE = envbool("OUTBOX_SEND_AT_ONCE", DEBUG)

# Orientation follow-up (closed loop) and retention of personal data, in days.
REFERRAL_REMINDER_DAYS = envint("REFERRAL_REMINDER_DAYS", 10)
REFERRAL_EXPIRY_DAYS = envint("REFERRAL_EXPIRY_DAYS", 30)
REFERRAL_REORIENTATION_DAYS = envint("REFERRAL_REORIENTATION_DAYS", 15)
REFERRAL_LINK_DAYS = envint("REFERRAL_LINK_DAYS", REFERRAL_EXPIRY_DAYS)
REFERRAL_WAITING_DAYS = envint("REFERRAL_WAITING_DAYS", 5)
PERSONAL_DATA_RETENTION_DAYS = envint("PERSONAL_DATA_RETENTION_DAYS", 90)

# Logs go to standard error, one line per event: "plain" for people, "json" for collectors.
LOG_FORMAT = envstr("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOG_LEVEL = envstr("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {LOG_LEVEL!r}"
    )
# data·inclusion: the `source` our published records carry (set it once, never change it:
# data·inclusion keys our records on it; empty means "passerelles-<SIREN of the territory>"),
# and the largest file an import reads.
DATAINCLUSION_SOURCE = envstr("DATAINCLUSION_SOURCE")
DATAINCLUSION_MAX_FILE_MB = envint("DATAINCLUSION_MAX_FILE_MB", 40)
# An import started in the admin runs in a thread of the web process, which writes its
# progress for the page to show; tests run it in the request.
IMPORTS_IN_BACKGROUND = envbool("IMPORTS_IN_BACKGROUND", not TESTING)
# Freshness campaign: how long the signed link of a request to a partner stays valid.
FRESHNESS_LINK_DAYS = envint("FRESHNESS_LINK_DAYS", 30)

# The school-holiday zone of the territory (A, B or C): "SH" in opening hours. The Yonne
# (académie de Dijon) is in zone A. The calendar comes from the `holidays` package.
SCHOOL_HOLIDAYS_ZONE = envstr("SCHOOL_HOLIDAYS_ZONE", "A").strip().upper()
if SCHOOL_HOLIDAYS_ZONE not in ("A", "B", "C"):
    raise ImproperlyConfigured(
        f"SCHOOL_HOLIDAYS_ZONE must be A, B or C, got {SCHOOL_HOLIDAYS_ZONE!r}"
    )
# « Signaler une erreur »: who is told (default: the territory's contact e-mail), and how
# many reports one connection may send in an hour before getting a 429.
REPORTS_EMAIL = envstr("REPORTS_EMAIL")
ERROR_REPORTS_PER_HOUR = envint("ERROR_REPORTS_PER_HOUR", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "filters": {"skip_503": {"()": "portal.logs.SkipServiceUnavailable"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # 4xx lines repeat the request log with the raw path (a follow-up token, say);
        # 5xx keep their traceback, except the 503s of an outage (logged once, portal.outage).
        "django.request": {"level": "ERROR", "filters": ["skip_503"]},
        # One INFO line per request (portal.logs); LOG_REQUESTS=0 when the proxy logs them.
        "passerelles.request": {} if envbool("LOG_REQUESTS", True) else {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
