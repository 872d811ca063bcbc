"""Log lines as JSON objects, one per line.

Every request writes a line, so formatting one is on the path of every cached page: this
formatter does the least work that gives a collector what it needs (time, level, logger,
message, the fields passed in `extra`, the traceback)."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

# What every LogRecord carries; anything else on a record came in through `extra`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


class _Timestamps:
    """Timestamps of one kind, remembered by second and by millisecond: every request
    writes one, a busy process writes dozens within the same millisecond, and formatting
    a date costs more than the rest of a cached page's answer."""

    def __init__(self, seconds, joiner: str, suffix: str = "") -> None:
        self._seconds = seconds
        self._joiner = joiner
        self._suffix = suffix
        self._second: tuple[int, str] = (-1, "")
        self._millisecond: tuple[int, str] = (-1, "")

    def __call__(self, moment: float) -> str:
        millisecond = int(moment * 1000)
        last, text = self._millisecond
        if millisecond == last:
            return text
        second, fraction = divmod(millisecond, 1000)
        last_second, prefix = self._second
        if second != last_second:
            prefix = self._seconds(second)
            self._second = (second, prefix)
        text = f"{prefix}{self._joiner}{fraction:03d}{self._suffix}"
        self._millisecond = (millisecond, text)
        return text


iso_timestamp = _Timestamps(
    lambda second: datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S"),
    ".",
    "+00:00",
)
"""`moment` in UTC to the millisecond, as ISO 8601: 2026-11-28T04:08:39.851+00:00."""

text_timestamp = _Timestamps(
    lambda second: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second)), ","
)
"""`moment` in local time as the text format's other lines show it."""


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": iso_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in record.__dict__.items():
            if name not in _RECORD_ATTRIBUTES:
                line[name] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
