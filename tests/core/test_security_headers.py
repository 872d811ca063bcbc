"""Security headers on every kind of response: pages, errors, files, the API, the admin
and the beacon answered in front of Django."""

from __future__ import annotations

import io
import json
import re

import pytest
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse

from dateline.core.security import ContentSecurityPolicyMiddleware, stamp_admin_scripts

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_common_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]


@pytest.fixture
def public_paths(article) -> list[str]:
    return [
        "/en/",
        "/ru/",
        article.url,
        "/en/search/?q=economy",
        "/en/search/suggest/?q=econ",
        "/en/rss.xml",
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/openapi.json",
        "/en/no-such-page/",
    ]


def test_public_responses_carry_a_fixed_policy_without_inline_scripts(client, public_paths):
    for path in public_paths:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        assert_common_headers(response)
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], path
        assert "nonce" not in response["Content-Security-Policy"], path


def test_public_policy_is_the_same_on_every_response_so_pages_can_be_cached(client, article):
    first = client.get(article.url)["Content-Security-Policy"]
    assert client.get(article.url)["Content-Security-Policy"] == first
    assert client.get("/en/")["Content-Security-Policy"] == first


def test_public_pages_have_no_inline_script_or_style(client, article):
    for path in ["/en/", article.url, "/en/search/?q=world"]:
        html = client.get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/ld+json"' in tag, (path, tag)
        assert "<style" not in html
        assert not re.search(r"\son[a-z]+=", html), path
        assert " style=" not in html


def test_error_page_style_is_allowed_by_its_hash(client):
    response = client.get("/en/?" + "q=x&" * 2000)  # too long: the self-contained page
    assert response.status_code == 414
    directives = policy(response)
    assert any(source.startswith("'sha256-") for source in directives["style-src"])
    assert "'unsafe-inline'" not in directives["style-src"]


def test_admin_responses_get_a_fresh_nonce_on_their_inline_scripts(admin_client):
    first = admin_client.get("/admin/")
    second = admin_client.get("/admin/")
    assert first.status_code == 200
    assert_common_headers(first)
    nonces = [
        re.search(r"'nonce-([0-9a-f]+)'", r["Content-Security-Policy"]).group(1)
        for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    html = first.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert f"nonce={nonces[0]}" in tag or "src=" in tag, tag


def test_the_nonce_is_stamped_on_script_elements_only():
    from django.http import HttpResponse

    response = HttpResponse(
        '<script>a()</script><script type="module" src="/x.js"></script>'
        "<scripts>not a tag</scripts><noscript>x</noscript>"
        '<script nonce="abc">kept()</script>'
    )
    response["Content-Length"] = str(len(response.content))
    stamp_admin_scripts(response, "f00d")
    assert response.content.decode() == (
        '<script nonce=f00d>a()</script><script nonce=f00d type="module" src="/x.js"></script>'
        "<scripts>not a tag</scripts><noscript>x</noscript>"
        '<script nonce="abc">kept()</script>'
    )
    assert response["Content-Length"] == str(len(response.content))


def test_admin_sign_in_page_has_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_common_headers(response)
    assert "'nonce-" in response["Content-Security-Policy"]


def test_beacon_answered_in_front_of_django_carries_security_headers(article):
    from dateline.wsgi import application

    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = status
        captured["headers"] = dict(headers)

    body = b"{}"
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/api/v1/articles/{article.pk}/views",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "198.51.100.7",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0",
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
    }
    answer = b"".join(application(environ, start_response))
    json.loads(answer)
    headers = captured["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_json_answers_in_the_admin_are_not_rewritten():
    from django.http import JsonResponse

    response = JsonResponse({"title": "<script>alert(1)</script>"})
    before = response.content
    stamp_admin_scripts(response, "f00d")
    assert response.content == before


def _public_answer(middleware, rf, *, use_nonce: bool = False):
    request = rf.get("/en/")
    middleware.process_request(request)
    if use_nonce:
        str(request.csp_nonce)
    return request, middleware.process_response(request, HttpResponse("<p>ok</p>"))


def test_the_public_policy_follows_a_change_of_its_settings(rf, settings):
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    _request, before = _public_answer(middleware, rf)
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["img-src"] = ["'self'", "https://pictures.example"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    _request, after = _public_answer(middleware, rf)
    assert "https://pictures.example" not in before["Content-Security-Policy"]
    assert "img-src 'self' https://pictures.example" in after["Content-Security-Policy"]


def test_the_kept_public_policy_is_what_django_csp_builds_for_each_answer(rf):
    ours = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())
    theirs = CSPMiddleware(lambda request: HttpResponse())
    for use_nonce in (False, True, False):
        request, kept = _public_answer(ours, rf, use_nonce=use_nonce)
        _request, built = _public_answer(theirs, rf, use_nonce=use_nonce)
        assert kept["Content-Security-Policy"] == built["Content-Security-Policy"]
    with pytest.raises(CSPNonceError):  # asked for after the header was written
        str(request.csp_nonce)
