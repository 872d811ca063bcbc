from __future__ import annotations

from django.urls import path
from wagtail import hooks

from . import views
from .admin import ChannelViewSet


@hooks.register("register_admin_viewset")
def register_channels():
    return ChannelViewSet("channels")


@hooks.register("register_admin_urls")
def channel_urls():
    return [
        path("channel-posts/<int:post_id>/retry/", views.retry, name="channels_retry"),
        path("channel-tests/<int:channel_id>/", views.test_post, name="channels_test_post"),
    ]
