"""Background tasks that try again: a task whose work depends on another service (a mail
server, a social network, a feed) fails now and then, and should run again later, less
often each time, and stop after a few attempts.

    @task()
    @retrying(attempts=5)
    def post_to_channel(story_id: int, channel_id: int) -> None: ...

Each failed attempt but the last ends as a failed task result whose error is
`AttemptFailed` (naming the attempt, the original error chained to it, so the Background
jobs report shows it as already tried again rather than offering a second retry), and
queues the same call again, after `first_delay` seconds, then twice that, up
to `max_delay`. The last attempt's failure is final. Raising `RetryLater(seconds)` asks
for a given delay (a service's "retry after"); raising `GiveUp` ends at once (a refusal
that trying again will not change, such as a revoked token).

A retried task runs again from the start, so it must be safe to run twice: idempotent,
or guarded by a key for what it has already done. On a queue that cannot delay a task
(the immediate one that tests use), a failure is final."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

logger = logging.getLogger("dateline.tasks")

# The attempt number travels with the queued call, so it survives a worker's restart.
ATTEMPT_ARGUMENT = "retry_attempt"


class RetryLater(Exception):
    """Try again after `seconds` (counted as an attempt)."""

    def __init__(self, seconds: float, reason: str = "") -> None:
        super().__init__(reason or f"retry after {seconds:g} s")
        self.seconds = max(0.0, float(seconds))


class GiveUp(Exception):
    """A failure that trying again will not mend: no further attempt is queued."""


class AttemptFailed(Exception):
    """An attempt failed and the next one is queued already: not a final failure."""


def backoff(attempt: int, first_delay: float, max_delay: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...)."""
    return min(max_delay, first_delay * 2 ** (attempt - 1))


def retrying(
    *, attempts: int = 5, first_delay: float = 30.0, max_delay: float = 3600.0
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a task function try again after a failure; put it under `@task()`."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_ARGUMENT, 1))
            try:
                return function(*args, **kwargs)
            except GiveUp:
                logger.error("%s gave up on attempt %d", function.__qualname__, attempt)
                raise
            except Exception as error:
                if attempt >= attempts:
                    logger.error(
                        "%s failed on its last attempt (%d): %s",
                        function.__qualname__,
                        attempt,
                        error,
                    )
                    raise
                if isinstance(error, RetryLater):
                    delay = error.seconds
                else:
                    delay = backoff(attempt, first_delay, max_delay)
                if not _queue_again(
                    function, delay, args, {**kwargs, ATTEMPT_ARGUMENT: attempt + 1}
                ):
                    raise
                raise AttemptFailed(
                    f"attempt {attempt} of {attempts} failed ({type(error).__name__}: {error});"
                    f" attempt {attempt + 1} is queued for {delay:.0f} s later"
                ) from error

        return run

    return decorate


def _queue_again(function: Callable[..., Any], delay: float, args: tuple, kwargs: dict) -> bool:
    # The task object is what the module holds under the function's name (`@task()` on top).
    task = getattr(sys.modules[function.__module__], function.__name__)
    if not task.get_backend().supports_defer:
        return False
    task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(*args, **kwargs)
    logger.warning(
        "%s failed on attempt %d; trying again in %.0f s",
        function.__qualname__,
        kwargs[ATTEMPT_ARGUMENT] - 1,
        delay,
    )
    return True
