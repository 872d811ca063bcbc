from wagtail import hooks

from .admin import ArticleListingViewSet


@hooks.register("register_admin_viewset")
def register_article_listing():
    from dateline.news.models import ArticlePage

    return ArticleListingViewSet("articles", model=ArticlePage)
