"""Django settings, all from the environment (12-factor). Production is the default.

MILEAGE_ENV    "production" (default) or "development" (what `make run` and `make test` set).
               Production fails closed: it refuses to start without SECRET_KEY and
               BANK_ACCOUNT_KEY, never runs with DEBUG, redirects to HTTPS, sends HSTS and
               marks cookies Secure. Development creates its own random keys under var/.
DEBUG          "1" turns Django's debug pages on; only allowed in development mode.
SECRET_KEY     required in production (at least 50 random characters)
BANK_ACCOUNT_KEY  Fernet key(s) for bank account numbers; required in production
ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost; no wildcard)
DATABASE_URL   sqlite:///var/db.sqlite3 by default; postgresql://... in production and CI
CELERY_BROKER_URL  unset: tasks run eagerly in-process; redis://127.0.0.1:6379/0 or amqp://...
MEDIA_ROOT     where photos are stored with the local file storage (default var/media)
PHOTO_STORAGE  "local" (default) or "s3" (an S3-compatible bucket, see docs/operations.md)
READING_PHOTO_CHECKS  "request" (default) or "worker" (photo checks on a Celery worker)
See docs/operations.md for every variable and the production checklist.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from mileage.site.photo_storage import photo_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MILEAGE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

MILEAGE_ENV = os.environ.get("MILEAGE_ENV", "production").strip().lower() or "production"
if MILEAGE_ENV not in ("production", "development"):
    raise ImproperlyConfigured(
        f"MILEAGE_ENV must be 'production' or 'development', not {MILEAGE_ENV!r}."
    )
DEVELOPMENT = MILEAGE_ENV == "development"
PRODUCTION = not DEVELOPMENT

# Values that were public in this repository once: never accepted in production.
_PUBLIC_SECRETS = {
    "dev-only-insecure-key-do-not-use-in-production",
    "ZGV2LW9ubHktYmFuay1rZXktZG8tbm90LXVzZS0xMjM=",
}


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return (
        default if value is None or value == "" else value.strip().lower() in ("1", "true", "yes")
    )


def _local_secret(name: str, make: str) -> str:
    """Development only: a random key made once per installation and kept in var/ (0600)."""
    path = VAR_DIR / name
    if not path.exists():
        value = secrets.token_urlsafe(50) if make == "token" else _fernet_key()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
    return path.read_text().strip()


def _fernet_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if PRODUCTION and (not value or value in _PUBLIC_SECRETS):
        raise ImproperlyConfigured(
            f"{name} is not set: the service refuses to start in production mode without it. "
            f"{hint} For local development set MILEAGE_ENV=development (make run does)."
        )
    return value


if _env_flag("DEBUG", False) and PRODUCTION:
    raise ImproperlyConfigured(
        "DEBUG=1 is only allowed with MILEAGE_ENV=development: production never shows debug pages."
    )
DEBUG = DEVELOPMENT and _env_flag("DEBUG", False)

SECRET_KEY = _required(
    "SECRET_KEY",
    'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))".',
) or _local_secret("development-secret-key", "token")

# Bank accounts for pilot payouts (PILOT-8) are encrypted at rest with Fernet keys from the
# environment (comma-separated, newest first, for rotation). Development makes its own key.
BANK_ACCOUNT_KEY = _required(
    "BANK_ACCOUNT_KEY",
    "Generate one with: python -c "
    '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())".',
) or _local_secret("development-bank-account-key", "fernet")

_default_hosts = "127.0.0.1,localhost,testserver" if DEVELOPMENT else "127.0.0.1,localhost"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", _default_hosts).split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver leaves static files to WhiteNoise (as in production): Django's own static
    # handler answered /static/%2e%2e/... with a plain-text 500 (issue #13, finding 5).
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_celery_beat",  # `make beat`: the schedule below, kept and editable in the database
    "ninja",  # serves Swagger UI from local static files (no CDN, no inline script: CSP)
    "mileage.core",
    "mileage.accounts",
    "mileage.partners",
    "mileage.vehicles",
    "mileage.readings",
    "mileage.ledger",
    "mileage.evaluations",
    "mileage.walking",
    "mileage.community",
    "mileage.pilot",
    "mileage.parameters",
    "mileage.whatif",
    "mileage.privacy",
    "mileage.members",
    "mileage.web",
    "demo",  # only the demo_data command and its seeds (top-level package, not the product)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: a multipart request without a boundary is a 400.
    "mileage.web.middleware.MalformedBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mileage.web.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Outermost of the two below, so it sees every response: /api/ errors become JSON.
    "mileage.web.middleware.ApiJsonErrorsMiddleware",
    # A DomainError raised by a page view becomes the Korean error page with its status.
    "mileage.web.middleware.DomainErrorPagesMiddleware",
]

ROOT_URLCONF = "mileage.site.urls"
WSGI_APPLICATION = "mileage.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["mileage.core.templatetags.korean"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if _env_flag("DB_PGBOUNCER", False):
    # PgBouncer in transaction mode (docs/operations.md): a server connection is shared between
    # transactions, so no server-side cursors and no prepared statements.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout so the embedded default copes with a web request and a job at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes, handler in mileage/web/throttle.py), two limits at once: one
# username from one address is locked after 5 failures, and one address after 20 failures over
# any usernames (credential stuffing), each for 15 minutes. A success resets only its username.
AXES_HANDLER = "mileage.web.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mileage.web.views.lockout"  # Korean page, JSON under /api/ (HTTP 429)
# Behind a reverse proxy the client address is the last X-Forwarded-For hop the proxy added.
if os.environ.get("TRUSTED_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["TRUSTED_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_VERBOSE = False
CSRF_FAILURE_VIEW = "mileage.web.views.csrf_failure"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "ko"
# Korean only: the English catalogue covered a few strings, so the switch was removed (issue #15).
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Photos: local files under MEDIA_ROOT, or with PHOTO_STORAGE=s3 a private S3-compatible
    # bucket (mileage/site/photo_storage.py); read only through the permission-checked view.
    "default": photo_storage(os.environ),
    # Production serves hashed, compressed files collected by `collectstatic` (make serve does);
    # development serves the apps' files as they are, no collectstatic needed.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT  # `make run` without DEBUG still has its CSS and scripts
WHITENOISE_AUTOREFRESH = DEVELOPMENT

# Uploads: photos are checked by the readings app; these bound what Django buffers.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Where a citizen's reading photos are checked (decoded, re-encoded without GPS, hashed):
# "request" (default) in the upload's request; "worker" after it, by the Celery task
# readings.check_photos, the reading shown as "사진 확인 중" until then (eager without a broker).
READING_PHOTO_CHECKS = os.environ.get("READING_PHOTO_CHECKS", "request")
if READING_PHOTO_CHECKS not in ("request", "worker"):
    raise ImproperlyConfigured("READING_PHOTO_CHECKS must be 'request' or 'worker'")

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Transport (production): HTTPS only. TLS ends at the reverse proxy / load balancer in front of
# gunicorn; set BEHIND_TLS_PROXY=1 there so Django trusts its X-Forwarded-Proto header (and
# only then: a client could send that header itself).
SECURE_SSL_REDIRECT = PRODUCTION and _env_flag("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_flag("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _env_flag("BEHIND_TLS_PROXY", False) else None
)
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
# HSTS preload is a commitment for the whole domain that the city makes, not this service.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Sessions (mileage.web.middleware.SessionTimeoutMiddleware): the cookie ends with the browser
# (shared PCs at community centres); on the server a session ends after the idle time or the
# absolute lifetime of its role, shorter for officials, city managers and partner staff.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = {
    "citizen": int(os.environ.get("SESSION_IDLE_MINUTES_CITIZEN", "30")) * 60,
    "staff": int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "15")) * 60,
}
SESSION_ABSOLUTE_TIMEOUT = {
    "citizen": int(os.environ.get("SESSION_MAX_HOURS_CITIZEN", "12")) * 3600,
    "staff": int(os.environ.get("SESSION_MAX_HOURS_STAFF", "8")) * 3600,
}
SESSION_COOKIE_AGE = max(SESSION_ABSOLUTE_TIMEOUT.values())  # server-side rows end by then
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "connect-src": ["'self'"],
    }
}

# Uses of mileage outside the platform (mileage.ledger.external): how long a call may take before
# the held mileage goes back, and how the local adapter answers (confirm / fail / hang).
MILEAGE_EXTERNAL_TIMEOUT_SECONDS = float(os.environ.get("MILEAGE_EXTERNAL_TIMEOUT_SECONDS", "10"))
MILEAGE_LOCAL_EXTERNAL_MODE = os.environ.get("MILEAGE_LOCAL_EXTERNAL_MODE", "confirm")

# Identity verification (본인인증) and SMS: adapters chosen by dotted path. Development mode
# defaults to the local provider and the local gateway, which records messages (listed at
# /dev/messages/); production assumes nothing, and refuses the local SMS gateway outright.
_LOCAL_SMS = "mileage.members.sms.LocalSmsGateway"
MILEAGE_IDENTITY_PROVIDER = os.environ.get(
    "MILEAGE_IDENTITY_PROVIDER",
    "mileage.members.identity.LocalIdentityProvider" if DEVELOPMENT else "",
)
MILEAGE_SMS_GATEWAY = os.environ.get("MILEAGE_SMS_GATEWAY", _LOCAL_SMS if DEVELOPMENT else "")
if PRODUCTION and MILEAGE_SMS_GATEWAY == _LOCAL_SMS:
    raise ImproperlyConfigured(
        "MILEAGE_SMS_GATEWAY: the local SMS gateway is for development only "
        "(MILEAGE_ENV=development)."
    )
MILEAGE_LOCAL_IDENTITY_KEY = os.environ.get("MILEAGE_LOCAL_IDENTITY_KEY", "")
MILEAGE_PHONE_CODE_TTL_SECONDS = int(os.environ.get("MILEAGE_PHONE_CODE_TTL_SECONDS", "180"))
MILEAGE_PHONE_CODE_MAX_TRIES = int(os.environ.get("MILEAGE_PHONE_CODE_MAX_TRIES", "5"))
MILEAGE_PHONE_CODE_WAIT_SECONDS = int(os.environ.get("MILEAGE_PHONE_CODE_WAIT_SECONDS", "600"))

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis: a task taken by a worker that then died (SIGKILL, lost machine) goes back to the queue
# once it has been unacknowledged this long. Longer than any one task runs (a run's tasks are
# per chunk, seconds each; a shorter timeout would hand a running task to a second worker,
# harmless but wasted). RabbitMQ redelivers when the connection drops and ignores this.
# Workers look for such tasks every tenth of it (at most every 10 s; kombu's default, 100 s).
_visibility_timeout = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": max(1, min(10, _visibility_timeout // 10)),
    "unacked_restore_throttle": 1,
}
# A pool process killed in a task (SIGKILL, out of memory): the task goes back to the queue at
# once instead of being acknowledged as failed (every task here is safe to run twice).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Two queues. `celery` takes the runs' chunk tasks (evaluation, payment, walking accrual, what-if);
# `notices` takes the delivery passes (`deliver_notices`, minutes long at a gateway's rate limit),
# so a pass never holds a process a run's chunks are waiting for. A worker started without -Q
# (`make worker`) consumes both; in production run the chunk workers with `-Q celery` and one small
# deliverer with `-Q notices` (docs/operations.md "Processes").
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("notices"))
CELERY_TASK_ROUTES = {"mileage.core.tasks.deliver_notices": {"queue": "notices"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The daily jobs (Asia/Seoul). `make beat` copies these into the database on start; the city can
# pause or move them in the admin (Periodic tasks) without a deploy.
CELERY_BEAT_SCHEDULE = {
    "walking-accrue-yesterday": {
        "task": "walking.accrue_day",
        "schedule": crontab(minute=10, hour=0),
    },
    "walking-reward-campaigns": {  # 걷기 캠페인: yesterday's rewards (after the accrual)
        "task": "walking.reward_campaigns",
        "schedule": crontab(minute=50, hour=0),
    },
    "walking-settle-challenges": {
        "task": "walking.settle_challenges",
        "schedule": crontab(minute=40, hour=0),
    },
    # Issue #11: rankings are a table refreshed every 30 minutes (00:30 follows the accrual at
    # 00:10); ended team challenges are settled after the accrual, once per member.
    # Every 30 minutes only the periods containing today (all a page shows); a week or month
    # that ended yesterday once after the accrual and again in the nightly rebuild.
    "community-refresh-rankings": {
        "task": "community.refresh_rankings",
        "schedule": crontab(minute="*/30"),
        "kwargs": {"periods": "current"},
    },
    "community-refresh-ended-rankings": {
        "task": "community.refresh_rankings",
        "schedule": crontab(minute=30, hour=0),
        "kwargs": {"periods": "previous"},
    },
    "community-rebuild-rankings": {  # whole periods, so a late re-send of a final day counts
        "task": "community.refresh_rankings",
        "schedule": crontab(minute=10, hour=3),
        "kwargs": {"full": True},
    },
    "community-settle-team-challenges": {
        "task": "community.settle_team_challenges",
        "schedule": crontab(minute=50, hour=0),
    },
    "ledger-return-stale-holds": {
        "task": "mileage.ledger.tasks.return_stale_holds",
        "schedule": crontab(minute="*/5"),
    },
    "ledger-daily-expiry": {
        "task": "mileage.ledger.tasks.daily_expiry",
        "schedule": crontab(minute=30, hour=1),
    },
    # ECO-12: on the 1st, the run of the upload period just ended (odd months; Mar–Apr in June);
    # ECO-15: on 1 May, the seasonal run. Both stop at the preview for the city's sign-off.
    "evaluations-eco12-run": {
        "task": "mileage.evaluations.tasks.schedule_eco12_run",
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
    "evaluations-seasonal-run": {
        "task": "mileage.evaluations.tasks.schedule_seasonal_run",
        "schedule": crontab(minute=30, hour=3, day_of_month=1, month_of_year=5),
    },
    # Issue #12: the step reports' month partitions for this month and the next three exist
    # before any row needs them (PostgreSQL; nothing on SQLite; idempotent).
    "walking-ensure-partitions": {
        "task": "walking.ensure_partitions",
        "schedule": crontab(minute=20, hour=4),
    },
    "core-deliver-notices": {  # the outbox: pending e-mail / SMS messages
        "task": "mileage.core.tasks.deliver_notices",
        "schedule": crontab(minute="*"),
    },
}
# E-mail (the notices' e-mail channel): Django's backends. Production: SMTP from the environment
# (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_TIMEOUT,
# DEFAULT_FROM_EMAIL); development prints them (mileage.core.channels.LocalEmailBackend).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "mileage.core.channels.LocalEmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "서울 마일리지 <no-reply@mileage.seoul.go.kr>"
)

# Notices (mileage.core.notify, channels.py; docs/operations.md "Notices"): a message a gateway
# refuses or does not answer within the time limit is tried again after a doubling wait (60 s,
# 2 min, 4 min ... at most an hour), and after the last try it is dead (발송 실패).
MILEAGE_NOTICE_MAX_ATTEMPTS = int(os.environ.get("MILEAGE_NOTICE_MAX_ATTEMPTS", "5"))
MILEAGE_NOTICE_RETRY_SECONDS = int(os.environ.get("MILEAGE_NOTICE_RETRY_SECONDS", "60"))
MILEAGE_NOTICE_RETRY_MAX_SECONDS = int(os.environ.get("MILEAGE_NOTICE_RETRY_MAX_SECONDS", "3600"))
MILEAGE_NOTICE_TIMEOUT_SECONDS = float(os.environ.get("MILEAGE_NOTICE_TIMEOUT_SECONDS", "10"))
# Messages per minute each channel's gateway accepts (its contract); the rest wait a minute.
MILEAGE_NOTICE_RATE_PER_MINUTE = {
    "sms": int(os.environ.get("MILEAGE_NOTICE_SMS_PER_MINUTE", "600")),
    "email": int(os.environ.get("MILEAGE_NOTICE_EMAIL_PER_MINUTE", "1200")),
}
# The local SMS gateway and e-mail backend fail or hang on demand ("fail" | "hang"), as a
# carrier's gateway or a mail server does: MILEAGE_LOCAL_SMS_FAULT=hang make run.
MILEAGE_LOCAL_NOTICE_FAULTS = {
    "sms": os.environ.get("MILEAGE_LOCAL_SMS_FAULT", ""),
    "email": os.environ.get("MILEAGE_LOCAL_EMAIL_FAULT", ""),
}
MILEAGE_LOCAL_NOTICE_HANG_SECONDS = float(os.environ.get("MILEAGE_LOCAL_NOTICE_HANG_SECONDS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
