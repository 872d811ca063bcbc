from wagtail import hooks

from .admin import ArticleListingViewSet
from .models import ArticlePage


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("articles", model=ArticlePage)
