"""Settings read from the environment, with safe defaults for the embedded mode.

Every variable is documented in docs/configuration.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATELINE_DATA_DIR", "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


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


DEBUG = env_bool("DATELINE_DEBUG")
SECRET_KEY = os.environ.get("DATELINE_SECRET_KEY") or embedded_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("DATELINE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DATELINE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "dateline.core",
    "dateline.news",
    "dateline.analytics",
    "dateline.search",
    "dateline.demo",
    "dateline.feeds",
    "dateline.api",
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dateline.core.middleware.SharedStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dateline.core.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dateline.core.middleware.SiteTimeZoneMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
            ],
        },
    },
]

# Embedded default: SQLite in the data folder. DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'dateline.sqlite3'}",
        conn_max_age=int(os.environ.get("DATELINE_DB_CONN_MAX_AGE", "60")),
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

REDIS_URL = os.environ.get("REDIS_URL", "")
DATELINE_CACHE_PREFIX = os.environ.get("DATELINE_CACHE_PREFIX", "dateline")
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
    }
else:
    # File-based so that several server processes share one cache without a service.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache" / "default"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        # Wagtail writes a rendition to this cache every time a page shows the picture;
        # a file write per picture per page cost more than the rest of the render. The
        # rows it caches never change, so each process keeps its own copy.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dateline-renditions",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }
DJANGO_REDIS_IGNORE_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
STATIC_ROOT = Path(os.environ.get("DATELINE_STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DATELINE_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Dateline"
DATELINE_BASE_URL = os.environ.get("DATELINE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = DATELINE_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "core.NewsImage"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "csv", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
TAGGIT_CASE_INSENSITIVE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Scheduled publishing runs in `dateline worker`, or inside `dateline serve`.
DATELINE_SCHEDULER_INTERVAL = int(os.environ.get("DATELINE_SCHEDULER_INTERVAL", "60"))
DATELINE_FLUSH_INTERVAL = int(os.environ.get("DATELINE_FLUSH_INTERVAL", "5"))
DATELINE_PAGE_SIZE = 20
# Search: popular searches need this many distinct readers; relevance halves after N days.
DATELINE_SEARCH_POPULAR_MIN_READERS = int(os.environ.get("DATELINE_SEARCH_MIN_READERS", "3"))
DATELINE_SEARCH_RECENCY_DAYS = float(os.environ.get("DATELINE_SEARCH_RECENCY_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DATELINE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Per-page chatter from the CMS and its task runner drowns the useful lines.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Uploaded pictures are served by the app unless a web server or CDN in front does it.
DATELINE_SERVE_MEDIA = env_bool("DATELINE_SERVE_MEDIA", True)

# View counting: proxies whose X-Forwarded-For is believed (comma-separated addresses or
# networks), and how many beacons one client may send per minute.
DATELINE_TRUSTED_PROXIES = env_list("DATELINE_TRUSTED_PROXIES")
DATELINE_BEACON_RATE_LIMIT = int(os.environ.get("DATELINE_BEACON_RATE_LIMIT", "120"))

# Feeds and sitemaps (docs/seo.md): items per feed, the full text in feeds, how long they
# are cached (publishing drops them sooner), and the sitemap limits Google sets.
DATELINE_FEED_ITEMS = int(os.environ.get("DATELINE_FEED_ITEMS", "50"))
DATELINE_FEED_FULL_TEXT = env_bool("DATELINE_FEED_FULL_TEXT", False)
DATELINE_FEED_CACHE_SECONDS = int(os.environ.get("DATELINE_FEED_CACHE_SECONDS", "900"))
DATELINE_SITEMAP_MAX_URLS = 50_000
DATELINE_NEWS_SITEMAP_MAX_URLS = 1_000
DATELINE_NEWS_SITEMAP_HOURS = 48
