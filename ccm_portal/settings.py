"""Settings for the CCM Portal, read from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name, default=""):
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
# Without one, a key random to this process lets offline commands (check, makemigrations, migrate,
# collectstatic) run; serving with DEBUG off refuses to start (ccm_portal/checks.py).
SECRET_KEY_IS_EPHEMERAL = not SECRET_KEY
if SECRET_KEY_IS_EPHEMERAL:
    from django.core.management.utils import get_random_secret_key

    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Emails, feeds and the sitemap are built on it: serving with DEBUG off refuses to start without it
# (ccm_portal/checks.py); offline commands fall back to the local address.
SITE_URL_IS_SET = bool(env_str("SITE_URL"))
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "ccm_portal",
    "delegations",
    "meetings",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ccm_portal.middleware.refuse_nul_characters",
    "ccm_portal.middleware.permissions_policy",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Published pages for anonymous readers come from the cache here, before sessions, logins and
    # the second factor are looked at; the headers above are still added (portal/caching.py).
    "portal.caching.serve_published_pages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ccm_portal.middleware.session_limits",
    "ccm_portal.middleware.second_factor_required",
    "ccm_portal.middleware.private_pages_not_stored",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ccm_portal.middleware.bounded_password_checks",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ccm_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meetings.homes.role_nav",
            ],
        },
    },
]

WSGI_APPLICATION = "ccm_portal.wsgi.application"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "ccm_portal.sqlite3",
            # Writers wait for each other instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

# The page cache and the password-reset rate limit. Local memory by default (each worker its own);
# CACHE_URL=redis://host:6379/0 shares one Redis among all workers, through Django's own backend.
CACHE_URL = env_str("CACHE_URL")
if not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "ccm",
        }
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Those who can adopt or change the official record need a longer one.
    {"NAME": "ccm_portal.login.StaffMinimumLengthValidator", "OPTIONS": {"min_length": 12}},
]

# django-axes checks the lockout before any password is hashed, so a locked-out guess costs nothing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins lock the account and, separately, the address they came from.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
# A guess during the lockout does not extend it (nor write to the database).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ccm_portal.login.locked_out"
AXES_CLIENT_IP_CALLABLE = "ccm_portal.login.client_ip"
AXES_VERBOSE = False  # ccm_portal/login.py logs each login, failed or not, in one line
# How many proxies in front of the portal append to X-Forwarded-For (0: none, use the peer address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Password reset emails: at most this many an hour for one address, and from one client address.
PASSWORD_RESETS_PER_HOUR = env_int("PASSWORD_RESETS_PER_HOUR", 3)

# A second factor (TOTP or a recovery code) for ISU staff and superusers; coordinators may add one.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "CCM Portal"
# Passkeys (WebAuthn, django-otp-webauthn) as a second factor only, never instead of the password.
# A passkey belongs to the site's host name, read from SITE_URL: changing it orphans every passkey.
# Browsers refuse an IP address, so a local SITE_URL on 127.0.0.1 becomes localhost (open the demo
# at http://localhost:<port>/ to use passkeys).
_SITE = urlsplit(SITE_URL)
OTP_WEBAUTHN_RP_ID = "localhost" if _SITE.hostname in ("127.0.0.1", "::1") else _SITE.hostname
OTP_WEBAUTHN_RP_NAME = "CCM Portal"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_SITE.scheme}://{OTP_WEBAUTHN_RP_ID}" + (f":{_SITE.port}" if _SITE.port else "")]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "ccm_portal.passkeys.PasskeyHelper"
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "ccm_portal.security"

LANGUAGE_CODE = "en"
# The interface speaks the Convention's working languages; the record is shown as written.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ccm_portal.formats"]
TIME_ZONE = "Europe/Zurich"  # The committee meets in Geneva; times in the record are local.
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Where the host's slot files live (empty: a folder in the system's temporary directory).
LIMITS_DIR = env_str("LIMITS_DIR")
# Passwords checked at once on one host (ccm_portal/limits.py); more logins answer "busy" (429).
LOGIN_CONCURRENCY = env_int("LOGIN_CONCURRENCY", 1)
# A refused login (locked out or busy) is answered after this many milliseconds, so that guessing
# goes slowly and costs the site nothing (gunicorn's threaded workers wait without working).
LOGIN_REFUSAL_DELAY_MS = env_int("LOGIN_REFUSAL_DELAY_MS", 1000)
# Draft PDFs rendered at once on one host (ccm_portal/limits.py); more answer "busy, try again".
DRAFT_PDF_CONCURRENCY = env_int("DRAFT_PDF_CONCURRENCY", 1)
# The largest file the public "verify a document" page accepts, in megabytes.
VERIFY_MAX_UPLOAD = env_int("VERIFY_MAX_UPLOAD_MB", 20) * 1024 * 1024
# The largest document (paper, presentation, annex) staff may attach to a meeting, in megabytes.
DOCUMENT_MAX_UPLOAD = env_int("DOCUMENT_MAX_UPLOAD_MB", 20) * 1024 * 1024
# The ISU's key and certificate (PEM) that sign every official record at adoption; with none,
# records are stored unsigned (`check --deploy` warns). SIGNING_TSA_URL adds an RFC 3161 timestamp.
SIGNING_KEY_FILE = env_str("SIGNING_KEY_FILE")
SIGNING_CERT_FILE = env_str("SIGNING_CERT_FILE")
SIGNING_KEY_PASSPHRASE = env_str("SIGNING_KEY_PASSPHRASE")
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL")
if bool(SIGNING_KEY_FILE) != bool(SIGNING_CERT_FILE):
    raise ImproperlyConfigured("SIGNING_KEY_FILE and SIGNING_CERT_FILE are set together, or neither.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "meetings:role_home"  # each role lands on its own home
LOGOUT_REDIRECT_URL = "/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CCM Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# A signed-in session ends after SESSION_IDLE_MINUTES without a request, and in any case after
# SESSION_MAX_HOURS (ccm_portal/middleware.py).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, once the site is served over TLS: a year of HSTS and a redirect from http.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# Both cover only the portal's own host name and those below it.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# /healthz answers load balancers over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Browser features no page of the portal uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
# No inline script or style anywhere (STYLE.md 13); violations are reported to the log.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": "/csp-report/",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Every login, failed or successful, and every CSP violation is worth a line.
    "loggers": {
        "ccm_portal.security": {"level": env_str("SECURITY_LOG_LEVEL", "INFO")},
        # Django logs each 4xx answer as a warning; LOG_LEVEL quietens those too.
        "django.request": {"level": env_str("LOG_LEVEL", "WARNING")},
    },
}
