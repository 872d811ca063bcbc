"""Production settings: the documented configuration passes Django's deployment checks,
an unsafe one refuses to start with the reasons, and HTTPS is believed only from a
trusted proxy."""

from __future__ import annotations

import re
import secrets
import subprocess
from pathlib import Path

import pytest

from tests.live_site import DATELINE, child_env

pytestmark = pytest.mark.live


DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def documented_production_configuration() -> dict[str, str]:
    """The block under `<!-- production-configuration -->` in docs/security.md."""
    text = DOCS.read_text()
    block = re.search(r"<!-- production-configuration -->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block, "docs/security.md lost its production configuration block"
    config = dict(line.split("=", 1) for line in block.group(1).strip().splitlines())
    assert config["DATELINE_SECRET_KEY"].startswith("<"), "the docs must not hold a real key"
    config["DATELINE_SECRET_KEY"] = secrets.token_urlsafe(50)
    return config


def run_dateline(tmp_path: Path, config: dict[str, str], *arguments: str):
    env = child_env(**config, DATELINE_DATA_DIR=str(tmp_path))
    return subprocess.run(
        [DATELINE, *arguments], env=env, capture_output=True, text=True, timeout=120
    )


def test_documented_production_configuration_passes_check_deploy(tmp_path):
    result = run_dateline(
        tmp_path,
        documented_production_configuration(),
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert not (tmp_path / "secret_key").exists(), "production must not generate a key"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"DATELINE_SECRET_KEY": ""}, "DATELINE_SECRET_KEY is not set"),
        ({"DATELINE_SECRET_KEY": "short"}, "DATELINE_SECRET_KEY is too weak"),
        ({"DATELINE_SECRET_KEY": "django-insecure-" + "x" * 50}, "too weak"),
        ({"DATELINE_ALLOWED_HOSTS": ""}, "DATELINE_ALLOWED_HOSTS is not set"),
        ({"DATELINE_ALLOWED_HOSTS": "*"}, "contains '*'"),
        ({"DATELINE_DEBUG": "1"}, "DATELINE_DEBUG is on"),
    ],
)
def test_unsafe_production_configuration_refuses_to_start(tmp_path, change, reason):
    config = {**documented_production_configuration(), **change}
    result = run_dateline(tmp_path, config, "serve", "--port", "18299", "--no-scheduler")
    assert result.returncode == 2
    assert "refuses to start in production" in result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert "serving" not in result.stdout


def test_a_number_that_is_not_one_refuses_to_start_with_the_variables_name(tmp_path):
    config = {"DATELINE_PAGE_CACHE_SECONDS": "five minutes"}
    result = run_dateline(tmp_path, config, "serve", "--port", "18299", "--no-scheduler")
    assert result.returncode == 2
    assert "DATELINE_PAGE_CACHE_SECONDS must be a whole number, not 'five minutes'" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert "serving" not in result.stdout


PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_embedded_mode_generates_and_keeps_its_secret_key(tmp_path):
    first = run_dateline(tmp_path, {}, "manage", "shell", "-c", PRINT_KEY)
    second = run_dateline(tmp_path, {}, "manage", "shell", "-c", PRINT_KEY)
    key_file = tmp_path / "secret_key"
    assert first.returncode == 0, first.stderr
    printed = [result.stdout.strip().splitlines()[-1] for result in (first, second)]
    assert printed[0] == printed[1] == key_file.read_text().strip()
    assert len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0, "the key file is readable by others"


@pytest.mark.django_db
class TestHttps:
    @pytest.fixture(autouse=True)
    def https_on(self, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_HSTS_SECONDS = 31536000
        settings.SESSION_COOKIE_SECURE = True
        settings.CSRF_COOKIE_SECURE = True
        settings.DATELINE_TRUSTED_PROXIES = ["10.0.0.0/8"]
        from dateline.core.clients import trusted_proxies

        trusted_proxies.cache_clear()
        yield
        trusted_proxies.cache_clear()

    def test_plain_http_is_redirected_to_https(self, client):
        response = client.get("/en/")
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/en/"

    def test_https_from_a_trusted_proxy_is_served_with_hsts(self, client):
        response = client.get("/en/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == "max-age=31536000"

    def test_forwarded_proto_from_anyone_else_is_not_believed(self, client):
        response = client.get("/en/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 301
        assert response["Location"].startswith("https://")

    def test_health_probes_over_plain_http_are_not_redirected(self, client):
        response = client.get("/healthz")
        assert not response.get("Location", "").startswith("https://")
