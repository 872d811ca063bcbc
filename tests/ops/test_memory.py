"""Memory a process has freed goes back to the system: the resident size of a process
that has freed much of what it allocated goes down, on request and on its own."""

from __future__ import annotations

import platform
import subprocess
import sys
import threading

import pytest

from dateline.ops.memory import THREAD_NAME, start_returning_freed_memory

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")

# 200 MB in pieces small enough to live inside glibc's pools, then all freed but one
# piece allocated last, which keeps the pool's top in use: free() alone hands none of it
# back. Prints the resident size before and after `{action}`, in MB.
SCRIPT = """
import os, time
from dateline.ops.memory import return_freed_memory, start_returning_freed_memory

def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

pieces = [bytes(2000) + bytes([n % 256]) for n in range(100_000)]
pin = bytes(3000)
del pieces
before = resident_mb()
{action}
print(before, resident_mb())
"""


def resident_before_and_after(action: str) -> tuple[float, float]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(action=action)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"MALLOC_ARENA_MAX": "2", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    before, after = (float(number) for number in result.stdout.split())
    return before, after


def test_freed_memory_goes_back_to_the_system_when_asked():
    before, after = resident_before_and_after("assert return_freed_memory()")

    assert before > 200
    assert after < before - 150


def test_a_process_that_returns_memory_every_second_does_so_on_its_own():
    before, after = resident_before_and_after(
        "assert start_returning_freed_memory(1)\ntime.sleep(3)"
    )

    assert before > 200
    assert after < before - 150


def returning_threads() -> int:
    return sum(thread.name == THREAD_NAME for thread in threading.enumerate())


def test_no_returning_thread_is_started_when_the_setting_is_zero():
    # A site served in this process by an earlier test may have started one already.
    before = returning_threads()
    assert start_returning_freed_memory(0) is False
    assert returning_threads() == before
