"""The admin's newsletter actions beside the listings: preview an edition as a reader gets
it, send it, make today's digests now, and the outbox of the embedded mode (mail kept
as files in the data folder, listed and shown here)."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import digests, emails
from .models import Edition, NewsletterList
from .tasks import request_send

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
OUTBOX_SHOWN = 100


def _may_send(user) -> bool:
    return user.has_perm("newsletters.change_edition")


def preview(request: HttpRequest, edition_id: int) -> HttpResponse:
    if not user_may_view(request.user):
        raise PermissionDenied
    edition = get_object_or_404(Edition.objects.select_related("newsletter__locale"), pk=edition_id)
    rendered = emails.render_edition(edition)
    html = rendered.html.replace(emails.UNSUBSCRIBE, "#").replace(emails.PREFERENCES, "#")
    if request.GET.get("format") == "text":
        text = rendered.text.replace(emails.UNSUBSCRIBE, "#").replace(emails.PREFERENCES, "#")
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


def user_may_view(user) -> bool:
    return user.has_perm("newsletters.view_edition") or _may_send(user)


@require_POST
def send(request: HttpRequest, edition_id: int) -> HttpResponse:
    if not _may_send(request.user):
        raise PermissionDenied
    edition = get_object_or_404(Edition, pk=edition_id)
    if request_send(edition):
        messages.success(
            request, gettext("“%(subject)s” is being sent.") % {"subject": edition.subject}
        )
    else:
        messages.warning(
            request,
            gettext("“%(subject)s” was sent already or is being sent.")
            % {"subject": edition.subject},
        )
    return redirect("newsletter_editions:index")


@require_POST
def prepare_digests(request: HttpRequest) -> HttpResponse:
    """Make today's digest of every active digest list now, to read, annotate and send by
    hand (or leave for its time)."""
    if not _may_send(request.user):
        raise PermissionDenied
    made = [
        edition
        for newsletter in NewsletterList.objects.filter(kind=NewsletterList.DIGEST, active=True)
        if (edition := digests.build_digest(newsletter)) is not None
    ]
    messages.success(
        request,
        gettext("Today's digests are ready: %(count)d.") % {"count": len(made)},
    )
    return redirect("newsletter_editions:index")


def _outbox() -> Path | None:
    if settings.EMAIL_BACKEND != FILE_BACKEND:
        return None
    return Path(settings.EMAIL_FILE_PATH)


def outbox(request: HttpRequest) -> HttpResponse:
    if not user_may_view(request.user):
        raise PermissionDenied
    folder = _outbox()
    files = []
    if folder is not None and folder.is_dir():
        files = sorted(folder.glob("*.log"), key=lambda path: path.stat().st_mtime, reverse=True)
    shown = []
    for path in files[:OUTBOX_SHOWN]:
        for number, message in enumerate(_messages_in(path)):
            shown.append(
                {
                    "file": path.name,
                    "number": number,
                    "subject": message["Subject"],
                    "to": message["To"],
                    "date": message["Date"],
                }
            )
    context = {
        "page_title": gettext("Outbox"),
        "header_icon": "mail",
        "folder": folder,
        "messages_shown": shown,
        "backend": settings.EMAIL_BACKEND,
    }
    return TemplateResponse(request, "newsletters/admin/outbox.html", context)


def outbox_message(request: HttpRequest, name: str, number: int) -> HttpResponse:
    """One e-mail from the outbox as its reader would see it (HTML part, else text)."""
    if not user_may_view(request.user):
        raise PermissionDenied
    folder = _outbox()
    if folder is None or "/" in name or not name.endswith(".log"):
        raise Http404
    path = folder / name
    if not path.is_file():
        raise Http404
    found = _messages_in(path)
    if number >= len(found):
        raise Http404
    message = found[number]
    html = message.get_body(("html",))
    if html is not None:
        return HttpResponse(html.get_content())
    body = message.get_body(("plain",))
    return HttpResponse(
        body.get_content() if body else "", content_type="text/plain; charset=utf-8"
    )


def _messages_in(path: Path) -> list:
    """Django's file backend writes each message followed by a line of 79 dashes."""
    separator = b"\n" + b"-" * 79 + b"\n"
    chunks = [chunk.strip(b"\n") for chunk in path.read_bytes().split(separator)]
    return [
        email.message_from_bytes(chunk, policy=email.policy.default) for chunk in chunks if chunk
    ]
