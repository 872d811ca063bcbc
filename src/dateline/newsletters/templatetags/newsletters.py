from django import template
from django.utils.translation import get_language

from ..models import NewsletterList

register = template.Library()


@register.simple_tag
def offered_newsletters():
    """The lists a reader of the current language may sign up to, digest first: one query,
    made when the footer or a story's end is rendered, then cached with it."""
    return list(
        NewsletterList.objects.filter(
            locale__language_code=get_language(), active=True, offered=True
        ).order_by("-kind", "pk")
    )
