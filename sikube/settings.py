"""SIKUBE settings: one module, every deployment choice read from the environment.

See README.md ("Menjalankan di server") for the variables. The embedded install (the
default SQLite database in SIKUBE_VAR_DIR) keeps its signing key in SIKUBE_VAR_DIR/secret_key,
created on first use, so `manage.py` and mypy work there without exporting anything;
a deployment on another database refuses to start without SECRET_KEY (unless DEBUG).
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_int, env_list, env_rate, env_str, secret_key_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SIKUBE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
EMBEDDED_DATABASE_URL = f"sqlite:///{VAR_DIR / 'sikube.sqlite3'}"
# The embedded install: the database is the default file in SIKUBE_VAR_DIR, on this machine.
EMBEDDED = env_str("DATABASE_URL", EMBEDDED_DATABASE_URL) == EMBEDDED_DATABASE_URL
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if EMBEDDED:
        SECRET_KEY = secret_key_file(VAR_DIR / "secret_key")
    elif DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-" + "x" * 20
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Only the embedded install (the default SQLite database) "
            "keeps one in SIKUBE_VAR_DIR/secret_key; a deployment must set its own "
            "(50+ random characters)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS defaults to on outside DEBUG. `make run` serves plain http on loopback and
# turns it off explicitly; a deployment behind a TLS proxy leaves it on.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a proxy the client's address is the proxy's hop of X-Forwarded-For (lib/clientip.py);
# without one the header is the client's own writing and is ignored.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies in front of that one (a CDN, a second balancer) whose hops are skipped: addresses or CIDRs.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as _exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_exc}") from None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every powerful browser feature off (lib.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "encrypted-media",
    "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone",
    "midi", "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial",
    "usb", "xr-spatial-tracking", "browsing-topics",
))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after a working day; a shared phone must not stay signed in for weeks.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "ninja",
    "lib",
    "regions",
    "accounts",
    "audit",
    "outbox",
    "registry",
    "books",
    "grants",
    "mentoring",
    "assessments",
    "shareout",
    "dtsen",
    "approval",
    "messaging",
    "monitoring",
    "ops",
    "front",
    "pwa",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed (a cash book 28 KB -> ~4 KB on a phone). BREACH: Django masks the CSRF
    # token anew in every response and pads each gzip answer with random bytes (Heal The Breach);
    # README "Compression" says what else was checked.
    "django.middleware.gzip.GZipMiddleware",
    "lib.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lib.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lib.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "api.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lib.middleware.NoStoreMiddleware",
    "lib.middleware.RefusalLogMiddleware",
    "axes.middleware.AxesMiddleware",
    "api.middleware.WriteRoleMiddleware",  # before the key: a role refusal writes nothing
    "api.middleware.OutboxOwnerMiddleware",  # before the key: a phone's item is sent only as its own user
    "api.idempotency.IdempotencyMiddleware",
    "api.idempotency.PageIdempotencyMiddleware",  # page forms' one-time keys, after auth and messages
    "lib.db.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "sikube.urls"
WSGI_APPLICATION = "sikube.wsgi.application"

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
                "front.context_processors.navigation",
                "lib.db.replica_context",
            ],
            "builtins": ["api.templatetags.submission"],  # {% submission_key %} in every writing form
        },
    },
]

# --- Database -------------------------------------------------------------
# Embedded SQLite by default; PostgreSQL through DATABASE_URL for deployment, optionally with a
# streaming read replica (DATABASE_REPLICA_URL) for dashboards, reports and heavy lists (lib/db.py).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", EMBEDDED_DATABASE_URL)
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
# Connections are kept across requests (health-checked before reuse), on SQLite too: opening one
# on the national database cost 1.3 ms per request. PostgreSQL pools them instead (below).
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60, minimum=0)
SQLITE_TIMEOUT = env_int("SQLITE_TIMEOUT", 20, minimum=1)
SQLITE_MMAP_MB = env_int("SQLITE_MMAP_MB", 1024, minimum=0)
# psycopg's pool per worker process (Django's "pool" option); 0 turns it off (then CONN_MAX_AGE).
DATABASE_POOL_MAX = env_int("DATABASE_POOL_MAX", 8, minimum=0)
DATABASE_POOL_MIN = env_int("DATABASE_POOL_MIN", 1, minimum=0)
DATABASE_POOL_TIMEOUT = env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1)


def _database(url: str) -> dict[str, Any]:
    """One DATABASES entry from a URL, with the options SIKUBE relies on for its engine."""
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # lib.sqlite: write transactions queue for a file lock beside the database and wake when it
        # frees, instead of sleeping in SQLite's busy handler (lib/sqlite/base.py).
        db["ENGINE"] = "lib.sqlite"
        # The test database stays in memory, as for Django's own engine (pytest-django names an
        # unnamed test database per xdist worker only for engines it does not know as SQLite).
        db["TEST"] = {"NAME": ":memory:"}
        db["OPTIONS"] = {
            # Writers queue for the lock (BEGIN IMMEDIATE + busy timeout) instead of
            # failing with "database is locked" when two requests post at once.
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_TIMEOUT,
            "writer_lock": env_bool("SQLITE_WRITER_LOCK", True),
            # Run on every new connection (Django 5.1+), so a kept connection has them too.
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                f"PRAGMA busy_timeout={SQLITE_TIMEOUT * 1000};"
                # Reads come straight from the operating system's page cache, shared by every
                # connection, instead of each connection's own 2 MB cache (a province's pages read
                # thousands of scattered rows: 700 ms against 100 ms in bench/RESULTS.md).
                f"PRAGMA mmap_size={SQLITE_MMAP_MB * 1024 * 1024};"
                # The WAL file keeps the size of its longest run otherwise (a bulk load left GBs);
                # when it starts over it is cut back to this.
                "PRAGMA journal_size_limit=67108864;"
            ),
        }
    elif db["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_MAX:
        # Django refuses a pool with persistent connections: the pool keeps them instead.
        db["CONN_MAX_AGE"] = 0
        db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(DATABASE_POOL_MIN, DATABASE_POOL_MAX),
            "max_size": DATABASE_POOL_MAX,
            "timeout": DATABASE_POOL_TIMEOUT,
        }
    return db


DATABASES: dict[str, dict[str, Any]] = {"default": _database(DATABASE_URL)}
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    # The test suite reads the replica alias from the primary's test database (no second test
    # database); the streaming replica itself is tested end to end in ops/tests/test_replica.py.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["lib.db.ReplicaRouter"]
# GET requests whose path matches one of these read through the replica where there is one
# (dashboards, period reports, the PEKA roll-up and the offices' lists of groups); everything
# else, every write and the accounts' own tables always use the primary (lib/db.py).
REPLICA_READ_PATHS = [
    r"^/pemantauan/$",
    r"^/pemantauan/laporan\.",
    r"^/peka/$",
    r"^/api/v1/dashboard/",
    r"^/api/v1/reports/",
    r"^/api/v1/assessment-rollup$",
]
# Only these apps' models are read from the replica, even on those pages: users, sessions, tokens,
# lockouts, stored API answers and the audit trail always come from the primary.
REPLICA_READ_APPS = ["regions", "registry", "books", "grants", "mentoring", "assessments", "monitoring"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Summary outbox (outbox/drainer.py) -------------------------------------------
# "process": by a drainer process beside the app server (gunicorn starts it: sikube/gunicorn_conf.py);
# "thread": by this process shortly after each commit (runserver, a shell); "sync": in the
# committing thread; "off": only by `manage.py monitoring_refresh --pending` (cron).
OUTBOX_DRAIN = env_str("OUTBOX_DRAIN", "thread")
if OUTBOX_DRAIN not in ("process", "thread", "sync", "off"):
    raise ImproperlyConfigured("OUTBOX_DRAIN must be process, thread, sync or off.")
OUTBOX_POLL = env_int("OUTBOX_POLL_MS", 500, minimum=50) / 1000  # how often the drainer process looks
OUTBOX_DEBOUNCE = env_int("OUTBOX_DEBOUNCE_MS", 200, minimum=0) / 1000

# --- Messages to members (messaging/; README "Pesan kepada anggota") ---------------
# The gateway `manage.py messages_send` hands messages to: console (the log, phone masked), file
# (JSON lines in MESSAGING_FILE_PATH), zenziva (SMS) or whatsapp (Cloud API templates). A half-set
# gateway (a key without its pair, or keys of a gateway not chosen) makes the worker refuse to start.
MESSAGING_BACKEND = env_str("MESSAGING_BACKEND", "console")
MESSAGING_FILE_PATH = env_str("MESSAGING_FILE_PATH", str(VAR_DIR / "messages.jsonl"))
MESSAGING_MAX_ATTEMPTS = env_int("MESSAGING_MAX_ATTEMPTS", 5, minimum=1)       # then the message is failed
MESSAGING_BACKOFF_SECONDS = env_int("MESSAGING_BACKOFF_SECONDS", 60, minimum=1)  # × 2^(attempt − 1), at most 6 h
MESSAGING_LEASE_SECONDS = env_int("MESSAGING_LEASE_SECONDS", 300, minimum=30)  # a "sending" row older is a dead worker's
MESSAGING_CONCURRENCY = env_int("MESSAGING_CONCURRENCY", 8, minimum=1)    # gateway calls in flight per worker
MESSAGING_POLL = env_int("MESSAGING_POLL_MS", 2000, minimum=100) / 1000        # --follow: the pause when nothing waits
ZENZIVA_URL = env_str("ZENZIVA_URL", "https://console.zenziva.net/reguler/api/sendsms/")
ZENZIVA_USERKEY = env_str("ZENZIVA_USERKEY")
ZENZIVA_PASSKEY = env_str("ZENZIVA_PASSKEY")
WHATSAPP_API_URL = env_str("WHATSAPP_API_URL", "https://graph.facebook.com")
WHATSAPP_API_VERSION = env_str("WHATSAPP_API_VERSION", "v21.0")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID")
WHATSAPP_TOKEN = env_str("WHATSAPP_TOKEN")
WHATSAPP_TEMPLATE_LANGUAGE = env_str("WHATSAPP_TEMPLATE_LANGUAGE", "id")
# Inbound (replies "BERHENTI" and delivery statuses): the Meta app's secret signs each webhook
# (X-Hub-Signature-256) and the verify token answers its subscription check; the SMS gateway's
# forwarder sends MESSAGING_WEBHOOK_SECRET in the X-Sikube-Secret header. Unset: that webhook answers 404.
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN")
MESSAGING_WEBHOOK_SECRET = env_str("MESSAGING_WEBHOOK_SECRET")

# --- Cache: the rate limits' counters, shared by every worker ---------------------
# Redis where deployed (several workers or machines); otherwise files under SIKUBE_VAR_DIR,
# which every worker of one machine shares and which cost no SQLite write lock (lib/cache.py).
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "sikube"}}
else:
    CACHES = {"default": {"BACKEND": "lib.cache.LockedFileBasedCache", "LOCATION": str(VAR_DIR / "cache"),
                          "OPTIONS": {"MAX_ENTRIES": 20_000}}}

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # kube2026, Sikube!23, the user's name with a year (accounts/passwords.py)
    {"NAME": "accounts.passwords.DomainWordsValidator", "OPTIONS": {"min_length": 6}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username from one address after repeated failures.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
# The same address as the rate limits (X-Forwarded-For only behind a proxy, its hop only).
AXES_CLIENT_IP_CALLABLE = "lib.clientip.client_ip"

# Rate limits (lib/ratelimit.py), on top of the lockout: every attempt at a password from one
# address — sign-in page, token endpoint, password change — whatever the username; and the
# password changes of one account, from whatever address.
SIGNIN_RATE = env_rate("SIGNIN_RATE", "30/m,100/h")
PASSWORD_CHANGE_RATE = env_rate("PASSWORD_CHANGE_RATE", "5/m,20/h")

# --- Content-Security-Policy (django-csp 4) -----------------------------------
# No inline script or style anywhere: htmx is configured through a <meta> tag and
# every behaviour lives in vendored or project files under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation ------------------------------------------------------
# Source strings are written in Bahasa Indonesia (the users' language, always
# complete); locale/en holds the English translation.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Deployments serve collected, hashed files; development and tests serve from the source folders.
STATIC_MANIFEST = not DEBUG and env_bool("STATIC_MANIFEST", True)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Requests larger than this are refused before a view reads them (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_BYTES", 5 * 1024 * 1024, minimum=1024)
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
IDEMPOTENCY_KEEP_HOURS = env_int("IDEMPOTENCY_KEEP_HOURS", 24, minimum=1)  # api/idempotency.py
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- API ------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
API_TOKEN_TOUCH_SECONDS = 300  # how often last_used_at is written for a token

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Demo data (make run) and its shared password.
DEMO_PASSWORD = env_str("SIKUBE_DEMO_PASSWORD", "kube-demo-2026")


# The reporting chain (approval): the day of the month after a period by which each level acts
# (a group submits its LPJ by the 10th, …; a kabupaten's report is due by "laporan_kabupaten").
# Override any of them: SIKUBE_APPROVAL_DUE_DAYS="pengurus:12,kabupaten:22".
APPROVAL_DUE_DAYS: dict[str, int] = {
    "pengurus": 10, "pendamping": 15, "kecamatan": 18, "kabupaten": 20,
    "laporan_kabupaten": 25, "laporan_provinsi": 28,
}
for _item in env_list("SIKUBE_APPROVAL_DUE_DAYS", []):
    _name, _sep, _day = _item.partition(":")
    if _name.strip() not in APPROVAL_DUE_DAYS or not _day.strip().isdigit() or not 1 <= int(_day) <= 28:
        raise ImproperlyConfigured(f"SIKUBE_APPROVAL_DUE_DAYS: {_item!r}: expected level:day (day 1-28) "
                                   f"with a level among {', '.join(APPROVAL_DUE_DAYS)}")
    APPROVAL_DUE_DAYS[_name.strip()] = int(_day)
