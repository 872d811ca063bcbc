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


# The seconds part of the last timestamp of each kind: every request writes one, and
# formatting a date costs more than the rest of a cached page's answer.
_iso_second: tuple[int, str] = (-1, "")
_text_second: tuple[int, str] = (-1, "")


def iso_timestamp(moment: float) -> str:
    """`moment` in UTC to the millisecond, as ISO 8601: 2026-11-28T04:08:39.851+00:00."""
    global _iso_second
    second, prefix = _iso_second
    if int(moment) != second:
        second = int(moment)
        prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _iso_second = (second, prefix)
    return f"{prefix}.{int((moment - second) * 1000):03d}+00:00"


def text_timestamp(moment: float) -> str:
    """`moment` in local time as the text format's other lines show it."""
    global _text_second
    second, prefix = _text_second
    if int(moment) != second:
        second = int(moment)
        prefix = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        _text_second = (second, prefix)
    return f"{prefix},{int((moment - second) * 1000):03d}"


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
