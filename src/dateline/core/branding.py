"""The publication's own name and logo in the newsroom (the admin), in place of the
admin framework's."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from .models import SiteSettings

LOGO_SPEC = "fill-128x128"


@dataclass(frozen=True)
class NewsroomBrand:
    name: str
    logo_url: str

    @property
    def initial(self) -> str:
        return self.name[:1].upper()


def newsroom_brand() -> NewsroomBrand:
    """The site name in the newsroom's language, and the logo set in Site settings."""
    site_settings = SiteSettings.load()
    name = site_settings.texts_for(get_language()).site_name
    logo = site_settings.logo
    return NewsroomBrand(name=name, logo_url=logo.get_rendition(LOGO_SPEC).url if logo else "")
