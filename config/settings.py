"""Settings for Neighbourhood Budgets.

Every value comes from the environment with a typed default, read once here. Without
DATABASE_URL / REDIS_URL the site runs on SQLite and the in-memory channel layer, so
`make run` works on a fresh machine; with them it uses PostgreSQL and Redis.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import logging as _logging

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
PRODUCTION = DJANGO_ENV == "production"
TESTING = "pytest" in sys.modules or env_bool("NB_TESTING")

DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION

if PRODUCTION:
    missing = [
        name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables: "
            + ", ".join(missing)
            + ". Set SECRET_KEY to a long random string and ALLOWED_HOSTS to the "
            "comma-separated host names the site answers to."
        )
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
else:
    # A development-only key: production refuses to start without its own.
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "dev-only-insecure-key-neighbourhood-budgets-do-not-deploy"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "civic",
    "forums",
    "ballots",
    "accountability",
    "cms",
    "opendata",
    "demo",
    "ninja",
    "corsheaders",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "treebeard",
    "rules",
    "django_cotton.apps.SimpleAppConfig",  # components; the loaders stay Django's
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "health_check",
    "django_prometheus",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "config.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "opendata.middleware.OpenDataCaching",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civic.middleware.IdentityProviderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civic.middleware.ContentSecurityPolicyMiddleware",
    "civic.middleware.PermissionOutcomeMiddleware",
    "civic.middleware.DatabaseUnavailableMiddleware",
    "civic.page_cache.AnonymousPageCache",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # django-cotton's loader first: it turns component tags (<c-card>) into
            # template tags; then Django's own loaders, all cached.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django_cotton.cotton_loader.Loader",
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civic.context_processors.site",
                "cms.context_processors.site_pages",
            ],
            # The component tags, on every page without a {% load %}.
            "builtins": ["django_cotton.templatetags.cotton"],
        },
    },
]

# Form widgets render through the project's templates too (civic/uploads.py's
# kept-file input lives in templates/civic/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Template components live in templates/components/ (django-cotton).
COTTON_DIR = "components"

# Database: DATABASE_URL (PostgreSQL in production and CI), SQLite otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DB_POOL", default=PRODUCTION):
        # psycopg 3's pool (Django 5.1+): PERFORMANCE.md measured it doubling
        # throughput under load. Persistent connections and the pool exclude each other.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "20")),
            "timeout": 10,
        }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
# django-prometheus's wrappers of the same backends count queries and time them for
# /metrics (config/metrics.py); everything else about the backend is Django's own.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends."
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: a broadcast is one Redis PUBLISH, received once by each
            # server process and delivered to its own sockets (the list-based layer
            # pushes one copy per socket through Redis).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("CHANNELS_PREFIX", "nb"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "civic.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "nb"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "civic.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing dominates test time; production keeps Django's default hashers.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: sign in by email, mandatory verification, TOTP for staff roles.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Neighbourhood Budgets] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "civic.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Neighbourhood Budgets"

# Sign-in with the council's OpenID Connect identity providers (docs/sign-in-with-the-
# councils-identity-provider.md): "council" for staff (Microsoft Entra ID and the like),
# "residents" for residents (GOV.UK One Login, Scotland's myAccount). Each is on when its
# OIDC_<WHO>_SERVER_URL and client are set; with neither, sign-in is by email as before.
SOCIALACCOUNT_ADAPTER = "civic.adapters.SocialAccountAdapter"
NB_IDENTITY_PROVIDERS = {
    who: {
        "provider_id": provider_id,
        "name": os.environ.get(f"OIDC_{who.upper()}_NAME", default_name),
        "client_id": os.environ.get(f"OIDC_{who.upper()}_CLIENT_ID", ""),
        "secret": os.environ.get(f"OIDC_{who.upper()}_CLIENT_SECRET", ""),
        "settings": {
            "server_url": os.environ.get(f"OIDC_{who.upper()}_SERVER_URL", ""),
            "token_auth_method": os.environ.get(
                f"OIDC_{who.upper()}_TOKEN_AUTH_METHOD", "client_secret_post"
            ),
        },
    }
    for who, provider_id, default_name in (
        ("staff", "council", "your council's sign-in"),
        ("residents", "residents", "GOV.UK One Login"),
    )
}
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            app
            for app in NB_IDENTITY_PROVIDERS.values()
            if app["client_id"] and app["settings"]["server_url"]
        ],
    }
}
# A person whose verified email (as the provider asserts it) is an account here signs
# in to that account; staff accounts are never made by the council's provider.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
# Staff (officers, councillors, administrators) must sign in with the council's
# provider, not a password, when this is on; then the provider's multi-factor sign-in
# (an "amr" value of the ID token in NB_STAFF_MFA_AMR) counts as our two-factor one.
# (Only with the council's provider set up: never a way to lock staff out.)
NB_STAFF_SIGN_IN_REQUIRED = env_bool("STAFF_SIGN_IN_REQUIRED", False)
NB_STAFF_MFA_FROM_PROVIDER = env_bool("OIDC_STAFF_MFA_COUNTS", True)
NB_STAFF_MFA_AMR = env_list("OIDC_STAFF_MFA_AMR", "mfa")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / ".cache" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL",
    "Neighbourhood Budgets <no-reply@neighbourhood-budgets.example>",
)

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", _("English")), ("cy", _("Cymraeg"))]
# Our catalogue first, then our Welsh and sentence-case English for the account pages'
# library strings (allauth's, Django's password rules), refreshed by `make messages`
# (civic/management/commands/makemessages.py).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "accounts"]
# Wagtail content in both languages: editors translate a page ("Translate" in the page
# menu, wagtail.contrib.simple_translation); the language the resident chose (the
# switcher sets Django's language cookie) picks which tree is served at the same URLs.
# No third-party avatar service (privacy, and the CSP allows only our own images).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Every page made in one language gets an alias (a live mirror) in the other until an
# editor translates it, so the Welsh tree always has every address the English one has.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Serve uploads (pictures) from Django: on by default with DEBUG; in production a web
# server or object store should serve MEDIA_ROOT instead (NB_SERVE_MEDIA=0).
NB_SERVE_MEDIA = env_bool("NB_SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploads in S3-compatible object storage (django-storages) when MEDIA_BUCKET is set, so
# several web machines share them: AWS S3, or any S3-compatible store (MinIO, Ceph, a
# cloud's) at MEDIA_ENDPOINT_URL. Credentials come from the usual AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY environment (or the machine's role), never from this file.
MEDIA_BUCKET = os.environ.get("MEDIA_BUCKET", "")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    NB_SERVE_MEDIA = False

WAGTAIL_SITE_NAME = "Neighbourhood Budgets"
# Where links in emails, letters and printed notices point: SITE_URL, else this
# machine on the port `make run` serves (PORT).
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL") or (
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "pb", "odt", "docx", "xlsx"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Security headers. HTTPS-only settings follow production mode.
# With Redis, sessions are read from the cache and written through to the database
# (a signed-in request costs a Redis GET, not a query; nothing is lost if Redis is
# flushed). Without it, the database alone.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy (django-csp 4): no inline scripts anywhere.
from csp.constants import NONE, SELF  # noqa: E402

# Map tiles: any XYZ tile server ({z}/{x}/{y}); OpenStreetMap's by default, whose usage
# policy asks heavy users to run their own. The attribution is shown on every map.
NB_MAP_TILES = os.environ.get(
    "NB_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
NB_MAP_ATTRIBUTION = os.environ.get(
    "NB_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
_tiles = urlsplit(NB_MAP_TILES)
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else SELF

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", MAP_TILE_ORIGIN],
        "connect-src": [SELF, "ws:", "wss:"],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
if not PRODUCTION:
    # Outside production the same policy only reports. The Wagtail admin's exception
    # (inline scripts) is made in civic.middleware.ContentSecurityPolicyMiddleware.
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = None

# Logs (config/logging.py): JSON lines in production, one line per request, a request
# id carried into tasks, personal data scrubbed from every record.
LOGGING = _logging.config(
    json_lines=os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain")
    == "json",
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    requests=env_bool("LOG_REQUESTS", default=PRODUCTION),
)
# Error reporting (Sentry) when SENTRY_DSN is set, scrubbed as the logs are.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    _logging.start_sentry(SENTRY_DSN, environment=DJANGO_ENV or "development")

# The task queue (config/celery.py): Celery on the Redis broker when REDIS_URL is set;
# without it (make run, make test) tasks run eagerly where they are queued.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the task queued
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = "Europe/London"
# How often the scheduler queues unsent email whose time has come, and how long an
# email waits after each failed attempt (then the last, hourly, until it is sent).
# GOV.UK Notify (civic/gov_notify.py, docs/gov-uk-notify.md): with an API key, emails,
# text messages and letters go through Notify; without one, emails through EMAIL_BACKEND
# and no texts or letters. NOTIFY_TEMPLATES is JSON: {"email": {"en": id, "cy": id},
# "sms": {...}, "<message name>": {...}}; each template has ((subject)) and ((body)).
NB_NOTIFY = {
    "api_key": os.environ.get("NOTIFY_API_KEY", ""),
    "base_url": os.environ.get(
        "NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
    ),
    "templates": json.loads(os.environ.get("NOTIFY_TEMPLATES") or "{}"),
    "postage": os.environ.get("NOTIFY_LETTER_POSTAGE", "second"),
    # The bearer token Notify sends with its delivery receipts (callbacks).
    "callback_token": os.environ.get("NOTIFY_CALLBACK_TOKEN", ""),
}
NB_OUTBOX_EVERY = float(os.environ.get("OUTBOX_EVERY_SECONDS", "60"))
NB_MAIL_RETRY_SECONDS = [
    int(s)
    for s in os.environ.get("MAIL_RETRY_SECONDS", "60,300,900,1800,3600").split(",")
]
CELERY_BEAT_SCHEDULE = {
    "advance-phases": {"task": "ballots.tasks.advance_phases", "schedule": 60.0},
    "open-data": {"task": "opendata.tasks.refresh", "schedule": 900.0},
    "flush-outbox": {"task": "civic.tasks.flush_outbox", "schedule": NB_OUTBOX_EVERY},
    "boundaries-in-force": {
        "task": "civic.tasks.boundaries_in_force",
        "schedule": 3600.0,
    },
}

# The key that seals cast ballots until they are mixed into the box (ballots/ballot_box.py).
# Unset: derived from SECRET_KEY. Set it in production, and keep it (and SECRET_KEY)
# out of the database and its backups: with it, the waiting ballots can be opened.
NB_BALLOT_SEAL_KEY = os.environ.get("BALLOT_SEAL_KEY", "")

# /metrics (config/metrics.py): readable from these addresses, or with this bearer token.
METRICS_ALLOW = env_list("METRICS_ALLOW") or ["127.0.0.1", "::1"]
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Platform settings, read through civic.conf.
# Demo staff accounts (is_demo) may act without two-factor sign-in: with DEBUG, or when
# a test server asks (never in production).
NB_DEMO_MFA_EXEMPT = env_bool("NB_DEMO_MFA_EXEMPT", DEBUG) and not PRODUCTION

# Open data (opendata/): the public read API at /api/v1/ and the downloads at
# /open-data/. Anyone may read them from any site (CORS, GET only, no cookies); each
# client address may make NB_API_RATE requests (django-ninja's "N/s|m|h|d").
CORS_URLS_REGEX = r"^/(api/v1|open-data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
NB_API_RATE = os.environ.get("API_RATE", "600/m")
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
NB_OPEN_DATA_LICENCE = {
    "name": os.environ.get("OPEN_DATA_LICENCE", "Open Government Licence v3.0"),
    "url": os.environ.get(
        "OPEN_DATA_LICENCE_URL",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
}
# 360Giving: grant identifiers start with the council's registered prefix
# (https://www.threesixtygiving.org/support/publish-data/), and the funder is named by
# its org-id (e.g. GB-LAE-XXX for a local authority in England).
NB_360GIVING_PREFIX = os.environ.get("GRANTS_PREFIX", "360G-neighbourhood-budgets")
NB_360GIVING_FUNDER_ID = os.environ.get("GRANTS_FUNDER_ID", "")

# Anonymous visitors share one copy of the public pages for this many seconds
# (civic/page_cache.py); 0 turns it off. Default: 15 in production, else off.
NB_PAGE_CACHE_SECONDS = int(
    os.environ.get("PAGE_CACHE_SECONDS", "15" if PRODUCTION else "0")
)
