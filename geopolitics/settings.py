"""
Settings for geopolitics.

There is one settings module. Every difference between a laptop, CI and
production is an environment variable, read here through the small typed
helpers below and listed in the README's configuration table.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

# Missing values are not guessed: with DEBUG off they stay empty, so commands
# that need no secret (makemigrations, collectstatic) still run, while serving
# refuses to start (geopolitics/wsgi.py) and Django itself refuses to sign
# anything with an empty SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "Geopolitics")
SITE_DESCRIPTION = env_str(
    "SITE_DESCRIPTION", "Long-form analysis of geopolitics and foreign policy."
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "markdownx",
    "adminsortable2",
    "csp",
    "axes",
    "reversion",
    "places",
    "articles",
    "comments",
    "pages",
]

MIDDLEWARE = [
    # First, so that a cached page costs about what a plain Django view does
    # (issue 8): what it stores carries every header added below it (security
    # headers, CSP). Only 200s are stored, so a plain-HTTP request, which
    # SecurityMiddleware redirects, is never answered from it.
    "articles.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Near the top, so that every answer (a refusal below included) carries it.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "geopolitics.middleware.RequestBodyLimitMiddleware",
    "geopolitics.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Below the header middleware, so its 400 and 405 answers carry their headers.
    "geopolitics.request_guards.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "geopolitics.urls"
WSGI_APPLICATION = "geopolitics.wsgi.application"

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
                "articles.context_processors.site",
                "articles.context_processors.region_nav",
                "comments.context_processors.pending_comment_count",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite file by default so a fresh clone runs with no server; DATABASE_URL
# (postgres://user:pass@host:port/name) selects PostgreSQL through psycopg 3.

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# On PostgreSQL, parameters travel apart from the SQL (no quoting in Python)
# and a statement a connection has run 5 times is prepared once, so it is
# neither parsed nor planned again: about a millisecond less of CPU for each
# comment POST (issue 8). Behind a pooler in transaction mode that cannot keep
# prepared statements (PgBouncer before 1.21), set DATABASE_PREPARED_STATEMENTS=false.
POSTGRESQL_OPTIONS = {
    "server_side_binding": env_bool("DATABASE_SERVER_SIDE_BINDING", True),
    "prepare_threshold": 5 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        **POSTGRESQL_OPTIONS,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server threads or processes share the embedded database: a
    # transaction takes the write lock when it begins (IMMEDIATE), so one that
    # reads before it writes waits its turn (up to `timeout` seconds) instead of
    # failing with "database is locked"; WAL lets readers carry on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASE_REPLICA_URL: a streaming replica of the primary for public reads
# (geopolitics/db_router.py). Writes, the admin and a client's requests for
# DATABASE_REPLICA_PIN_SECONDS after it posted stay on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 5)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["replica"].get("OPTIONS", {}),
        **POSTGRESQL_OPTIONS,
    }
    DATABASE_ROUTERS = ["geopolitics.db_router.PrimaryReplicaRouter"]
    # Before sessions and auth, so that the whole request reads from one place.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "geopolitics.db_router.ReplicaRoutingMiddleware",
    )

# --- Cache ------------------------------------------------------------------
# Per-process memory by default; REDIS_URL shares the cache (and with it the
# comment rate limits) across server processes, through Django's Redis backend
# with one client per pool (geopolitics/cache.py says why).

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "geopolitics.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "geopolitics"),
        }
    }
    # Sessions (only staff have them) stay in the database, Django's default:
    # every app server sees them, and an editor can still log in while Redis
    # is down, which the cached_db backend does not allow.
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rendered pages and fragments for anonymous readers (articles/page_cache.py).
# On by default with Redis, whose one generation counter every process shares,
# and while developing (one process); off for several processes without Redis,
# where each would keep its own copies.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", bool(REDIS_URL) or DEBUG)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)  # longest life of an entry
PAGE_CACHE_CLIENT_SECONDS = env_int("PAGE_CACHE_CLIENT_SECONDS", 30)  # browsers and CDNs
# Without Redis, processes on this machine hear of changes through this file
# (articles/page_generation.py): a command beside `make run`'s server, say.
PAGE_CACHE_STAMP_FILE = env_str("PAGE_CACHE_STAMP_FILE") or str(BASE_DIR / ".page-generation")

# --- Auth -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing
        # so that nothing needs collectstatic first.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Serve uploaded media from Django itself (fine behind a caching proxy for a
# small newsroom); switch off when a web server or object store serves them.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# --- Media storage ----------------------------------------------------------
# AWS_STORAGE_BUCKET_NAME stores uploads in an S3-compatible bucket through
# django-storages (docs/deploy.md). Objects are written as one of four image
# types or as an octet-stream attachment (geopolitics/storage.py); the bucket
# or CDN must send them with X-Content-Type-Options: nosniff.

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None  # None: AWS itself
    AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID") or None  # None: boto3's own lookup
    AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN") or None  # a CDN's host name
    AWS_DEFAULT_ACL = None  # the bucket's policy decides who reads
    AWS_QUERYSTRING_AUTH = False  # public, stable URLs that a CDN can cache
    AWS_S3_FILE_OVERWRITE = False  # names are random; never replace an object
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    STORAGES["default"] = {"BACKEND": "geopolitics.storage.MediaStorage"}
    SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
    # Where browsers fetch uploads from; the Content-Security-Policy allows it (below).
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        MEDIA_ORIGINS = ["{0.scheme}://{0.netloc}".format(urlsplit(AWS_S3_ENDPOINT_URL))]
    else:
        MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"] + (
            [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"]
            if AWS_S3_REGION_NAME
            else []
        )

# --- E-mail -----------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Geopolitics <newsroom@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Security ---------------------------------------------------------------
# Production sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Uploads and request bodies. The proxy in front must cap bodies too (nginx:
# client_max_body_size 6m); REQUEST_MAX_BODY_SIZE refuses larger ones with 413
# before anything reads them, so a huge anonymous post never reaches the disk.
REQUEST_MAX_BODY_SIZE = env_int("REQUEST_MAX_BODY_SIZE", 6 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields, files excluded (Django's default)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files spool to FILE_UPLOAD_TEMP_DIR
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000  # an article of 100+ sections with figures
DATA_UPLOAD_MAX_NUMBER_FILES = 50

# Content-Security-Policy (django-csp 4). Scripts come only from our origin:
# neither our templates nor the Django admin nor markdownx use inline script.
# Styles stay 'self' too: the admin's own stylesheets are files, and scripts
# that set element.style (select2, markdownx) are not covered by style-src.
# img-src allows data: for images pasted into the markdownx preview.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
if AWS_STORAGE_BUCKET_NAME:  # uploads come from the bucket or its CDN (Media storage)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += MEDIA_ORIGINS
# Browser features the site never uses, denied to it and to anything it embeds.
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Admin login throttling (django-axes): LOGIN_FAILURE_LIMIT failures from one
# address, or for one username, lock the login for LOGIN_LOCKOUT_MINUTES.
# A superuser unlocks by deleting the "Access attempts" rows in the admin, or
# with `manage.py axes_reset` (axes_reset_ip ADDRESS / axes_reset_username NAME).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# How many proxies we run in front of Django, each appending the address it
# saw to X-Forwarded-For (0: take REMOTE_ADDR, ignore the header). The login
# throttle and the comment rate limits both count by this address. The older
# COMMENTS_TRUST_X_FORWARDED_FOR=true still means one hop.
TRUSTED_PROXY_HOPS = env_int(
    "TRUSTED_PROXY_HOPS", 1 if env_bool("COMMENTS_TRUST_X_FORWARDED_FOR", False) else 0
)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every command; attempts are in the admin
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "geopolitics.middleware.client_ip"

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Editorial --------------------------------------------------------------

ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
READING_WORDS_PER_MINUTE = 230

# django-markdownx: preview with the same renderer and sanitiser as the site,
# and accept raster images only (SVG can carry script).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.markdown.render_markdown"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 0), "quality": 85}

TAGGIT_CASE_INSENSITIVE = True

# --- Comments ---------------------------------------------------------------
# Reader comments (docs/comments.md). Only approved comments are ever public.

COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 3)  # a comment, a reply, a reply to that
# A long discussion is shown this many threads (a comment and its replies) a page.
COMMENTS_THREADS_PER_PAGE = env_int("COMMENTS_THREADS_PER_PAGE", 50)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30)  # 0: never close by age
COMMENTS_RATE_LIMIT = env_int("COMMENTS_RATE_LIMIT", 5)  # comments per client per minute
COMMENTS_BLOCKLIST = env_list("COMMENTS_BLOCKLIST")  # words or phrases that hold a comment as spam
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)  # more links than this: held as spam
# Approved comments from an address before a comment whose sender *proved* the
# address (the mailed link, or a browser that opened one) is published at once; 0: off.
COMMENTS_AUTO_APPROVE_AFTER = env_int("COMMENTS_AUTO_APPROVE_AFTER", 0)
# How long the link mailed to prove a commenter's address works (seconds).
COMMENTS_VERIFY_LINK_MAX_AGE = env_int("COMMENTS_VERIFY_LINK_MAX_AGE", 7 * 24 * 60 * 60)
# A commenter may edit or withdraw a comment this long after sending it (seconds).
COMMENTS_EDIT_WINDOW = env_int("COMMENTS_EDIT_WINDOW", 15 * 60)
# An edit of a published comment at least this similar to the old text (difflib's
# ratio, in percent) is a typo fix and stays published; less goes back to the queue.
COMMENTS_EDIT_TYPO_PERCENT = env_int("COMMENTS_EDIT_TYPO_PERCENT", 90)
# Reports one client address may send per hour. A report never hides a comment
# (COMMENTS_REPORTS_TO_REQUEUE is gone: only a moderator removes a comment).
COMMENTS_REPORT_RATE_LIMIT = env_int("COMMENTS_REPORT_RATE_LIMIT", 10)
# Reports from this many distinct *verified* readers (their browser proved an
# address through the mailed link) take a comment down until a moderator restores
# it (0: never, the default). Addresses and cookies alone never count.
COMMENTS_REPORTS_TO_HIDE = env_int("COMMENTS_REPORTS_TO_HIDE", 0)
# Surge defence (comments/surge.py): an article whose comments (or reports) in the
# last COMMENTS_SURGE_WINDOW seconds reach the minimum and exceed FACTOR times its
# usual rate goes into strict mode for COMMENTS_STRICT_MODE_HOURS. 0 turns a check off.
COMMENTS_SURGE_WINDOW = env_int("COMMENTS_SURGE_WINDOW", 10 * 60)  # seconds
COMMENTS_SURGE_COMMENTS = env_int("COMMENTS_SURGE_COMMENTS", 30)
COMMENTS_SURGE_REPORTS = env_int("COMMENTS_SURGE_REPORTS", 15)
COMMENTS_SURGE_FACTOR = env_int("COMMENTS_SURGE_FACTOR", 5)
COMMENTS_SURGE_BASELINE_DAYS = env_int("COMMENTS_SURGE_BASELINE_DAYS", 7)
COMMENTS_STRICT_MODE_HOURS = env_int("COMMENTS_STRICT_MODE_HOURS", 24)
# Per client per minute in strict mode, for new commenters (not a proven address
# with an approved comment).
COMMENTS_STRICT_RATE_LIMIT = env_int("COMMENTS_STRICT_RATE_LIMIT", 1)
COMMENTS_MIN_SUBMIT_SECONDS = env_int("COMMENTS_MIN_SUBMIT_SECONDS", 3)
COMMENTS_MAX_FORM_AGE = env_int("COMMENTS_MAX_FORM_AGE", 24 * 60 * 60)  # seconds
COMMENTS_DUPLICATE_WINDOW = env_int("COMMENTS_DUPLICATE_WINDOW", 10 * 60)  # seconds
# Client IPs are stored only as an HMAC under this key (blank: a key derived
# from SECRET_KEY), so that a database dump alone cannot be matched to addresses.
COMMENTS_IP_HASH_KEY = env_str("COMMENTS_IP_HASH_KEY")
# The client address comes from TRUSTED_PROXY_HOPS (Security, above).
# Absolute links in e-mails (admin link, permalink, unsubscribe).
COMMENTS_SITE_URL = (
    env_str("COMMENTS_SITE_URL")
    or (
        f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
        if ALLOWED_HOSTS and not DEBUG
        else "http://127.0.0.1:8000"
    )
).rstrip("/")

# --- Tasks ------------------------------------------------------------------
# E-mail leaves the request through a task queue (issue 8): Django's Tasks API
# through the django-tasks backport, with the database backend of
# django-tasks-db, so no extra server is needed. `python manage.py db_worker`
# runs the tasks (`make run` starts one, `make worker` runs one alone); see
# docs/comments.md, "E-mail".

INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The database backend never retries a task, so comments/tasks.py tries each
# message this many times, waiting COMMENTS_MAIL_RETRY_DELAY seconds, doubled
# each time, in between; then the task stays FAILED for requeue_failed_mail.
COMMENTS_MAIL_ATTEMPTS = 3
# Moderators get one digest of what waits on the desk at most every this many
# minutes, instead of an e-mail per comment or report; 0: one e-mail each.
COMMENTS_MODERATOR_DIGEST_MINUTES = env_int("COMMENTS_MODERATOR_DIGEST_MINUTES", 15)
COMMENTS_MAIL_RETRY_DELAY = 2
