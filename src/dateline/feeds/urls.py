"""Routes: site-wide ones at the root, the rest under each language prefix. The
language routes go before Wagtail's catch-all page route."""

from django.urls import path

from . import views

root_patterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemaps/<str:language>-authors.xml", views.authors_sitemap, name="authors_sitemap"),
    path(
        "sitemaps/<str:language>-<int:number>.xml",
        views.language_sitemap,
        name="language_sitemap",
    ),
]

language_patterns = (
    [
        path("rss.xml", views.language_feed, name="language"),
        path("breaking.xml", views.breaking_feed, name="breaking"),
        path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
        path("live/<int:page_id>/rss.xml", views.live_blog_feed, name="live_blog"),
        path("tags/<str:slug>/rss.xml", views.tag_feed, name="tag"),
        path("authors/<slug:slug>/rss.xml", views.author_feed, name="author"),
        path("<slug:section>/rss.xml", views.section_feed, name="section"),
    ],
    "feeds",
)
