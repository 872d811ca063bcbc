from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from . import two_factor
from .images import CoverOperation


@hooks.register("register_image_operations")
def register_cover_operation():
    return [("cover", CoverOperation)]


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
        path("two-factor/", two_factor.manage, name="two_factor_manage"),
    ]


@hooks.register("construct_help_menu")
def leave_out_framework_release_notes(request, menu_items):
    """The newsroom's help menu keeps the editor guide and keyboard shortcuts; the admin
    framework's release notes are for its developers, not for a newsroom."""
    menu_items[:] = [item for item in menu_items if not item.name.startswith("whats-new-in-")]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    enrolled = two_factor.confirmed_device(request.user) is not None
    return {
        "url": reverse("two_factor_manage"),
        "label": _("Two-factor sign-in"),
        "help_text": _("On: a code from your authenticator app is asked after your password.")
        if enrolled
        else _("Off: ask for a code from an authenticator app after the password."),
    }
