"""placelab's one settings module, fed by the environment (README, "Running the web platform").

Defaults are safe for production: DEBUG is off, and then a secret key must be given, cookies
are secure and HSTS is on. ``PLACELAB_DEBUG=1`` is for a developer's machine and ``make demo``.
SQLite is the default database; ``DATABASE_URL`` switches to PostgreSQL.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from placelab.web.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("PLACELAB_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("PLACELAB_DEBUG", False)
SECRET_KEY = env_str("PLACELAB_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PLACELAB_SECRET_KEY is not set: give a long random value (or PLACELAB_DEBUG=1 on a "
            "developer's machine)"
        )
    SECRET_KEY = "placelab-insecure-development-key-not-for-production-use-0123456789"
# The key signs sessions and orders the pseudonyms: a short one can be guessed. Django's deploy
# check only warns below 50 characters or 5 different ones; a site is refused.
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "PLACELAB_SECRET_KEY is too short to keep sessions and pseudonyms safe: give at least 50 "
        "random characters, e.g. from python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("PLACELAB_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("PLACELAB_CSRF_TRUSTED_ORIGINS", [])
# The address invitations link to, e.g. https://placelab.example.org (no trailing slash).
SITE_URL = env_str("PLACELAB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "placelab.web.studies",
    "placelab.web.surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "placelab.web.security.content_security_policy",
    # A view that loses the database answers with the 503 page (views_errors), DEBUG or not.
    "placelab.web.views_errors.DatabaseUnavailableMiddleware",
    "placelab.web.cache.no_store_on_study_pages",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "placelab.web.urls"
WSGI_APPLICATION = "placelab.web.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'placelab.sqlite3'}",
        conn_max_age=env_int("PLACELAB_DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# PostgreSQL: a process given PLACELAB_DB_POOL_MAX keeps at most that many connections open and
# reuses them; gunicorn_conf.py sets it to a web worker's threads, so connections are bounded by
# processes x threads, under the server's max_connections (README, "Running it in production").
# Without it (task workers, commands, tests), Django opens one connection per thread as usual.
DB_POOL_MAX = env_int("PLACELAB_DB_POOL_MAX", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX > 0:
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured(
            "PLACELAB_DB_CONN_MAX_AGE and the connection pool exclude each other: "
            "set PLACELAB_DB_POOL_MAX=0 to keep connections that way instead"
        )
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env_int("PLACELAB_DB_POOL_MIN", 1), DB_POOL_MAX),
        "max_size": DB_POOL_MAX,
        # Seconds a request waits for a connection before the "try again" page (503).
        "timeout": env_int("PLACELAB_DB_POOL_TIMEOUT", 5),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Answers arrive from many browsers at once: wait for a write lock rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("PLACELAB_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Workers (``manage.py worker``, services.workers) beat this often on the work they run; work
# whose worker has not beaten for PLACELAB_WORKER_STALE_SECONDS is queued again by another.
WORKER_BEAT_SECONDS = env_int("PLACELAB_WORKER_BEAT_SECONDS", 10)
WORKER_STALE_SECONDS = env_int("PLACELAB_WORKER_STALE_SECONDS", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A colleague's emailed link to set their first password works this long (services.access).
PASSWORD_RESET_TIMEOUT = env_int("PLACELAB_INVITATION_LINK_SECONDS", 3 * 24 * 60 * 60)
LOGIN_REDIRECT_URL = "studies:list"
LOGOUT_REDIRECT_URL = "login"

# Sign-in limits (django-axes; README, "Running it in production"): 10 wrong passwords for one
# user name from one address lock that pair out for 15 minutes; others sign in as before.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused try while locked out does not push the end of the lockout further away, so the
# time the lockout page gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "placelab.web.login_limits.locked_out"
# Successful sign-ins are not logged with their address: the failures are what limits need.
AXES_DISABLE_ACCESS_LOG = True
if env_bool("PLACELAB_BEHIND_PROXY", False):
    AXES_CLIENT_IP_CALLABLE = "placelab.web.login_limits.forwarded_client_ip"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("PLACELAB_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production `manage.py collectstatic` gathers the files here and WhiteNoise serves them;
# on a developer's machine WhiteNoise serves them from the apps' folders.
STATIC_ROOT = None if DEBUG else DATA_DIR / "static"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Roster files are held in the database until confirmed (a day at most); this caps one upload.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("PLACELAB_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# People in one roster file: well beyond one locality's field (a borough's schools, services and
# partners), yet read, checked and saved by the worker in seconds (measured: README).
PLACELAB_ROSTER_MAX_ROWS = env_int("PLACELAB_ROSTER_MAX_ROWS", 20_000)

# Email: the console by default; SMTP when PLACELAB_EMAIL_HOST is set.
EMAIL_HOST = env_str("PLACELAB_EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "PLACELAB_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("PLACELAB_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("PLACELAB_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("PLACELAB_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("PLACELAB_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("PLACELAB_FROM_EMAIL", "placelab <placelab@localhost>")

# Production: secure cookies, HSTS and HTTPS redirects unless DEBUG (a developer's machine).
SECURE = not DEBUG
SESSION_COOKIE_SECURE = env_bool("PLACELAB_SECURE_COOKIES", SECURE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("PLACELAB_SSL_REDIRECT", SECURE)
# Load balancers probe /health over plain HTTP inside the network; it holds nothing secret.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SECURE_HSTS_SECONDS = env_int("PLACELAB_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Preloading is what `check --deploy` asks for; PLACELAB_HSTS_PRELOAD=0 opts out.
SECURE_HSTS_PRELOAD = env_bool("PLACELAB_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
if env_bool("PLACELAB_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Every line goes through one handler whose filter takes survey tokens out (placelab.web.logging):
# Django's own loggers lose their default handlers, which print unfiltered, and pass to it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_survey_tokens": {"()": "placelab.web.logging.RedactSurveyTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_survey_tokens"]},
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # django-axes says at INFO each time it clears a count; lockouts are WARNING and kept.
        "axes": {"handlers": [], "level": "WARNING", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": env_str("PLACELAB_LOG_LEVEL", "INFO")},
}
