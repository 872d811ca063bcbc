"""Settings read from the environment, with safe defaults for the embedded mode.

This module is the one place that reads Dateline's environment variables, through the
helpers in settings/env.py; every variable is documented in docs/configuration.md, and
tests/core/test_configuration.py fails when one is read here but not documented there.
The rest of the code reads `django.conf.settings`.

The only other reads of `os.environ`, each because it runs before these settings exist or
hands the environment to another process:
- cli.py and wsgi.py: choose DJANGO_SETTINGS_MODULE (default: this module);
- settings/test.py: gives each test process its own data folder, cache prefix and Redis
  database before importing this module;
- ops/backup.py: passes the environment, plus the database's PG* variables, to
  PostgreSQL's pg_dump and pg_restore.
"""

import ipaddress
import secrets
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_float, env_int, env_list, env_path, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("DATELINE_DATA_DIR", Path("var")).resolve()


def embedded_secret_key(data_dir: Path) -> str:
    """The embedded mode keeps a generated key in its data folder, never in the code."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class UnsafeConfiguration(ImproperlyConfigured):
    """Production settings that would leave the site open; `dateline` prints the message."""


def refuse_unsafe_production(*, debug: bool, secret_key: str | None, hosts: list[str]) -> None:
    """Production (DATELINE_PRODUCTION=1) starts only with a real key, named hosts and
    no debug pages: each of these, left at its embedded default, would open the site."""
    problems = []
    if debug:
        problems.append("DATELINE_DEBUG is on: debug pages show settings and code to anyone.")
    if not secret_key:
        problems.append("DATELINE_SECRET_KEY is not set: every machine needs the same key.")
    elif len(secret_key) < 50 or len(set(secret_key)) < 5 or "insecure" in secret_key:
        problems.append(
            "DATELINE_SECRET_KEY is too weak: use at least 50 random characters, e.g. "
            'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if not hosts:
        problems.append("DATELINE_ALLOWED_HOSTS is not set: name the site's host names.")
    elif "*" in hosts:
        problems.append("DATELINE_ALLOWED_HOSTS contains '*': name the site's host names.")
    if problems:
        raise UnsafeConfiguration(
            "Dateline refuses to start in production (DATELINE_PRODUCTION=1):\n  - "
            + "\n  - ".join(problems)
        )


# The embedded mode (the default) runs on one machine with a generated key; production
# mode insists on explicit, safe settings and turns HTTPS protections on by default.
PRODUCTION = env_bool("DATELINE_PRODUCTION")
DEBUG = env_bool("DATELINE_DEBUG")
if PRODUCTION:
    refuse_unsafe_production(
        debug=DEBUG,
        secret_key=env_str("DATELINE_SECRET_KEY"),
        hosts=env_list("DATELINE_ALLOWED_HOSTS"),
    )
SECRET_KEY = env_str("DATELINE_SECRET_KEY") or embedded_secret_key(DATA_DIR)
# Earlier keys still accepted while rotating: signed links, sessions, sealed channel tokens.
SECRET_KEY_FALLBACKS = env_list("DATELINE_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("DATELINE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DATELINE_CSRF_TRUSTED_ORIGINS")

# HTTPS: on by default in production. Behind a proxy that ends TLS, its X-Forwarded-Proto
# is believed only from DATELINE_TRUSTED_PROXIES (core.security.TrustedProxyMiddleware).
HTTPS = env_bool("DATELINE_HTTPS", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DATELINE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DATELINE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DATELINE_HSTS_PRELOAD")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview shows the page in a frame of the admin: same origin only.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    # Including subdomains and asking browsers to preload HSTS bind every host of the
    # domain to HTTPS for good: the operator decides (DATELINE_HSTS_*), not the code.
    "security.W005",
    "security.W021",
    # SAMEORIGIN, not DENY: Wagtail's live preview frames our own pages.
    "security.W019",
]

INSTALLED_APPS = [
    "dateline.core",
    "dateline.news",
    "dateline.analytics",
    "dateline.search",
    "dateline.demo",
    "dateline.feeds",
    "dateline.api",
    "dateline.pagecache",
    "dateline.ingest",
    "dateline.newsletters",
    "dateline.channels",
    "dateline.webapp",
    "anymail",
    # Operations: the admin's "Background jobs" report and its permission (docs/operations.md).
    "dateline.ops",
    # Background work (docs/operations.md): the task framework and both of its queues,
    # installed whichever is chosen, so switching needs no other change than the setting.
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    # Only for its static files: the API documentation page's Swagger UI.
    "ninja",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
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
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "dateline.core.security.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dateline.api.http.ApiHttpMiddleware",
    "dateline.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "dateline.core.middleware.KnownMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dateline.core.middleware.SharedStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dateline.core.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dateline.news.middleware.DraftViewerMiddleware",
    "dateline.core.two_factor.AdminTwoFactorMiddleware",
    "dateline.core.middleware.MalformedAdminFormMiddleware",
    "dateline.core.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dateline.core.middleware.SiteTimeZoneMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dateline.urls"
WSGI_APPLICATION = "dateline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "dateline.core.context_processors.site_chrome",
                "dateline.news.context_processors.navigation",
            ],
        },
    },
]

# Embedded default: SQLite in the data folder. DATABASE_URL switches to PostgreSQL.
# The address stays out of the settings: debug pages would show its password.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'dateline.sqlite3'}",
        conn_max_age=env_int("DATELINE_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# What each web process keeps in its own memory, in MB, in front of the shared cache (the
# files of the embedded mode, Redis at scale); every one of these is bounded in bytes.
# Pages are kept compressed (pagecache/compression.py).
DATELINE_PAGE_CACHE_MEMORY_MB = env_int("DATELINE_PAGE_CACHE_MEMORY_MB", 24)
DATELINE_FRAGMENT_CACHE_MEMORY_MB = env_int("DATELINE_FRAGMENT_CACHE_MEMORY_MB", 8)
DATELINE_FEED_CACHE_MEMORY_MB = env_int("DATELINE_FEED_CACHE_MEMORY_MB", 8)
# Embedded mode only: at scale, renditions are in Redis.
DATELINE_RENDITION_CACHE_MEMORY_MB = env_int("DATELINE_RENDITION_CACHE_MEMORY_MB", 4)
DATELINE_CACHE_PREFIX = env_str("DATELINE_CACHE_PREFIX", "dateline")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": DATELINE_CACHE_PREFIX,
            # A Redis outage must degrade to uncached pages, not to errors.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
        "renditions": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": DATELINE_CACHE_PREFIX + "-renditions",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": DATELINE_CACHE_PREFIX + "-pages",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
    }
else:
    # File-based so that several server processes share one cache without a service.
    CACHES = {
        "default": {
            "BACKEND": "dateline.core.file_cache.FileCache",
            "LOCATION": str(DATA_DIR / "cache" / "default"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        # Wagtail writes a rendition to this cache every time a page shows the picture;
        # a file write per picture per page cost more than the rest of the render. The
        # rows it caches never change, so each process keeps its own copy.
        "renditions": {
            "BACKEND": "dateline.core.memory_cache.BoundedMemoryCache",
            "LOCATION": "dateline-renditions",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_BYTES": DATELINE_RENDITION_CACHE_MEMORY_MB * 1024 * 1024},
        },
        "pages": {
            "BACKEND": "dateline.core.file_cache.FileCache",
            "LOCATION": str(DATA_DIR / "cache" / "pages" / "shared"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }
# Template fragments: each process keeps a copy in front of the shared cache, for 30 s
# at most (see core/fragment_cache.py).
TEMPLATE_FRAGMENT_CACHE = {
    "BACKEND": "dateline.core.fragment_cache.ProcessFirstCache",
    "LOCATION": "default",
    "OPTIONS": {"LOCAL_MAX_BYTES": DATELINE_FRAGMENT_CACHE_MEMORY_MB * 1024 * 1024},
}
CACHES["template_fragments"] = TEMPLATE_FRAGMENT_CACHE
# Feeds and sitemaps (feeds/cache.py), the same way, within bytes of their own: a news
# sitemap of a thousand stories is some 340 KB, and reading it from the file cache (a
# file read and its decompression) cost more than all the rest of its answer.
FEED_CACHE = {
    "BACKEND": "dateline.core.fragment_cache.ProcessFirstCache",
    "LOCATION": "default",
    "OPTIONS": {
        "LOCAL_MAX_BYTES": DATELINE_FEED_CACHE_MEMORY_MB * 1024 * 1024,
        "LOCAL_NAME": "feeds",
    },
}
CACHES["feeds"] = FEED_CACHE
DJANGO_REDIS_IGNORE_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while its username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (docs/security.md): after this many failures for one username from
# one address, that pair is locked out for the cool-off time.
AXES_FAILURE_LIMIT = env_int("DATELINE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DATELINE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dateline.core.security.client_ip_for_axes"
AXES_LOCKOUT_CALLABLE = "dateline.core.security.login_locked_out"
AXES_VERBOSE = False
# Password reset from the sign-in page mails a link: at most this many requests an hour
# from one address (an IPv6 /64) and for one e-mail address (docs/security.md).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "dateline.core.password_reset.ThrottledPasswordResetForm"
DATELINE_PASSWORD_RESET_PER_ADDRESS = env_int("DATELINE_PASSWORD_RESET_PER_ADDRESS", 5)
DATELINE_PASSWORD_RESET_PER_ACCOUNT = env_int("DATELINE_PASSWORD_RESET_PER_ACCOUNT", 3)
# Outgoing mail (password reset links, newsletters, docs/newsletters.md): through a mail
# provider's API (django-anymail) when one is named, else through an SMTP server when one
# is named, else into `<data>/mail/` as files, which the newsroom shows under
# Newsletters → Outbox, so the embedded mode needs no mail server.
EMAIL_HOST = env_str("DATELINE_EMAIL_HOST", "")
EMAIL_PORT = env_int("DATELINE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DATELINE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("DATELINE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DATELINE_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("DATELINE_EMAIL_USE_SSL")
# A mail server that does not answer must not hold a request for long.
EMAIL_TIMEOUT = env_int("DATELINE_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DATELINE_EMAIL_FROM", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = DATA_DIR / "mail"
DATELINE_EMAIL_PROVIDER = env_str("DATELINE_EMAIL_PROVIDER", "").strip().lower()
# The setting each provider's API key goes to in django-anymail.
EMAIL_PROVIDER_KEYS = {
    "postmark": "POSTMARK_SERVER_TOKEN",
    "mailgun": "MAILGUN_API_KEY",
    "sendgrid": "SENDGRID_API_KEY",
    "brevo": "BREVO_API_KEY",
    "resend": "RESEND_API_KEY",
    "sparkpost": "SPARKPOST_API_KEY",
    "mandrill": "MANDRILL_API_KEY",
    "mailersend": "MAILERSEND_API_TOKEN",
    "amazon_ses": "",  # credentials come from the usual AWS_* variables or the instance role
}
if DATELINE_EMAIL_PROVIDER:
    if DATELINE_EMAIL_PROVIDER not in EMAIL_PROVIDER_KEYS:
        raise ImproperlyConfigured(
            "DATELINE_EMAIL_PROVIDER must be one of "
            + ", ".join(sorted(EMAIL_PROVIDER_KEYS))
            + f", not {DATELINE_EMAIL_PROVIDER!r}"
        )
    EMAIL_BACKEND = f"anymail.backends.{DATELINE_EMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = {"WEBHOOK_SECRET": env_str("DATELINE_EMAIL_WEBHOOK_SECRET", "") or None}
    if EMAIL_PROVIDER_KEYS[DATELINE_EMAIL_PROVIDER]:
        ANYMAIL[EMAIL_PROVIDER_KEYS[DATELINE_EMAIL_PROVIDER]] = env_str(
            "DATELINE_EMAIL_PROVIDER_KEY", ""
        )
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

# Newsletters (docs/newsletters.md).
DATELINE_NEWSLETTER_FROM = env_str("DATELINE_NEWSLETTER_FROM", "") or DEFAULT_FROM_EMAIL
# Messages a second per worker, to stay within what the mail server or provider allows.
DATELINE_NEWSLETTER_RATE = env_float("DATELINE_NEWSLETTER_RATE", 20.0)
# Added to every link in a newsletter, with utm_campaign naming the list; empty: none.
DATELINE_NEWSLETTER_UTM = env_str(
    "DATELINE_NEWSLETTER_UTM", "utm_source=newsletter&utm_medium=email"
)
DATELINE_NEWSLETTER_CONFIRM_HOURS = env_int("DATELINE_NEWSLETTER_CONFIRM_HOURS", 48)
DATELINE_NEWSLETTER_SOFT_BOUNCES = env_int("DATELINE_NEWSLETTER_SOFT_BOUNCES", 3)
DATELINE_NEWSLETTER_SIGNUPS_PER_ADDRESS = env_int("DATELINE_NEWSLETTER_SIGNUPS_PER_ADDRESS", 10)
DATELINE_NEWSLETTER_SIGNUPS_PER_EMAIL = env_int("DATELINE_NEWSLETTER_SIGNUPS_PER_EMAIL", 3)
# The time of day new daily digests go out, in the site's time zone (each list can differ).
try:
    DATELINE_NEWSLETTER_DIGEST_AT = time.fromisoformat(
        env_str("DATELINE_NEWSLETTER_DIGEST_AT", "07:00")
    )
except ValueError:
    raise ImproperlyConfigured(
        "DATELINE_NEWSLETTER_DIGEST_AT must be a time of day such as 07:00"
    ) from None
# Channels: auto-posting to Telegram, X and Facebook (docs/channels.md). The networks'
# API addresses are settings so that tests (and a proxy, if a newsroom needs one) can
# stand in for them.
DATELINE_TELEGRAM_API_URL = env_str("DATELINE_TELEGRAM_API_URL", "https://api.telegram.org")
DATELINE_X_API_URL = env_str("DATELINE_X_API_URL", "https://api.x.com")
DATELINE_FACEBOOK_API_URL = env_str("DATELINE_FACEBOOK_API_URL", "https://graph.facebook.com/v21.0")
DATELINE_CHANNEL_TIMEOUT = env_float("DATELINE_CHANNEL_TIMEOUT", 15.0)
# Added to the story's link in every post ({network}: telegram, x or facebook); empty: none.
DATELINE_CHANNEL_UTM = env_str("DATELINE_CHANNEL_UTM", "utm_source={network}&utm_medium=social")
# Web push (docs/push.md): the VAPID key pair is made in the data folder unless given here
# (every server must share it), as a PEM or the raw private key in base64url.
DATELINE_VAPID_PRIVATE_KEY = env_str("DATELINE_VAPID_PRIVATE_KEY", "")
DATELINE_VAPID_SUBJECT = env_str("DATELINE_VAPID_SUBJECT", "")
# How long a push service keeps an alert for a browser that is off: news goes stale.
DATELINE_PUSH_TTL = env_int("DATELINE_PUSH_TTL", 4 * 3600)
DATELINE_PUSH_TIMEOUT = env_float("DATELINE_PUSH_TIMEOUT", 10.0)
# The push services that browsers use; subscriptions elsewhere are refused, since the
# server posts to whatever address a subscription gives.
DATELINE_PUSH_SERVICES = env_list(
    "DATELINE_PUSH_SERVICES",
    "fcm.googleapis.com,push.services.mozilla.com,notify.windows.com,push.apple.com",
)
DATELINE_PUSH_LEAD_STORIES = env_bool("DATELINE_PUSH_LEAD_STORIES", False)
DATELINE_PUSH_SUBSCRIPTIONS_PER_ADDRESS = env_int("DATELINE_PUSH_SUBSCRIPTIONS_PER_ADDRESS", 30)
# Two-factor sign-in (django-otp TOTP): the issuer shown in editors' authenticator apps.
OTP_TOTP_ISSUER = env_str("DATELINE_OTP_ISSUER", "Dateline")
# Avatars from gravatar.com would tell a third party who uses the newsroom.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Languages: the site's languages come from configuration; the demo ships four.
KNOWN_LANGUAGES = {
    "en": "English",
    "ru": "Русский",
    "hy": "Հայերեն",
    "az": "Azərbaycanca",
}
SITE_LANGUAGE_CODES = env_list("DATELINE_LANGUAGES", "en,ru,hy,az")
LANGUAGE_CODE = SITE_LANGUAGE_CODES[0]
LANGUAGES = [(code, KNOWN_LANGUAGES.get(code, code)) for code in SITE_LANGUAGE_CODES]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = env_path("DATELINE_STATIC_ROOT", DATA_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("DATELINE_MEDIA_ROOT", DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "dateline.core.staticfiles.ManifestStaticFiles"},
}

WAGTAIL_SITE_NAME = "Dateline"
DATELINE_BASE_URL = env_str("DATELINE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = DATELINE_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "core.NewsImage"
# Embeds in stories (news/embeds.py): titles come from the providers' oEmbed endpoints when
# a story is saved; a reader's browser loads a provider's frame only when asked to.
WAGTAILEMBEDS_FINDERS = [{"class": "dateline.news.embeds.StoryEmbedFinder"}]
DATELINE_OEMBED_YOUTUBE_URL = env_str(
    "DATELINE_OEMBED_YOUTUBE_URL", "https://www.youtube.com/oembed"
)
DATELINE_OEMBED_VIMEO_URL = env_str(
    "DATELINE_OEMBED_VIMEO_URL", "https://vimeo.com/api/oembed.json"
)
DATELINE_OEMBED_X_URL = env_str("DATELINE_OEMBED_X_URL", "https://publish.twitter.com/oembed")
DATELINE_OEMBED_TIMEOUT = env_int("DATELINE_OEMBED_TIMEOUT", 5)
# A machine-translated first draft of each new translation (news/machine_translation.py),
# when a LibreTranslate-compatible or DeepL service is named; off by default.
DATELINE_MACHINE_TRANSLATION_URL = env_str("DATELINE_MACHINE_TRANSLATION_URL")
DATELINE_MACHINE_TRANSLATION_KEY = env_str("DATELINE_MACHINE_TRANSLATION_KEY")
DATELINE_MACHINE_TRANSLATION_KIND = (
    env_str("DATELINE_MACHINE_TRANSLATION_KIND", "libretranslate").strip().lower()
)
if DATELINE_MACHINE_TRANSLATION_KIND not in {"libretranslate", "deepl"}:
    raise ImproperlyConfigured(
        "DATELINE_MACHINE_TRANSLATION_KIND must be libretranslate or deepl, "
        f"not {DATELINE_MACHINE_TRANSLATION_KIND!r}"
    )
DATELINE_MACHINE_TRANSLATION_TIMEOUT = env_int("DATELINE_MACHINE_TRANSLATION_TIMEOUT", 30)
# The only places a story's frames may load from: the embed providers' players.
DATELINE_EMBED_FRAME_HOSTS = [
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "platform.twitter.com",
    "www.instagram.com",
    "www.facebook.com",
    "t.me",
]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "dateline.core.forms.NewsImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("DATELINE_IMAGE_MAX_BYTES", 20 * 1024 * 1024)
# Decoding a picture takes about 4 bytes a pixel: 40 million pixels is ample for a photo
# and keeps a decompression bomb from filling a worker's memory.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("DATELINE_IMAGE_MAX_PIXELS", 40_000_000)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "csv", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
TAGGIT_CASE_INSENSITIVE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Defaults of `dateline serve --host/--port/--workers/--threads`. Four threads per worker
# were measured (bench/pages_bench.py): cached pages are served as fast as with one (two
# was a quarter slower), uncached ones faster, and three threads keep readers moving while
# one renders a page no one has cached.
DATELINE_HOST = env_str("DATELINE_HOST", "127.0.0.1")
DATELINE_PORT = env_int("DATELINE_PORT", 8000)
DATELINE_WORKERS = env_int("DATELINE_WORKERS", 1)
DATELINE_THREADS = env_int("DATELINE_THREADS", 4)
# Open connections each web process keeps. Readers with a live blog or any page open keep
# theirs between the page's asks, and every one counts, idle or not: at the server's own
# default (1,024) the 1,025th reader waited up to 17 s to be let in (bench/live_bench.py).
DATELINE_MAX_CONNECTIONS = env_int("DATELINE_MAX_CONNECTIONS", 10_000)
# Every so many seconds each web process and worker hands the memory it has freed back to
# the system (ops/memory.py); 0 never. After ten minutes of mixed traffic the web process
# of `make run` held 38 MB less (bench/memory_bench.py).
DATELINE_MEMORY_RETURN_SECONDS = env_int("DATELINE_MEMORY_RETURN_SECONDS", 10)

# Background work goes through Django's task framework: the database queue on one machine,
# RQ on the Redis of REDIS_URL at scale. `dateline worker` runs the queue's worker and
# enqueues the periodic jobs; `dateline serve` starts one beside itself.
DATELINE_TASKS = env_str("DATELINE_TASKS", "rq" if REDIS_URL else "database").strip().lower()
if DATELINE_TASKS not in {"database", "rq"}:
    raise ImproperlyConfigured(f"DATELINE_TASKS must be database or rq, not {DATELINE_TASKS!r}")
if DATELINE_TASKS == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("DATELINE_TASKS=rq needs REDIS_URL: the RQ queue lives in Redis")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[DATELINE_TASKS],
        "QUEUES": ["default"],
    }
}
# A task running longer than this is stopped and counts as failed (docs/operations.md).
DATELINE_TASK_TIME_LIMIT = env_int("DATELINE_TASK_TIME_LIMIT", 300)
RQ_QUEUES = (
    {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": DATELINE_TASK_TIME_LIMIT}}
    if REDIS_URL
    else {}
)
# /readyz reports a worker that has not been heard from for this long (docs/operations.md).
DATELINE_WORKER_STALE_SECONDS = env_int("DATELINE_WORKER_STALE_SECONDS", 120)
# 0: a waiting queue makes /readyz "degraded", never 503 (see ops/health.py).
DATELINE_READY_MAX_QUEUE_AGE = env_int("DATELINE_READY_MAX_QUEUE_AGE", 0)

# Scheduled publishing runs in `dateline worker`, or inside `dateline serve`.
# Wire ingest (docs/ingest.md): limits on every feed, page or picture read from outside.
DATELINE_INGEST_MAX_BYTES = env_int("DATELINE_INGEST_MAX_BYTES", 10 * 1024 * 1024)
DATELINE_INGEST_TIMEOUT = env_int("DATELINE_INGEST_TIMEOUT", 20)
DATELINE_INGEST_MAX_REDIRECTS = env_int("DATELINE_INGEST_MAX_REDIRECTS", 5)
# Sources on these networks may be read; every other private or loopback host is refused.
DATELINE_INGEST_PRIVATE_NETWORKS = env_list("DATELINE_INGEST_PRIVATE_NETWORKS")
for _network in DATELINE_INGEST_PRIVATE_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DATELINE_INGEST_PRIVATE_NETWORKS: {_network!r} is not a network (e.g. 10.0.0.0/8)"
        ) from None
DATELINE_INGEST_KEEP_DAYS = env_int("DATELINE_INGEST_KEEP_DAYS", 14)
DATELINE_INGEST_USER_AGENT = env_str(
    "DATELINE_INGEST_USER_AGENT", f"Dateline/1 (+{DATELINE_BASE_URL})"
)
DATELINE_SCHEDULER_INTERVAL = env_int("DATELINE_SCHEDULER_INTERVAL", 60)
DATELINE_FLUSH_INTERVAL = env_int("DATELINE_FLUSH_INTERVAL", 5)
DATELINE_PAGE_SIZE = 20
# Search: popular searches need this many distinct readers; relevance halves after N days.
DATELINE_SEARCH_POPULAR_MIN_READERS = env_int("DATELINE_SEARCH_MIN_READERS", 3)
DATELINE_SEARCH_RECENCY_DAYS = env_float("DATELINE_SEARCH_RECENCY_DAYS", 30.0)

# Logs: one JSON object per line (json, the default) or plain lines for a terminal (text).
# Every request is logged once by the outermost WSGI layer (core/requestlog.py).
DATELINE_LOG_FORMAT = env_str("DATELINE_LOG_FORMAT", "json").strip().lower()
if DATELINE_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        f"DATELINE_LOG_FORMAT must be json or text, not {DATELINE_LOG_FORMAT!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dateline.ops.requestlog.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "dateline.ops.logformat.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": DATELINE_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DATELINE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Per-page chatter from the CMS and its task runner drowns the useful lines.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # One line per page rendered into the page cache, for measuring; off by default.
        "dateline.pagecache.renders": {
            "level": "INFO" if env_bool("DATELINE_LOG_RENDERS") else "WARNING"
        },
        # One warning per failed sign-in is kept; the bookkeeping around it is not.
        "axes": {"level": "WARNING"},
        # Its debug lines carry request addresses, and Telegram's hold the bot's token.
        "urllib3": {"level": "WARNING"},
        "dateline.requests": {
            "level": "INFO" if env_bool("DATELINE_LOG_REQUESTS", True) else "WARNING"
        },
    },
}

# Errors also go to Sentry when a DSN is set (the `sentry` extra installs the client).
DATELINE_SENTRY_DSN = env_str("DATELINE_SENTRY_DSN")
if DATELINE_SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError as missing:
        raise ImproperlyConfigured(
            "DATELINE_SENTRY_DSN is set but sentry-sdk is not installed: "
            "pip install 'dateline[sentry]'"
        ) from missing
    sentry_sdk.init(
        dsn=DATELINE_SENTRY_DSN,
        environment=env_str("DATELINE_SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("DATELINE_SENTRY_TRACES_SAMPLE_RATE", 0.0),
        send_default_pii=False,
    )

# Uploaded pictures are served by the app unless a web server or CDN in front does it.
DATELINE_SERVE_MEDIA = env_bool("DATELINE_SERVE_MEDIA", True)

# View counting: proxies whose X-Forwarded-For is believed (comma-separated addresses or
# networks), and how many beacons one client may send per minute.
DATELINE_TRUSTED_PROXIES = env_list("DATELINE_TRUSTED_PROXIES")
DATELINE_BEACON_RATE_LIMIT = env_int("DATELINE_BEACON_RATE_LIMIT", 120)
# Views one address (an IPv6 /64) may add to one story per day (0: no limit), whatever
# browsers it claims; see docs/views.md for why 3.
DATELINE_VIEWS_PER_ADDRESS_PER_DAY = env_int("DATELINE_VIEWS_PER_ADDRESS_PER_DAY", 3)

# Feeds and sitemaps (docs/seo.md): items per feed, the full text in feeds, how long they
# are cached (publishing drops them sooner), and how many addresses a sitemap file holds:
# Google reads up to 50,000, but a file of 1,000 costs the same to build on any size of
# site, and a crawler fetches the files that changed rather than one huge one.
DATELINE_FEED_ITEMS = env_int("DATELINE_FEED_ITEMS", 50)
DATELINE_FEED_FULL_TEXT = env_bool("DATELINE_FEED_FULL_TEXT", False)
DATELINE_FEED_CACHE_SECONDS = env_int("DATELINE_FEED_CACHE_SECONDS", 900)
DATELINE_SITEMAP_MAX_URLS = min(max(env_int("DATELINE_SITEMAP_MAX_URLS", 1000), 1), 50_000)
DATELINE_NEWS_SITEMAP_MAX_URLS = 1_000
DATELINE_NEWS_SITEMAP_HOURS = 48

# The page cache in front of Django (docs/caching.md): how long a page stays fresh when
# nothing is published, how long a stale copy may stand in while a new one renders or
# while the database is unreachable (its memory per process is set with the other
# in-process caches, above).
DATELINE_PAGE_CACHE = env_bool("DATELINE_PAGE_CACHE", True)
DATELINE_PAGE_CACHE_SECONDS = env_int("DATELINE_PAGE_CACHE_SECONDS", 300)
DATELINE_PAGE_CACHE_STALE_SECONDS = env_int("DATELINE_PAGE_CACHE_STALE_SECONDS", 86400)
DATELINE_PAGE_CACHE_POLL_SECONDS = env_float("DATELINE_PAGE_CACHE_POLL_SECONDS", 0.25)
DATELINE_PAGE_CACHE_DIR = env_path("DATELINE_PAGE_CACHE_DIR", DATA_DIR / "cache" / "pages")
# What browsers and a CDN are told: browsers revalidate (a cheap 304), a CDN keeps pages
# for s-maxage and may serve them stale while it fetches a new copy.
DATELINE_HTTP_MAX_AGE = env_int("DATELINE_HTTP_MAX_AGE", 0)
DATELINE_HTTP_S_MAXAGE = env_int("DATELINE_HTTP_S_MAXAGE", 60)
DATELINE_HTTP_STALE_WHILE_REVALIDATE = env_int("DATELINE_HTTP_STALE_WHILE_REVALIDATE", 300)

# A CDN or caching proxy to purge on publish: a PURGE-accepting proxy (Varnish, nginx) at
# DATELINE_CDN_PURGE_URL, or Cloudflare with a zone id and an API token.
DATELINE_CDN_PURGE_URL = env_str("DATELINE_CDN_PURGE_URL")
DATELINE_CLOUDFLARE_ZONE_ID = env_str("DATELINE_CLOUDFLARE_ZONE_ID")
WAGTAILFRONTENDCACHE = {}
if DATELINE_CDN_PURGE_URL:
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": DATELINE_CDN_PURGE_URL,
    }
if DATELINE_CLOUDFLARE_ZONE_ID:
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": DATELINE_CLOUDFLARE_ZONE_ID,
        "BEARER_TOKEN": env_str("DATELINE_CLOUDFLARE_TOKEN"),
    }

# The content API (docs/api.md): how long clients and shared caches keep an answer, and
# how many reads one client may make per minute (0: no limit).
DATELINE_API_MAX_AGE = env_int("DATELINE_API_MAX_AGE", 60)
DATELINE_API_SHARED_MAX_AGE = env_int("DATELINE_API_SHARED_MAX_AGE", 120)
DATELINE_API_STALE_WHILE_REVALIDATE = env_int("DATELINE_API_STALE_WHILE_REVALIDATE", 60)
DATELINE_API_RATE_LIMIT = env_int("DATELINE_API_RATE_LIMIT", 600)
DATELINE_API_PAGE_SIZE = 20
DATELINE_API_MAX_PAGE_SIZE = 100
# Headers on every response (docs/security.md). Public pages are cached as bytes, so their
# policy has no per-response nonce: every script is a file. The admin, never cached, gets
# a nonce (core.security.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "frame-src": ["'self'", *(f"https://{host}" for host in DATELINE_EMBED_FRAME_HOSTS)],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}
