from __future__ import annotations

from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import admin_views
from .admin import NewslettersGroup, ReadAndRemovePolicy
from .models import Subscriber

register_permission_policy(Subscriber, ReadAndRemovePolicy(Subscriber))


@hooks.register("register_admin_viewset")
def register_newsletters():
    return NewslettersGroup()


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [
        path(
            "newsletters/editions/<int:edition_id>/preview/",
            admin_views.preview,
            name="newsletters_preview",
        ),
        path(
            "newsletters/editions/<int:edition_id>/send/", admin_views.send, name="newsletters_send"
        ),
        path(
            "newsletters/digests/", admin_views.prepare_digests, name="newsletters_prepare_digests"
        ),
    ]
