"""The newsroom's clock: editors see and enter every time in the site's time zone.

Wagtail runs each admin view in the zone of the editor's profile, and an editor who chose
none gets `settings.TIME_ZONE` (UTC), while readers see the zone set in the site settings.
A scheduled story then went live hours off. Here an empty choice means the site's zone,
read afresh on each request, so a change in the site settings moves the newsroom's clock
at once; an editor who chose a zone of their own in their account keeps it."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext

from . import fragments


def site_time_zone() -> str:
    """The zone readers see publish times in (site settings)."""
    return fragments.site_settings().time_zone


def editor_time_zone(profile) -> str:
    """Wagtail's UserProfile.get_current_time_zone: the editor's own choice, else the
    site's zone."""
    return profile.current_time_zone or site_time_zone()


def time_zone_note() -> str:
    """What every time input in the newsroom says about the zone it is in."""
    zone = timezone.get_current_timezone_name()
    if zone == site_time_zone():
        return gettext("Times are in %(zone)s, the site’s time zone.") % {"zone": zone}
    return gettext("Times are in %(zone)s, your own time zone (change it in your account).") % {
        "zone": zone
    }


def _give_the_editor_a_profile(sender, request, user, **kwargs) -> None:
    # Wagtail falls back to settings.TIME_ZONE for a user without a profile, without
    # asking the profile: every editor who signs in gets one, so the rule above applies.
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(user)


def _site_zone_choice() -> list[tuple[str, str]]:
    from wagtail.admin.localization import get_available_admin_time_zones

    # The page's script adds the zone's name to each choice (the site's, for this one).
    zones = get_available_admin_time_zones()
    return [("", gettext("Use the site’s time zone")), *((zone, zone) for zone in zones)]


def follow_the_site_time_zone() -> None:
    """Called once when the site starts (core/apps.py)."""
    from wagtail.admin.forms.account import LocalePreferencesForm
    from wagtail.users.models import UserProfile

    UserProfile.get_current_time_zone = editor_time_zone
    user_logged_in.connect(_give_the_editor_a_profile, dispatch_uid="dateline-editor-profile")

    # The account page's choice of zone: its empty choice is the site's zone, not the
    # server's, read when the page is shown so that it follows the site settings.
    choice = LocalePreferencesForm.base_fields["current_time_zone"]
    choice.choices = _site_zone_choice
    choice.widget.attrs["data-w-locale-server-time-zone-param"] = lazy(site_time_zone, str)()
