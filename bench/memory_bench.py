"""Memory of `make run`'s processes: `dateline serve` as the README starts it (one web
process with its threads, the background worker beside it, page cache and request log
on), on the demo site. Resident memory (RSS) and its share of pages counted once (PSS)
of every process at start, each minute of MEMORY_SECONDS (default 600) of mixed traffic
while an editor publishes every 10 s, and after a spike of 256 connections on the home
page for 30 s. Targets (issue 27): all together ≤ 300 MB, no growth in the last 5 minutes.

The traffic is the soak's plan (soak_bench.py) with many distinct searches added, since
what grows per distinct address or query is what this looks for.

MEMORY_ENGINES (default "sqlite,postgres") chooses the runs: the embedded mode on SQLite,
and the scale mode on this machine's PostgreSQL and Redis (skipped, and said so, when
they cannot be reached)."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from common import LOAD_CORE, ensure_tools, write_section
from soak_bench import (
    DATELINE,
    EDITOR,
    PUBLISH_EVERY,
    SEARCHES,
    SITE_MAP,
    environment,
    read_plan,
    run,
    run_wrk,
    write_plan,
)
from views_bench import drop_postgres_database, postgres_database

PORT = int(os.environ.get("SOAK_PORT", "18301"))
SECONDS = int(os.environ.get("MEMORY_SECONDS", "600"))
DISTINCT_SEARCHES = 400
SPIKE_CONNECTIONS = 256
SPIKE_SECONDS = 30
# Each web process and the worker hand freed memory back every 10 s (ops/memory.py), so
# one reading lands anywhere in that cycle, up to about 10 MB apart: each minute's figure
# is the middle of six readings.
READINGS_A_MINUTE = 6


def processes(server_pid: int, log: Path) -> dict[str, int]:
    """The main process, the background worker and the web processes, by role. All are
    forks of the main process, so the worker is told apart by the pid it was logged with."""
    roles = {"main": server_pid}
    started = re.findall(r"background worker started \(pid (\d+)\)", log.read_text())
    worker = int(started[-1]) if started else None
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    web = 0
    for pid in sorted(int(child) for child in children):
        if pid == worker:
            roles["worker"] = pid
        else:
            web += 1
            roles[f"web {web}"] = pid
    return roles


def memory(pid: int) -> tuple[float, float, float]:
    """RSS, PSS and USS (the pages only this process holds, what it costs beyond the
    others) in MB (10^6 bytes, as the issue's targets are written)."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()

    def field(name: str) -> float:
        return int(re.search(rf"^{name}:\s+(\d+) kB", rollup, re.M).group(1)) * 1024 / 1e6

    return field("Rss"), field("Pss"), field("Private_Clean") + field("Private_Dirty")


def snapshot(roles: dict[str, int]) -> dict[str, tuple[float, float, float]]:
    return {role: memory(pid) for role, pid in roles.items()}


def add_distinct_searches(plan: Path) -> None:
    rng = random.Random(27)
    words = [(language, word) for language, found in SEARCHES.items() for word in found]
    searches = []
    for n in range(DISTINCT_SEARCHES):
        language, word = rng.choice(words)
        searches.append(f"GET\t/{language}/search/?q={quote(f'{word} {n}')}\n")
    lines = plan.read_text().splitlines(keepends=True) + searches
    rng.shuffle(lines)
    plan.write_text("".join(lines))


ENGINES = os.environ.get("MEMORY_ENGINES", "sqlite,postgres").split(",")
TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL + Redis"}
# `make run` has one web process; an app machine at scale has one per core, and what each
# one past the first costs is a target of its own.
WEB_PROCESSES = {"sqlite": 1, "postgres": 2}


def main() -> None:
    ensure_tools()
    for engine in ENGINES:
        if engine == "sqlite":
            measure(engine, {})
            continue
        database = postgres_database()
        if database is None:
            write_section(
                f"memory-{engine}",
                f"## Memory: {TITLES[engine]}\n\nNot measured: PostgreSQL could not be reached.",
            )
            continue
        try:
            measure(
                engine,
                {
                    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
                    "REDIS_URL": "redis://127.0.0.1:6379/0",
                },
            )
        finally:
            drop_postgres_database(database)


def measure(engine: str, services: dict[str, str]) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="dateline-memory-"))
    env = {**environment(data_dir), **services}
    print(f"loading the demo site ({TITLES[engine]})…", flush=True)
    run(env, "setup", "--demo")
    site = json.loads(run(env, "manage", "shell", "--no-imports", "-c", SITE_MAP).splitlines()[-1])
    plan = data_dir / "plan.tsv"
    write_plan(site, plan)
    add_distinct_searches(plan)

    log = data_dir / "server.log"
    server = subprocess.Popen(
        [DATELINE, "serve", "--port", str(PORT), "--workers", str(WEB_PROCESSES[engine])],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{PORT}"
    samples: list[tuple[int, dict[str, tuple[float, float]]]] = []
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/readyz", timeout=2)
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.3)
        time.sleep(5)  # the background worker loads beside it
        roles = processes(server.pid, log)
        at_start = snapshot(roles)
        print("visiting every page once (pictures are resized on first view)…", flush=True)
        pages = sorted({url for method, url in read_plan(plan) if method == "GET"})
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(
                pool.map(lambda url: urllib.request.urlopen(base + url, timeout=120).read(), pages)
            )

        editor = subprocess.Popen(
            [
                DATELINE,
                "manage",
                "shell",
                "--no-imports",
                "-c",
                EDITOR.format(seconds=SECONDS, every=PUBLISH_EVERY),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        stop = threading.Event()

        def sample() -> None:
            started = time.monotonic()
            samples.append((0, snapshot(roles)))
            minute: list[dict[str, tuple[float, float, float]]] = []
            while not stop.wait(60 / READINGS_A_MINUTE):
                minute.append(snapshot(roles))
                if len(minute) == READINGS_A_MINUTE:
                    samples.append((round(time.monotonic() - started), _middle(minute)))
                    minute = []

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        print(f"mixed traffic for {SECONDS} s…", flush=True)
        soak = run_wrk(base, SECONDS, plan)
        stop.set()
        sampler.join()
        editor_out, _ = editor.communicate(timeout=120)
        after_soak = snapshot(roles)
        print(f"{SPIKE_CONNECTIONS} connections on the home page for {SPIKE_SECONDS} s…")
        spike = subprocess.run(
            ["taskset", "-c", LOAD_CORE, "wrk", "-t2", f"-c{SPIKE_CONNECTIONS}"]
            + [f"-d{SPIKE_SECONDS}s", "--timeout", "30s", f"{base}/en/"],
            capture_output=True,
            text=True,
        ).stdout
        spike_rps = float(re.search(r"Requests/sec:\s+([\d.]+)", spike).group(1))
        after_spike = snapshot(roles)
    finally:
        server.terminate()
        server.wait(timeout=60)
    published = re.search(r"published (\d+) failed (\d+)", editor_out or "")
    report(engine, at_start, samples, after_soak, after_spike, soak, spike_rps, published)


def _middle(
    readings: list[dict[str, tuple[float, float, float]]],
) -> dict[str, tuple[float, float, float]]:
    """The reading whose total PSS is the middle one of a minute's."""
    return sorted(readings, key=lambda snap: _total(snap)[1])[len(readings) // 2]


def _total(snap: dict[str, tuple[float, float, float]]) -> tuple[float, float]:
    return sum(rss for rss, _, _ in snap.values()), sum(pss for _, pss, _ in snap.values())


def report(engine, at_start, samples, after_soak, after_spike, soak, spike_rps, published) -> None:
    roles = list(at_start)
    shape = (
        "`dateline serve` as `make run` starts it (one web process with its default threads, "
        "the background worker beside it, page cache and request log on) on the demo site "
        "(SQLite)"
        if engine == "sqlite"
        else "`dateline serve --workers 2` (two web processes and the worker, as on one app "
        "machine at scale with two cores) on PostgreSQL and Redis (their own memory not "
        "counted), on the demo site"
    )
    lines = [
        "## Memory: `make run`'s processes"
        if engine == "sqlite"
        else f"## Memory: one app machine on {TITLES[engine]}",
        "",
        f"{shape}. {SECONDS // 60} min of the soak's mixed traffic plus "
        f"{DISTINCT_SEARCHES} distinct searches (8 connections) while an editor publishes "
        f"every {PUBLISH_EVERY} s, then {SPIKE_CONNECTIONS} connections on the home page for "
        f"{SPIKE_SECONDS} s. MB are 10^6 bytes; PSS counts pages shared between processes "
        "once. Targets (issue 27): all together ≤ 300 MB after the traffic, no growth in "
        "the last 5 minutes; each serving process past the first ≤ 120 MB.",
        "",
        "| process | start RSS / PSS | after the traffic | after the spike |",
        "| --- | --- | --- | --- |",
    ]
    for role in roles:
        cells = [
            f"{snap[role][0]:.0f} / {snap[role][1]:.0f} MB"
            for snap in (at_start, after_soak, after_spike)
        ]
        lines.append(f"| {role} | " + " | ".join(cells) + " |")
    totals = [_total(snap) for snap in (at_start, after_soak, after_spike)]
    lines.append(
        "| **all together** | "
        + " | ".join(f"{rss:.0f} / {pss:.0f} MB" for rss, pss in totals)
        + " |"
    )
    halfway = min(samples, key=lambda item: abs(item[0] - SECONDS / 2))
    growth = _total(samples[-1][1])[1] - _total(halfway[1])[1]
    lines += [
        "",
        f"All together (PSS), each minute (the middle of {READINGS_A_MINUTE} readings): "
        + ", ".join(f"{seconds // 60} min {_total(snap)[1]:.0f} MB" for seconds, snap in samples)
        + f". Growth over the last half: {growth:+.1f} MB.",
        "",
        "What each web process holds of its own (USS: pages no other process shares, what "
        "one more of them costs), after the traffic / after the spike: "
        + ", ".join(
            f"{role} {after_soak[role][2]:.0f} / {after_spike[role][2]:.0f} MB"
            for role in roles
            if role.startswith("web")
        )
        + ".",
        "",
        f"Traffic: {soak.requests:,} requests ({soak.requests_per_second:,.0f}/s), "
        f"{soak.errors + soak.non_2xx} errors; spike {spike_rps:,.0f} requests/s; stories "
        "published by the editor: "
        + (f"{published.group(1)} ({published.group(2)} failed)" if published else "editor failed")
        + ".",
    ]
    print("\n".join(lines))
    write_section("memory" if engine == "sqlite" else f"memory-{engine}", "\n".join(lines))


if __name__ == "__main__":
    main()
