"""Ventanilla settings: everything comes from environment variables (docs/configuration.md).

`make run` and `make test` set VENTANILLA_LOCAL=true, which allows an embedded SQLite
database and a secret key generated under var/. Without it every secret must be given.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ventanilla.core.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VENTANILLA_VAR_DIR", str(BASE_DIR / "var")))

LOCAL_RUN = env_bool("VENTANILLA_LOCAL", False)
DEBUG = env_bool("DEBUG", False)


def _local_secret_key() -> str:
    """A per-checkout secret for local runs, generated once and kept in var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


if LOCAL_RUN:
    SECRET_KEY = env_str("SECRET_KEY", "") or _local_secret_key()
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ConfigurationError("SECRET_KEY must be at least 50 characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if LOCAL_RUN else [])
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS is required (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

_default_db = f"sqlite:///{VAR_DIR / 'ventanilla.sqlite3'}" if LOCAL_RUN else None
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_db),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if LOCAL_RUN else 60),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ConfigurationError(f"DATABASE_URL cannot be parsed: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_countries",
    "django_tasks_db",
    "ventanilla.core",
    "ventanilla.accounts",
    "ventanilla.territory",
    "ventanilla.registry",
    "ventanilla.privacy",
    "ventanilla.insights",
    "ventanilla.catalog",
    "ventanilla.outreach",
    "ventanilla.cases",
    "ventanilla.pathways",
    "ventanilla.vulnerability",
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
    "ventanilla.accounts.middleware.TwoFactorEnforcementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ventanilla.urls"
WSGI_APPLICATION = "ventanilla.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ventanilla" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ventanilla.accounts.context_processors.navigation",
                "ventanilla.cases.context_processors.work",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication: enforced for roles that read personal data unless turned off.
VENTANILLA_REQUIRE_2FA = env_bool("VENTANILLA_REQUIRE_2FA", not LOCAL_RUN)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Ventanilla")

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "es")
LANGUAGES = [("es", _("Spanish")), ("en", _("English")), ("pt-br", _("Portuguese"))]
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ConfigurationError(f"LANGUAGE_CODE={LANGUAGE_CODE!r} must be one of es, en, pt-br")
LOCALE_PATHS = [BASE_DIR / "ventanilla" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Bogota")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "ventanilla" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Local runs serve static files straight from the apps (no collectstatic step).
WHITENOISE_USE_FINDERS = LOCAL_RUN
if LOCAL_RUN:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL_RUN
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SECURE_COOKIES = env_bool("SECURE_COOKIES", not LOCAL_RUN)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not LOCAL_RUN)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if LOCAL_RUN else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not LOCAL_RUN
# The preload directive only consents to the preload list; nothing happens until someone
# submits the domain at hstspreload.org. Off with SECURE_HSTS_PRELOAD=false.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not LOCAL_RUN)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

_mail_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if LOCAL_RUN
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        }
        if _mail_backend.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ventanilla@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: anonymous calls get 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "ventanilla.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ventanilla API",
    "DESCRIPTION": "Registry, households, documents, visits and consent of a one-stop center.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by several fields get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "WgDifficultyEnum": "ventanilla.registry.choices.WgDifficulty",
        "CountryEnum": "django_countries.countries",
        "PopulationGroupEnum": "ventanilla.registry.choices.PopulationGroup",
        "SexEnum": "ventanilla.registry.choices.Sex",
        "CaseStatusEnum": "ventanilla.cases.choices.CaseStatus",
        "ReferralStatusEnum": "ventanilla.cases.choices.ReferralStatus",
        "AttendeeSexEnum": "ventanilla.outreach.choices.AttendeeSex",
        "OutreachSessionKindEnum": "ventanilla.outreach.choices.SessionKind",
        "OutreachSessionStatusEnum": "ventanilla.outreach.choices.SessionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Background work (django.tasks): stored in the database, run by `manage.py db_worker`.
# TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend runs them in the request
# instead (no worker; for a quick look only: a full recomputation then blocks the page).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Demo city: make run loads it into an empty database.
VENTANILLA_DEMO_PASSWORD = env_str("VENTANILLA_DEMO_PASSWORD", "demo-ventanilla-2026")

# The center's figures: precomputed month and year cells older than this are recomputed.
VENTANILLA_FIGURES_MAX_AGE_MINUTES = env_int("VENTANILLA_FIGURES_MAX_AGE_MINUTES", 15)
# Pathway rules reviewed longer ago than this are flagged on every result and in the review list.
VENTANILLA_PATHWAYS_STALE_DAYS = env_int("VENTANILLA_PATHWAYS_STALE_DAYS", 180)

FORM_RENDERER = "ventanilla.core.forms.FormRenderer"
