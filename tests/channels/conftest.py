from __future__ import annotations

import itertools
import re

import pytest
from wagtail.models import Locale

from dateline.channels import services
from dateline.channels.models import Channel
from tests.fake_service import Answer, Call, FakeService

TELEGRAM_TOKEN = "123456:AAH-bot-token-for-tests-abcdef"
X_TOKEN = "x-user-token-for-tests-0123456789"
FACEBOOK_TOKEN = "EAAB-page-token-for-tests-987654"


def _telegram_answer(call: Call) -> Answer:
    """Telegram's Bot API: the token is in the address; a wrong one is 401."""
    match = re.match(r"/bot([^/]+)/(sendMessage|sendPhoto)$", call.path)
    if match is None:
        return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
    if match.group(1) != TELEGRAM_TOKEN:
        return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    number = len(call.headers) + len(call.body) % 1000
    return Answer(
        200,
        {"ok": True, "result": {"message_id": number, "chat": {"username": "dateline_news"}}},
    )


def _x_answer(call: Call) -> Answer:
    if call.headers.get("Authorization") != f"Bearer {X_TOKEN}":
        return Answer(401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401})
    return Answer(201, {"data": {"id": "1850000000000000001", "text": call.json()["text"]}})


def _facebook_answer(call: Call) -> Answer:
    if call.form().get("access_token") != FACEBOOK_TOKEN:
        return Answer(
            400,
            {
                "error": {
                    "message": "Invalid OAuth access token.",
                    "type": "OAuthException",
                    "code": 190,
                }
            },
        )
    return Answer(200, {"id": "1122334455_6677889900"})


@pytest.fixture
def telegram(settings):
    service = FakeService(_telegram_answer)
    settings.DATELINE_TELEGRAM_API_URL = service.url
    yield service
    service.close()


@pytest.fixture
def x_api(settings):
    service = FakeService(_x_answer)
    settings.DATELINE_X_API_URL = service.url
    yield service
    service.close()


@pytest.fixture
def facebook(settings):
    service = FakeService(_facebook_answer)
    settings.DATELINE_FACEBOOK_API_URL = service.url + "/v21.0"
    yield service
    service.close()


@pytest.fixture
def networks(telegram, x_api, facebook):
    return {"telegram": telegram, "x": x_api, "facebook": facebook}


ACCOUNTS = {"telegram": "@dateline_news", "x": "", "facebook": "1122334455"}
TOKENS = {"telegram": TELEGRAM_TOKEN, "x": X_TOKEN, "facebook": FACEBOOK_TOKEN}
_names = itertools.count(1)


@pytest.fixture
def make_channel(db, settings):
    settings.DATELINE_CHANNEL_TIMEOUT = 2

    def make(network: str = "telegram", language: str = "en", **fields) -> Channel:
        token = fields.pop("token", TOKENS[network])
        channel = Channel(
            name=fields.pop("name", f"{network} {language} {next(_names)}"),
            network=network,
            locale=Locale.objects.get(language_code=language),
            account=fields.pop("account", ACCOUNTS[network]),
            **fields,
        )
        services.set_token(channel, token)
        channel.save()
        return channel

    return make
