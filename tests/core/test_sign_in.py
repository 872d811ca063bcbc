"""Signing in to the newsroom: throttled after wrong passwords, strong passwords only,
and an optional second step with a code from an authenticator app."""

from __future__ import annotations

import io
import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dateline.ops.setup import ADMIN_USERNAME, ensure_admin

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-123"
LOGIN = "/admin/login/"


def sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


# Throttling


def test_wrong_passwords_lock_the_account_out_from_that_address(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "eddie", "wrong password")
        assert response.status_code == 200
        assert "Please try again." in response.content.decode()
    locked = sign_in(client, "eddie", "wrong password")
    assert locked.status_code == 429
    assert "blocked for 15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "900"

    # Even the right password is refused while the lockout lasts …
    assert sign_in(client, "eddie", PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302
    # … but only from that address: the editor at the office still gets in.
    assert sign_in(client, "eddie", PASSWORD, address="198.51.100.20").status_code == 302


def test_lockout_page_is_in_the_editors_language(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            LOGIN,
            {"username": "eddie", "password": "nope"},
            REMOTE_ADDR="192.0.2.11",
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert response.status_code == 429
    assert re.search("[\u0400-\u04ff]", response.content.decode())


def test_a_right_password_resets_the_count(client, editor, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "eddie", "wrong password")
    assert sign_in(client, "eddie", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "eddie", "wrong password").status_code == 200


def test_hostile_sign_in_input_is_a_form_error_not_a_500(client, editor):
    for username, password in [
        ("x" * 10_000, "y"),
        ("eddie\x00", PASSWORD),
        ("<script>alert(1)</script>", "' OR 1=1 --"),
        ("", ""),
    ]:
        response = sign_in(client, username, password)
        assert response.status_code in {200, 429}
        assert "<script>alert(1)</script>" not in response.content.decode()


# Passwords


@pytest.mark.parametrize(
    "password", ["short-1", "dateline-admin", "password1234", "123456789012345"]
)
def test_weak_passwords_are_refused(password):
    user = get_user_model()(username="dateline-admin")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_setup_generates_an_admin_password_that_passes_validation():
    out = io.StringIO()
    get_user_model().objects.filter(username=ADMIN_USERNAME).delete()
    ensure_admin(out)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    user = get_user_model().objects.get(username=ADMIN_USERNAME)
    validate_password(password, user)
    assert len(password) >= 12
    assert user.check_password(password)


def test_changing_to_a_short_password_in_the_admin_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/account/",
        {
            "password-old_password": PASSWORD,
            "password-new_password1": "short-pw1",
            "password-new_password2": "short-pw1",
        },
    )
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
    assert "at least 12 characters" in response.content.decode()


# Two-factor sign-in


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


@pytest.fixture
def enrolled_editor(client, editor) -> TOTPDevice:
    """The editor turns two-factor sign-in on from their account, as in the admin."""
    client.force_login(editor)
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r"data-two-factor-secret>([A-Z2-7]+)<", html).group(1)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert b32decode(secret) == device.bin_key

    wrong = client.post("/admin/two-factor/", {"code": "000000"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()

    device.enrolment_code = code_for(device)
    done = client.post("/admin/two-factor/", {"code": device.enrolment_code})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    client.logout()
    return device


def test_without_a_device_the_password_is_enough(client, editor):
    assert sign_in(client, "eddie", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_after_enrolling_the_admin_asks_for_a_code_after_the_password(client, enrolled_editor):
    response = sign_in(client, "eddie", PASSWORD)
    assert response.status_code == 302
    for path in ["/admin/", "/admin/pages/", f"/admin/pages/{enrolled_editor.pk}/edit/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/two-factor/verify/?next=")
    # What the code form itself loads is not redirected (it would land inside the page).
    assert client.get("/admin/sprite/").status_code == 200
    page = client.get("/admin/two-factor/verify/?next=/admin/pages/")
    assert page.status_code == 200
    assert "Code from your authenticator app" in page.content.decode()


def test_a_wrong_code_is_refused_and_the_right_one_opens_the_admin(client, enrolled_editor):
    sign_in(client, "eddie", PASSWORD)
    wrong = "000000" if code_for(enrolled_editor, 30) != "000000" else "111111"
    refused = client.post("/admin/two-factor/verify/", {"code": wrong, "next": "/admin/pages/"})
    assert refused.status_code == 400
    assert "not right" in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    # Straight after a wrong code, even a right one waits (django-otp's throttle).
    throttled = client.post(
        "/admin/two-factor/verify/", {"code": code_for(enrolled_editor, 30), "next": "/"}
    )
    assert throttled.status_code == 400
    assert "Too many wrong codes" in throttled.content.decode()

    enrolled_editor.refresh_from_db()
    enrolled_editor.throttle_reset()
    accepted = client.post(
        "/admin/two-factor/verify/",
        {"code": code_for(enrolled_editor, 30), "next": "/admin/pages/"},
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_used_code_cannot_be_replayed(client, enrolled_editor):
    sign_in(client, "eddie", PASSWORD)
    # The code that turned two-factor on was used: it opens nothing a second time.
    response = client.post("/admin/two-factor/verify/", {"code": enrolled_editor.enrolment_code})
    assert response.status_code == 400


def test_verify_never_redirects_to_another_site(client, enrolled_editor):
    sign_in(client, "eddie", PASSWORD)
    response = client.post(
        "/admin/two-factor/verify/",
        {"code": code_for(enrolled_editor, 30), "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("code", ["", "12", "abcdef", "1" * 500, "<script>"])
def test_malformed_codes_get_a_message(client, enrolled_editor, code):
    sign_in(client, "eddie", PASSWORD)
    response = client.post("/admin/two-factor/verify/", {"code": code})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode().split("</head>")[1]


def test_turning_two_factor_off_needs_a_current_code(client, editor, enrolled_editor):
    sign_in(client, "eddie", PASSWORD)
    client.post("/admin/two-factor/verify/", {"code": code_for(enrolled_editor, 30)})
    assert client.post("/admin/two-factor/", {"code": "000000"}).status_code == 400
    assert TOTPDevice.objects.filter(user=editor).exists()
    enrolled_editor.refresh_from_db()
    enrolled_editor.throttle_reset()
    response = client.post("/admin/two-factor/", {"code": code_for(enrolled_editor, 60)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
