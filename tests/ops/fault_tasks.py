"""Tasks for the worker fault tests, importable by a `dateline worker` child process."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_marker(folder: str, seconds: float) -> None:
    """Note each start in `folder`, take `seconds`, then note the finish."""
    marks = Path(folder)
    with (marks / "started").open("a") as started:
        started.write("x")
    time.sleep(seconds)
    with (marks / "finished").open("a") as finished:
        finished.write("x")
