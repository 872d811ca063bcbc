"""What the header and footer of every page need."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from . import fragments


def site_chrome(request: HttpRequest) -> dict:
    language = get_language()
    site_settings = SimpleLazyObject(fragments.site_settings)
    return {
        "site_settings": site_settings,
        "site_text": SimpleLazyObject(lambda: site_settings.texts_for(language)),
        # Read once per request already (core/middleware.py): plain numbers are cheaper for
        # the dozen fragment keys that use them than objects that read on first use.
        "fragment_generation": fragments.generation(),
        "structure_generation": fragments.structure_generation(),
        "current_year": timezone.localdate().year,
    }
