from django import template
from django.utils.translation import get_language
from wagtail.models import Locale

from ..services import offered_lists

register = template.Library()


@register.simple_tag
def offered_newsletters():
    """The lists a reader of the current language may sign up to."""
    locale = Locale.objects.filter(language_code=get_language()).first()
    return list(offered_lists(locale)) if locale else []
