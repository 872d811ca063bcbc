"""Template tags for the newsroom (Wagtail's admin templates that Dateline overrides)."""

from django import template

from dateline.core import branding
from dateline.core.newsroom_time import time_zone_note as note

register = template.Library()


@register.simple_tag
def time_zone_note() -> str:
    """The zone the newsroom's date and time inputs are in, e.g. under the go-live time."""
    return note()


@register.simple_tag
def newsroom_brand() -> branding.NewsroomBrand:
    """The publication's name and logo, for the newsroom's menu, sign-in page and titles."""
    return branding.newsroom_brand()
