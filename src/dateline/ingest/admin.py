"""Wire sources in the admin's Settings menu: the form, and a list showing how each
source's polls are going."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Source


class SourceViewSet(ModelViewSet):
    model = Source
    icon = "download"
    menu_label = _("Wire sources")
    add_to_settings_menu = True
    form_fields = [
        "name",
        "format",
        "url",
        "folder",
        "locale",
        "section",
        "every_minutes",
        "enabled",
        "makes_drafts",
    ]
    list_display = [
        "name",
        "format",
        Column("locale", label=_("Language")),
        BooleanColumn("enabled", label=_("On")),
        DateColumn("last_success_at", label=_("Last success")),
        Column("received_count", label=_("Items received")),
        Column("last_error", label=_("Last error")),
    ]
    search_fields = ["name"]
    edit_template_name = "ingest/admin/source_edit.html"
