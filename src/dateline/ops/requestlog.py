"""One log line per request, written by the outermost WSGI layer so that requests answered
before Django (beacons, health checks) are logged like any other.

The line is formatted here rather than through a log record, and the lines are written
in batches: a cached page costs less to serve than a record costs to build, format and
write, so a record and a write per request would halve the cached pages served per second.
The lines go to the same stream, in the same format, as the other log lines, within
`FLUSH_SECONDS` of the request; the "dateline.requests" logger's level still turns them on
and off (`DATELINE_LOG_REQUESTS`).

Every request gets an id: the caller's X-Request-ID when it looks like one (a load balancer
or proxy usually sets it), otherwise a new one. The id is echoed in the response and
attached to every log record written while the request runs."""

from __future__ import annotations

import atexit
import contextvars
import itertools
import logging
import os
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .logformat import iso_timestamp, text_timestamp

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


class RequestIds:
    """New request ids: a random prefix per process and a counter, 32 hex characters.

    Unique without asking the kernel for randomness on every request: that call lets go of
    the interpreter lock, and on a busy core the request then queues behind the process's
    other threads (measured: a fifth fewer cached pages per second). A forked worker draws
    a prefix of its own."""

    def __init__(self) -> None:
        self._start()
        os.register_at_fork(after_in_child=self._start)

    def _start(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count()

    def next(self) -> str:
        # %-formatting: half the cost of the f-string with a format spec, on every request.
        return "%s%016x" % (self._prefix, next(self._counter))  # noqa: UP031


_new_request_ids = RequestIds()


def _request_id_for(environ: dict) -> str:
    incoming = environ.get("HTTP_X_REQUEST_ID")
    if incoming and ACCEPTABLE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return _new_request_ids.next()


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
            if logger.isEnabledFor(logging.INFO):
                path = environ.get("PATH_INFO", "")
                _pending_lines.add(
                    time.time(),
                    environ.get("REQUEST_METHOD", ""),
                    path if path.isascii() else readable_path(path),
                    status[0],
                    time.perf_counter() - started,
                    request_id,
                )
            _request_id.reset(token)


def readable_path(path: str) -> str:
    """The path as the reader typed it: WSGI hands over its bytes one character each."""
    try:
        return path.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:  # already text (a caller other than the server)
        return path


# Lines reach the log this soon after their request; the requests have formatted them.
FLUSH_SECONDS = 0.05
_json_string = encode_basestring  # the C escaper; leaves non-ASCII as it is


# The escaped middle of a JSON line by (method, path, status): a busy site answers the same
# few addresses over and over. Emptied when full, so hostile paths cannot grow it.
_json_middles: dict[tuple[str, str, int], str] = {}
MAX_REMEMBERED_MIDDLES = 2048


def json_line(
    moment: float, method: str, path: str, status: int, seconds: float, request_id: str
) -> str:
    """The object JsonLinesFormatter would write, built by hand at a fraction of the cost.
    The request id is a plain token (see ACCEPTABLE_REQUEST_ID); the method and path come
    from the client and are escaped."""
    key = (method, path, status)
    middle = _json_middles.get(key)
    if middle is None:
        middle = _json_middle(method, path, status)
        if len(_json_middles) >= MAX_REMEMBERED_MIDDLES:
            _json_middles.clear()
        _json_middles[key] = middle
    return (
        f'{{"time": "{iso_timestamp(moment)}", "level": "INFO", "logger": "dateline.requests", '
        f'{middle}, "duration_ms": {seconds * 1000:.2f}, "request_id": "{request_id}"}}'
    )


def _json_middle(method: str, path: str, status: int) -> str:
    # Escaping goes character by character: the message is the escaped parts put together.
    quoted_method = _json_string(method)
    quoted_path = _json_string(path)
    return (
        f'"message": "{quoted_method[1:-1]} {quoted_path[1:-1]} {status}", '
        f'"method": {quoted_method}, "path": {quoted_path}, "status": {status}'
    )


def text_line(
    moment: float, method: str, path: str, status: int, seconds: float, request_id: str
) -> str:
    return (
        f"{text_timestamp(moment)} INFO dateline.requests [{request_id}] {method} {path} {status}"
    )


_FORMATS = {"json": json_line, "text": text_line}


# Written this many at a time: a few hundred kilobytes of text at once would be memory
# fresh from the kernel at every write (it is above the allocator's mmap threshold), which
# cost five times what the write itself does (measured: 0.45 against 0.08 µs a line
# written to /dev/null, 0.6 against 0.25 to a file).
LINES_PER_WRITE = 128


class PendingLines:
    """Request lines formatted by the request, kept in memory, and written to stderr
    (where the console handler writes) by a thread of this process every `FLUSH_SECONDS`,
    and at exit. The request formats its own line (about 1.5 µs): a thread formatting a
    whole batch holds the interpreter lock for milliseconds while requests wait, which
    showed as a p99 three times as long."""

    def __init__(self) -> None:
        self._lines: deque[str] = deque()  # append and popleft are thread-safe
        self._writing = False
        self._write_lock = threading.Lock()
        # A forked worker inherits the flag but not the thread: it starts its own. The
        # lines it inherits are the parent's, which the parent writes.
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self._lines.clear()
        self._writing = False
        self._write_lock = threading.Lock()

    def add(
        self,
        moment: float,
        method: str,
        path: str,
        status: int,
        seconds: float,
        request_id: str,
    ) -> None:
        self._lines.append(self._format(moment, method, path, status, seconds, request_id))
        if not self._writing:
            self._start_writer()

    def _format(self, *line) -> str:
        # Chosen on the first line and again when the setting changes (tests): reading it
        # on every request costs as much as the rest of the line.
        self._format = _FORMATS.get(settings.DATELINE_LOG_FORMAT, text_line)
        return self._format(*line)

    def forget_format(self) -> None:
        self.__dict__.pop("_format", None)

    def _start_writer(self) -> None:
        with self._write_lock:
            if self._writing:
                return
            self._writing = True
        threading.Thread(target=self._write_every_interval, name="request-log", daemon=True).start()

    def _write_every_interval(self) -> None:
        while True:
            time.sleep(FLUSH_SECONDS)
            self.flush()

    def flush(self) -> None:
        with self._write_lock:
            count = len(self._lines)
            if not count:
                return
            popleft = self._lines.popleft
            while count:
                batch = min(count, LINES_PER_WRITE)
                count -= batch
                text = "\n".join([popleft() for _ in range(batch)]) + "\n"
                try:
                    sys.stderr.write(text)
                    sys.stderr.flush()
                except (OSError, ValueError):  # stderr closed at shutdown: nothing to write to
                    pass


_pending_lines = PendingLines()
atexit.register(_pending_lines.flush)


@receiver(setting_changed)
def _follow_log_format(setting: str, **kwargs) -> None:
    if setting == "DATELINE_LOG_FORMAT":
        _pending_lines.forget_format()


def flush_request_lines() -> None:
    """Writes the request lines not yet written (tests, and anything about to exit)."""
    _pending_lines.flush()
