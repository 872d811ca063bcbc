"""Channels in the admin's Settings menu: the list, the form, and on each channel's page
its test post and latest posts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import ChannelForm
from .models import Channel


class ChannelEditView(EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_posts"] = self.object.posts.select_related("story").order_by("-created_at")[
            :10
        ]
        return context


class ChannelViewSet(ModelViewSet):
    model = Channel
    icon = "pick"
    menu_label = _("Channels")
    add_to_settings_menu = True
    form_fields = ["name", "network", "locale", "enabled", "account", "breaking_prefix"]
    list_display = [
        "name",
        Column("network", label=_("Network"), accessor="get_network_display"),
        Column("locale", label=_("Language")),
        BooleanColumn("enabled", label=_("On")),
        Column("token_hint", label=_("Token")),
    ]
    list_filter = ["network", "locale"]
    edit_view_class = ChannelEditView
    edit_template_name = "channels/admin/channel_edit.html"
    index_template_name = "channels/admin/channels_index.html"

    def get_form_class(self, for_update: bool = False):
        return ChannelForm
