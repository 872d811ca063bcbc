from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern as WAGTAIL_SERVE_PATTERN

from dateline.api.api import api
from dateline.feeds.urls import language_patterns as feed_patterns
from dateline.feeds.urls import root_patterns as feed_root_patterns
from dateline.news import routing
from dateline.news import views as news_views
from dateline.search import views as search_views
from dateline.webapp.urls import language_patterns as webapp_patterns
from dateline.webapp.urls import root_patterns as webapp_root_patterns

handler500 = "dateline.core.errors.server_error"

news_patterns = (
    [
        path("tags/<str:slug>/", news_views.tag, name="tag"),
        path("authors/<slug:slug>/", news_views.author, name="author"),
        path("corrections/", news_views.corrections, name="corrections"),
        path("breaking.json", news_views.breaking_news, name="breaking"),
        path("live/<int:page_id>/updates.json", news_views.live_updates, name="live_updates"),
    ],
    "news",
)

urlpatterns = (
    feed_root_patterns
    + webapp_root_patterns
    + [
        path("api/v1/", api.urls),
        path("admin/", include(wagtailadmin_urls)),
        path("documents/", include(wagtaildocs_urls)),
    ]
)

if settings.DATELINE_EMAIL_PROVIDER:
    # The mail provider's bounce and complaint webhooks (docs/newsletters.md).
    urlpatterns += [path("newsletters/webhooks/", include("anymail.urls"))]

if settings.DATELINE_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += i18n_patterns(
    path("", include(feed_patterns)),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search-suggest"),
    path("newsletters/", include("dateline.newsletters.urls")),
    path("", include(webapp_patterns)),
    path("", include(news_patterns)),
    # Before Wagtail's own pattern of the same name: pages are found by their URL path.
    re_path(WAGTAIL_SERVE_PATTERN, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
)
