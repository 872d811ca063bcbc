"""Web push in the admin's Reports menu: each alert with its numbers (sent, removed,
failed, opened), and how many browsers subscribed in each language. Read only: alerts
are made by marking stories breaking."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import PushAlert, PushSubscription


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class PushAlertIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subscriptions"] = list(
            PushSubscription.objects.values("language")
            .annotate(count=Count("id"))
            .order_by("language")
        )
        return context


class PushAlertViewSet(ModelViewSet):
    model = PushAlert
    icon = "mail"
    menu_label = _("Push alerts")
    menu_hook = "register_reports_menu_item"
    form_fields = ["title"]
    list_display = [
        "title",
        Column("language", label=_("Language")),
        Column("state", label=_("State"), accessor="get_state_display"),
        DateColumn("created_at", label=_("Made")),
        Column("sent", label=_("Sent")),
        Column("removed", label=_("Subscriptions removed")),
        Column("failed", label=_("Failed")),
        Column("opened", label=_("Opened")),
    ]
    list_filter = ["language", "state"]
    index_view_class = PushAlertIndexView
    index_template_name = "webapp/admin/push_alerts_index.html"
