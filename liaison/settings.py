"""Django settings for Liaison, read from the environment (see README, "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from liaison.conf import default_data_dir, env_bool, env_int, env_list, env_str, secret_key

# Lets classes such as ModelForm[Any] be written at run time for the type checker.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = default_data_dir(PACKAGE_DIR)
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI's assets served by Liaison itself (no CDN): /api/docs/.
    "drf_spectacular_sidecar",
    "liaison.core",
    "liaison.geo",
    "liaison.partners",
    "liaison.activities",
    "liaison.training",
    "liaison.events",
    "liaison.vetting",
    "liaison.reports",
    "liaison.intake",
    "liaison.accountability",
    # The demo and synthetic data: `liaison demo`, `liaison synth` (no models).
    "liaison.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "liaison.core.middleware.TwoFactorRequiredMiddleware",
    "liaison.core.middleware.CurrentWorkspaceMiddleware",
    "liaison.core.middleware.UserLanguageMiddleware",
    "liaison.core.context.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Axes last: it turns repeated failed logins into a lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

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
                "django.template.context_processors.csp",
                "liaison.core.context_processors.workspace",
            ],
        },
    },
]

# --- Database: SQLite in the data folder unless DATABASE_URL names another. ---
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'liaison.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids
    # "database is locked" when two transactions upgrade to writers together.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries only: PostgreSQL's JIT compiles for tens of milliseconds queries that
    # run in a few (seen on the visibility filters of big lists).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A second connection to the same database, for what a background job reports while it
# runs (core.tasks: progress, heartbeat): written through the job's own connection it
# would wait, invisible, inside the job's transaction until the job ends. Tests mirror it.
DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work: inline by default; Celery workers over Redis when a broker is set
# (liaison.core.tasks; workers start with `celery -A liaison.celery_app worker`). ---
LIAISON_BROKER_URL = env_str("LIAISON_BROKER_URL", "")
# Inline, a long job started with start(..., detach=True) runs in a thread, not the request.
LIAISON_TASKS_DETACH = True
# A cache shared by every web process (redis://...) when there are several; else each
# process keeps its own. The dashboard and the choices of list filters are cached until
# anything changes (core.derived), at most LIAISON_CACHE_SECONDS.
LIAISON_CACHE_URL = env_str("LIAISON_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": LIAISON_CACHE_URL}
        if LIAISON_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
LIAISON_CACHE_SECONDS = int(env_str("LIAISON_CACHE_SECONDS", "300"))
# A job whose worker is lost (killed, out of memory) is handed out again, at most
# LIAISON_TASK_ATTEMPTS times in all; a job whose worker sent no sign of life for
# LIAISON_TASK_STALE_SECONDS is requeued or failed when its page or a worker looks. The
# broker gives an unacknowledged job to another worker after LIAISON_TASK_VISIBILITY_SECONDS
# (a whole machine lost): longer than the longest job, which is stopped before it.
LIAISON_TASK_ATTEMPTS = env_int("LIAISON_TASK_ATTEMPTS", 3)
LIAISON_TASK_HEARTBEAT_SECONDS = env_int("LIAISON_TASK_HEARTBEAT_SECONDS", 10)
LIAISON_TASK_STALE_SECONDS = env_int("LIAISON_TASK_STALE_SECONDS", 120)
LIAISON_TASK_VISIBILITY_SECONDS = env_int("LIAISON_TASK_VISIBILITY_SECONDS", 6 * 3600)
# A job that met a database error (restart, failover) is tried again that many times,
# after LIAISON_TASK_RETRY_SECONDS, then twice as long each time.
LIAISON_TASK_RETRIES = env_int("LIAISON_TASK_RETRIES", 3)
LIAISON_TASK_RETRY_SECONDS = env_int("LIAISON_TASK_RETRY_SECONDS", 10)
TASKS = {
    "default": {
        "BACKEND": (
            "liaison.core.celery_backend.CeleryBackend"
            if LIAISON_BROKER_URL
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Authentication ---
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: a locked-out username is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failures.
AXES_FAILURE_LIMIT = env_int("LIAISON_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LIAISON_LOGIN_LOCKOUT_MINUTES", 15))
# Per account: a mission office often sits behind one address, which must not lock everyone.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for an address-based lockout, which the line above declines on purpose;
# silenced so that `liaison check --deploy --fail-level WARNING` passes (README).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Two-factor authentication (TOTP): required for these workspace roles and superusers.
LIAISON_REQUIRE_2FA = env_bool("LIAISON_REQUIRE_2FA", True)
LIAISON_2FA_ROLES = env_list("LIAISON_2FA_ROLES", ["manager", "administrator"])
# Human-rights vetting: how long an approval lasts when the officer gives no date.
LIAISON_VETTING_VALIDITY_DAYS = env_int("LIAISON_VETTING_VALIDITY_DAYS", 365)

# What `liaison restore` unpacks at most (core.backup.Limits): a decompression bomb is
# refused from the zip's directory, before anything is inflated.
LIAISON_RESTORE_MAX_BYTES = env_int("LIAISON_RESTORE_MAX_BYTES", 64 << 30)
LIAISON_RESTORE_MAX_MEMBER_BYTES = env_int("LIAISON_RESTORE_MAX_MEMBER_BYTES", 16 << 30)
LIAISON_RESTORE_MAX_RATIO = env_int("LIAISON_RESTORE_MAX_RATIO", 200)
LIAISON_RESTORE_MAX_ROWS = env_int("LIAISON_RESTORE_MAX_ROWS", 100_000_000)
OTP_TOTP_ISSUER = "Liaison"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Languages: French and English everywhere. ---
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# English dates day first (liaison/formats/en), as in the British usage of the texts.
FORMAT_MODULE_PATH = ["liaison.formats"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

# --- Files ---
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            # Compressing ~40 MB of vendored scripts (API docs, admin) takes minutes on a
            # small machine: worth it for a server on a slow link, not for the local demo,
            # whose `make run` sets LIAISON_STATIC_COMPRESS=0.
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("LIAISON_STATIC_COMPRESS", True)
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}

# --- Security: safe by default, relaxed only with DEBUG for local work. ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_secure_transport = not DEBUG and env_bool("LIAISON_HTTPS", True)
SESSION_COOKIE_SECURE = _secure_transport
CSRF_COOKIE_SECURE = _secure_transport
SECURE_SSL_REDIRECT = _secure_transport and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if _secure_transport else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure_transport
SECURE_HSTS_PRELOAD = _secure_transport
if env_bool("LIAISON_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# A Content Security Policy: every asset comes from Liaison itself.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- REST API (the API issue builds on this). ---
REST_FRAMEWORK = {
    # JSON only: the browsable renderer's forms would label related choices with the
    # names of records the user may not see; /api/docs/ is the interactive documentation.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON with bounded size and nesting: a body the API cannot read answers 400.
    "DEFAULT_PARSER_CLASSES": [
        "liaison.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # DRF's, but a session that owes its second factor does not count.
        "liaison.core.api.authentication.SessionAuthentication",
    ],
    # One JSON error shape, in the caller's language (liaison.core.api.errors).
    "EXCEPTION_HANDLER": "liaison.core.api.errors.exception_handler",
    # Rate limits per user and so per token: a burst rate and a sustained rate.
    "DEFAULT_THROTTLE_CLASSES": [
        "liaison.core.api.throttling.BurstRateThrottle",
        "liaison.core.api.throttling.SustainedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "burst": env_str("LIAISON_API_BURST_RATE", "120/min"),
        "sustained": env_str("LIAISON_API_RATE", "1000/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison API",
    "VERSION": "0.1.0",
    "DESCRIPTION": "Records of a defence cooperation mission. Authenticate with "
    "`Authorization: Token <key>` (token on your profile page) or a session.",
    # The schema and its documentation are for signed-in users; no asset from a CDN.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several models have a "status" or a "kind": one schema name per vocabulary.
    "ENUM_NAME_OVERRIDES": {
        "ActivityStatusEnum": "liaison.activities.choices.ActivityStatus",
        "RequestStatusEnum": "liaison.activities.choices.RequestStatus",
        "SessionStatusEnum": "liaison.training.models.Session.Status",
        "EnrollmentStatusEnum": "liaison.training.models.Enrollment.Status",
        "VettingStatusEnum": "liaison.vetting.models.VettingRequest.Status",
        "VettingBatchStatusEnum": "liaison.vetting.models.VettingBatch.Status",
        "OrganizationKindEnum": "liaison.partners.choices.OrganizationKind",
        "SourceKindEnum": "liaison.core.models.Source.Kind",
        "EventKindEnum": "liaison.events.models.Event.Kind",
        "ContextEventKindEnum": "liaison.events.models.ContextEvent.Kind",
        "IncidentKindEnum": "liaison.accountability.choices.IncidentKind",
        "IncidentStatusEnum": "liaison.accountability.choices.IncidentStatus",
        "ImplicationRoleEnum": "liaison.accountability.choices.ImplicationRole",
        "BudgetKindEnum": "liaison.activities.choices.BudgetKind",
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
