"""Newsletters in the admin (a menu of its own): the lists, their subscribers (search,
CSV export, removal; never added by hand, since each must confirm), and the editions
with their numbers, preview and sending."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import Edition, NewsletterList, Subscriber


class NewsletterListViewSet(ModelViewSet):
    model = NewsletterList
    icon = "list-ul"
    menu_label = _("Lists")
    form_fields = ["locale", "kind", "name", "slug", "description", "send_at", "offered", "active"]
    list_display = [
        "name",
        Column("locale", label=_("Language")),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("send_at", label=_("Sent at")),
        Column("subscriber_count", label=_("Subscribers")),
        BooleanColumn("active", label=_("Active")),
    ]
    list_filter = ["locale", "kind"]
    index_template_name = "newsletters/admin/lists_index.html"

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return NewsletterList.objects.select_related("locale").annotate(
            subscriber_count=Count(
                "subscription", filter=Q(subscription__subscriber__confirmed_at__isnull=False)
            )
        )


class ReadAndRemovePolicy(ModelPermissionPolicy):
    """Subscribers come in only by confirming their own address: no one adds or edits one
    in the admin. Those who may change them may remove them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        if action == "view":
            return super().user_has_permission(user, "view") or super().user_has_permission(
                user, "delete"
            )
        return super().user_has_permission(user, action)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Subscribers")
    form_fields = ["email"]
    inspect_view_enabled = True
    list_display = [
        "email",
        Column("locale", label=_("Language")),
        DateColumn("confirmed_at", label=_("Confirmed")),
        DateColumn("created_at", label=_("Signed up")),
    ]
    list_filter = ["locale", "lists"]
    search_fields = ["email"]
    list_export = ["email", "locale", "confirmed_at", "created_at", "subscribed_lists"]
    export_headings = {"subscribed_lists": _("Lists")}
    export_filename = "subscribers"


class EditionViewSet(ModelViewSet):
    model = Edition
    icon = "mail"
    menu_label = _("Editions")
    form_fields = ["newsletter", "subject", "note"]
    list_display = [
        "subject",
        Column("newsletter", label=_("Newsletter")),
        Column("state", label=_("State"), accessor="get_state_display"),
        DateColumn("created_at", label=_("Made")),
        Column("sent_count", label=_("Sent")),
        Column("failed_count", label=_("Failed")),
        Column("bounced_count", label=_("Bounced")),
        Column("unsubscribed", label=_("Unsubscribed")),
    ]
    list_filter = ["newsletter", "state"]
    edit_template_name = "newsletters/admin/edition_edit.html"

    def get_form_class(self, for_update=False):
        from django.forms.models import modelform_factory

        from .forms_admin import EditionForm

        # The list of an edition is chosen when it is made, never moved to another.
        fields = ["subject", "note"] if for_update else ["newsletter", "subject", "note"]
        return modelform_factory(Edition, form=EditionForm, fields=fields)

    def get_queryset(self, request):
        from django.db.models import Count, Q

        from .models import Delivery

        return Edition.objects.select_related("newsletter__locale").annotate(
            sent_count=Count(
                "deliveries",
                filter=Q(deliveries__state__in=[Delivery.SENT, Delivery.BOUNCED]),
            ),
            failed_count=Count("deliveries", filter=Q(deliveries__state=Delivery.FAILED)),
            bounced_count=Count("deliveries", filter=Q(deliveries__state=Delivery.BOUNCED)),
        )


class OutboxMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        from .admin_views import user_may_view

        return user_may_view(request.user)


class OutboxViewSet(ViewSet):
    """The e-mails the site sent, while it keeps them as files (no mail server set)."""

    icon = "mail"
    menu_label = _("Outbox")

    def get_urlpatterns(self):
        from . import admin_views

        return [
            path("", admin_views.outbox, name="index"),
            path("<str:name>/<int:number>/", admin_views.outbox_message, name="message"),
        ]

    def get_menu_item(self, order=None):
        return OutboxMenuItem(
            self.menu_label, self.menu_url, name=self.name, icon_name=self.icon, order=order or 400
        )


class NewslettersGroup(ViewSetGroup):
    menu_label = _("Newsletters")
    menu_icon = "mail"
    menu_order = 160
    items = (
        EditionViewSet("newsletter_editions"),
        NewsletterListViewSet("newsletter_lists"),
        SubscriberViewSet("newsletter_subscribers"),
        OutboxViewSet("newsletter_outbox"),
    )
