"""The networks' APIs, each at a base address from settings (so tests speak to local fakes):
Telegram's Bot API, X's API v2 and Facebook's Graph API.

Every failure is one of three kinds, which decide what happens next:
- `RateLimited(seconds)`: the network asked to wait; tried again after that long;
- `Unavailable`: a 5xx, a timeout or no connection; tried again later, less often each time;
- `Refused`: a 4xx that trying again will not change (a wrong or revoked token, a chat
  the bot may not post in); the editor mends the channel and retries by hand.

An access token never appears in an error (Telegram's sits in the request's address,
which a connection error would print): errors are written here, not passed through."""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests
from django.conf import settings

from .messages import Message


class ChannelError(Exception):
    pass


class Refused(ChannelError):
    pass


class Unavailable(ChannelError):
    pass


class RateLimited(ChannelError):
    def __init__(self, seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.seconds = seconds


@dataclass(frozen=True)
class Posted:
    remote_id: str
    url: str = ""


@dataclass(frozen=True)
class Picture:
    name: str
    data: bytes
    content_type: str = "image/jpeg"


def _call(method: str, url: str, **kwargs) -> requests.Response:
    timeout = settings.DATELINE_CHANNEL_TIMEOUT
    try:
        return requests.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
    except requests.Timeout:
        failure = f"no answer within {timeout:g} s"
    except requests.RequestException as error:
        failure = f"could not reach the network ({type(error).__name__})"
    # Raised outside the handler, so that the original error (whose message holds the
    # address, and in it Telegram's token) is not chained to it for a traceback to print.
    raise Unavailable(failure)


def _json(response: requests.Response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _scrubbed(text: object, token: str) -> str:
    text = str(text)[:500]
    return text.replace(token, "…") if token else text


def _unavailable(response: requests.Response, what: str) -> Unavailable:
    return Unavailable(f"{what} answered {response.status_code}")


# Telegram


def telegram_post(
    token: str, chat: str, message: Message, picture: Picture | None = None
) -> Posted:
    base = settings.DATELINE_TELEGRAM_API_URL.rstrip("/")
    if picture is not None:
        response = _call(
            "POST",
            f"{base}/bot{token}/sendPhoto",
            data={"chat_id": chat, "caption": message.text, "parse_mode": "HTML"},
            files={"photo": (picture.name, picture.data, picture.content_type)},
        )
    else:
        response = _call(
            "POST",
            f"{base}/bot{token}/sendMessage",
            json={
                "chat_id": chat,
                "text": message.text,
                "parse_mode": "HTML" if message.html else None,
            },
        )
    answer = _json(response)
    if response.status_code == 200 and answer.get("ok"):
        result = answer.get("result") or {}
        message_id = str(result.get("message_id", ""))
        username = (result.get("chat") or {}).get("username") or ""
        url = f"https://t.me/{username}/{message_id}" if username and message_id else ""
        return Posted(remote_id=message_id, url=url)
    description = _scrubbed(answer.get("description") or f"HTTP {response.status_code}", token)
    if response.status_code == 429:
        retry_after = (answer.get("parameters") or {}).get("retry_after")
        seconds = float(retry_after) if isinstance(retry_after, int | float) else 60.0
        raise RateLimited(seconds, f"Telegram: {description}")
    if response.status_code >= 500:
        raise _unavailable(response, "Telegram")
    raise Refused(f"Telegram: {description}")


# X


def _x_wait(response: requests.Response) -> float:
    reset = response.headers.get("x-rate-limit-reset", "")
    if reset.isdigit():
        return max(1.0, int(reset) - time.time())
    retry_after = response.headers.get("retry-after", "")
    return float(retry_after) if retry_after.isdigit() else 900.0


def x_post(token: str, message: Message) -> Posted:
    base = settings.DATELINE_X_API_URL.rstrip("/")
    response = _call(
        "POST",
        f"{base}/2/tweets",
        json={"text": message.text},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer = _json(response)
    if response.status_code in (200, 201) and isinstance(answer.get("data"), dict):
        post_id = str(answer["data"].get("id", ""))
        return Posted(remote_id=post_id, url=f"https://x.com/i/status/{post_id}")
    description = _scrubbed(
        answer.get("detail") or answer.get("title") or f"HTTP {response.status_code}", token
    )
    if response.status_code == 429:
        raise RateLimited(_x_wait(response), f"X: {description}")
    if response.status_code >= 500:
        raise _unavailable(response, "X")
    raise Refused(f"X: {description}")


# Facebook

# Graph API error codes that mean "too many calls for now" (they come with a 400 or 403).
FACEBOOK_THROTTLED = {4, 17, 32, 613, 80001}


def facebook_post(token: str, page_id: str, message: Message) -> Posted:
    base = settings.DATELINE_FACEBOOK_API_URL.rstrip("/")
    data = {"message": message.text, "access_token": token}
    if message.link:
        data["link"] = message.link
    response = _call("POST", f"{base}/{page_id}/feed", data=data)
    answer = _json(response)
    if response.status_code == 200 and answer.get("id"):
        post_id = str(answer["id"])
        return Posted(remote_id=post_id, url=f"https://www.facebook.com/{post_id}")
    error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
    description = _scrubbed(error.get("message") or f"HTTP {response.status_code}", token)
    if response.status_code == 429 or error.get("code") in FACEBOOK_THROTTLED:
        raise RateLimited(600.0, f"Facebook: {description}")
    if response.status_code >= 500 or error.get("is_transient"):
        raise _unavailable(response, "Facebook")
    raise Refused(f"Facebook: {description}")
