"""The admin's channel actions: retry a failed post, send a test post."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from wagtail.models import Page

from . import services
from .models import Channel, ChannelPost
from .tasks import post_to_channel, send_test_post


def retry(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(ChannelPost.objects.select_related("channel", "story"), pk=post_id)
    page = Page.objects.get(pk=post.story_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    if request.method == "POST":
        if services.prepare_retry(post, request.user):
            post_to_channel.enqueue(post.pk)
            messages.success(
                request, gettext("The post to %(channel)s is queued.") % {"channel": post.channel}
            )
        else:
            messages.warning(request, gettext("That post is done or under way already."))
        return redirect("wagtailadmin_pages:edit", post.story_id)
    return TemplateResponse(
        request,
        "channels/admin/retry.html",
        {
            "post": post,
            "uncertain": services.is_uncertain(post),
            "page_title": gettext("Retry a post"),
            "header_icon": "pick",
        },
    )


def test_post(request: HttpRequest, channel_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("channels:edit", channel_id)
    if not request.user.has_perm("channels.change_channel"):
        raise PermissionDenied
    channel = get_object_or_404(Channel, pk=channel_id)
    send_test_post.enqueue(channel.pk)
    messages.success(
        request, gettext("A test post to “%s” is queued: reload in a moment.") % channel.name
    )
    return redirect("channels:edit", channel.pk)
