from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .admin import SourceViewSet


class IncomingMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.may_use(request.user)


@hooks.register("register_admin_viewset")
def register_sources():
    return SourceViewSet("ingest_sources")


@hooks.register("register_admin_urls")
def incoming_urls():
    return [
        path("incoming/", views.incoming, name="ingest_incoming"),
        path("incoming/<int:item_id>/open/", views.open_item, name="ingest_open"),
        path("incoming/<int:item_id>/ignore/", views.ignore_item, name="ingest_ignore"),
        path("wire-sources/<int:source_id>/poll/", views.poll_now, name="ingest_poll_now"),
    ]


@hooks.register("register_admin_menu_item")
def incoming_menu_item():
    return IncomingMenuItem(
        _("Incoming"), reverse("ingest_incoming"), name="incoming", icon_name="download", order=155
    )
