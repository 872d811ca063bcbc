from wagtail.snippets.models import register_snippet

from .admin import HiddenSearchTermViewSet

register_snippet(HiddenSearchTermViewSet)
