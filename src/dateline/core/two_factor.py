"""Optional two-factor sign-in for the newsroom: an editor enrols an authenticator app
(TOTP, django-otp) from their account, and from then on the admin asks for a code after
the password before it opens."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .security import ADMIN_PREFIX

DEVICE_NAME = "authenticator"
# Reachable between the password and the code: signing in and out, the code form, and
# what the sign-in pages themselves load (translations, the icon sprite).
OPEN_ADMIN_PATHS = (
    "login/",
    "logout/",
    "password_reset/",
    "two-factor/verify/",
    "jsi18n/",
    "sprite/",
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return code


def code_problem(device: TOTPDevice, code: str) -> str | None:
    """None if the code is right; otherwise what to tell the editor. After a wrong code
    django-otp makes the next try wait (1, 2, 4 … seconds)."""
    allowed, details = device.verify_is_allowed()
    if not allowed and details and "locked_until" in details:
        seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
        return ngettext(
            "Too many wrong codes: wait %(seconds)d second before the next try.",
            "Too many wrong codes: wait %(seconds)d seconds before the next try.",
            seconds,
        ) % {"seconds": seconds}
    if device.verify_token(code):
        return None
    return _("That code is not right, or it has expired. Try the next one.")


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class AdminTwoFactorMiddleware:
    """An editor with an enrolled device who has given only the password is sent to the
    code form for every admin page; without a device nothing changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(ADMIN_PREFIX):  # a reader's page: no reverse() per request
            return self.get_response(request)
        user = getattr(request, "user", None)
        admin_prefix = reverse("wagtailadmin_home")
        if (
            user is not None
            and path.startswith(admin_prefix)
            and not path[len(admin_prefix) :].startswith(OPEN_ADMIN_PATHS)
            and user.is_authenticated
            and not user.is_verified()
            and user_has_device(user)
        ):
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': path})}")
        return self.get_response(request)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = code_problem(device, form.cleaned_data["code"])
        if problem is None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", problem)
    return render(
        request,
        "core/two_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


def _qr_code(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def _page_header() -> dict[str, str]:
    return {"page_title": _("Two-factor sign-in"), "header_icon": "lock"}


def manage(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (scan, then confirm with a code) or turn it off."""
    user = request.user
    device = confirmed_device(user)
    form = CodeForm(request.POST or None)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            problem = code_problem(device, form.cleaned_data["code"])
            if problem is None:
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("wagtailadmin_account")
            form.add_error("code", problem)
        return render(
            request,
            "core/two_factor_manage.html",
            {"form": form, "enrolled": True, **_page_header()},
            status=400 if form.errors else 200,
        )

    pending = TOTPDevice.objects.filter(
        user=user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=user, confirmed=False, name=DEVICE_NAME)
    if request.method == "POST" and form.is_valid():
        problem = code_problem(pending, form.cleaned_data["code"])
        if problem is None:
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            messages.success(request, _("Two-factor sign-in is on: you will be asked for a code."))
            return redirect("wagtailadmin_account")
        form.add_error("code", problem)
    return render(
        request,
        "core/two_factor_manage.html",
        {
            "form": form,
            "enrolled": False,
            **_page_header(),
            "qr_code": _qr_code(pending),
            "secret": b32encode(pending.bin_key).decode(),
        },
        status=400 if form.errors else 200,
    )
