"""What the header and footer of every page need."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from .models import SiteSettings


def site_chrome(request: HttpRequest) -> dict:
    def navigation():
        from dateline.news.models import HomePage

        home = HomePage.objects.live().filter(locale__language_code=get_language()).first()
        return {"home": home, "sections": list(home.sections()) if home else []}

    site_settings = SimpleLazyObject(lambda: SiteSettings.load(request_or_site=request))
    return {
        "site_settings": site_settings,
        "site_text": SimpleLazyObject(lambda: site_settings.texts_for(get_language())),
        "navigation": SimpleLazyObject(navigation),
        "current_year": timezone.localdate().year,
    }
