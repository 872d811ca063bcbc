"""One log line per request, written by the outermost WSGI layer so that requests answered
before Django (beacons, health checks) are logged like any other.

Every request gets an id: the caller's X-Request-ID when it looks like one (a load balancer
or proxy usually sets it), otherwise a new one. The id is echoed in the response and
attached to every log record written while the request runs."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable

logger = logging.getLogger("dateline.requests")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Ids from outside are echoed into headers and logs: only short, plain tokens are kept.
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds the id of the request being served (or "") to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def _request_id_for(environ: dict) -> str:
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    if ACCEPTABLE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLog:
    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request_id = _request_id_for(environ)
        environ["HTTP_X_REQUEST_ID"] = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = [0]

        def start_response_with_id(status_line: str, headers: list, exc_info=None):
            status[0] = int(status_line[:3])
            headers.append(("X-Request-ID", request_id))
            if exc_info is None:
                return start_response(status_line, headers)
            return start_response(status_line, headers, exc_info)

        try:
            return self.app(environ, start_response_with_id)
        except Exception:
            status[0] = 500
            logger.exception("request failed")
            raise
        finally:
            # Timed until the response is ready; file bodies are then sent by the server.
            logger.info(
                "%s %s %s",
                environ.get("REQUEST_METHOD", ""),
                environ.get("PATH_INFO", ""),
                status[0],
                extra={
                    "method": environ.get("REQUEST_METHOD", ""),
                    "path": environ.get("PATH_INFO", ""),
                    "status": status[0],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            _request_id.reset(token)
