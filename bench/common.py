"""What every benchmark here shares: tools, a baseline, wrk runs and the results file.

Speed is compared only within one run, against nginx serving a static file in the same
run: these machines are shared and their speed drifts by tens of percent."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "RESULTS.md"
SERVER_CORE = "0"  # the server under test gets one core, wrk the other
LOAD_CORE = "1"


def ensure_tools() -> None:
    """wrk and nginx from Debian's packages, installed if missing."""
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if not missing and Path("/usr/sbin/nginx").exists():
        return
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk", "nginx-light"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int
    requests: int


def wait_until_serving(url: str, process: subprocess.Popen, log: Path, tries: int = 300) -> None:
    """Returns once `url` answers; raises with the server's log if it dies or never does."""
    for _ in range(tries):
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    raise RuntimeError(log.read_text()[-2000:])


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    url: str,
    *,
    connections: int = 32,
    seconds: int = 10,
    script: str | None = None,
    timeout: int = 10,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    command = [
        "taskset",
        "-c",
        LOAD_CORE,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "--latency",
    ]
    if script:
        command += ["-s", script]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        # wrk prints no distribution when no request finished in time
        p50_ms=_ms(latency["50"]) if latency else float("inf"),
        p99_ms=_ms(latency["99"]) if latency else float("inf"),
        errors=errors,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
    )


class StaticBaseline:
    """nginx on one core serving `content` as a static file: the ceiling for this run."""

    def __init__(
        self,
        content: bytes,
        port: int = 18080,
        connections: int = 1024,
        access_log: bool = False,
    ) -> None:
        """With `access_log`, nginx writes its own line per request to a file, as it does
        out of the box."""
        self.root = Path(tempfile.mkdtemp(prefix="dateline-bench-nginx-"))
        log = f"access_log {self.root}/access.log;" if access_log else "access_log off;"
        (self.root / "page.html").write_bytes(content)
        self.port = port
        self.conf = self.root / "nginx.conf"
        self.conf.write_text(
            textwrap.dedent(
                f"""
                worker_processes 1;
                pid {self.root}/nginx.pid;
                error_log {self.root}/error.log;
                events {{ worker_connections {connections}; }}
                http {{
                  {log}
                  client_body_temp_path {self.root};
                  proxy_temp_path {self.root};
                  fastcgi_temp_path {self.root};
                  uwsgi_temp_path {self.root};
                  scgi_temp_path {self.root};
                  server {{
                    listen 127.0.0.1:{port};
                    root {self.root};
                    location / {{ default_type text/html; }}
                  }}
                }}
                """
            )
        )
        self.url = f"http://127.0.0.1:{port}/page.html"

    def __enter__(self) -> StaticBaseline:
        subprocess.run(
            ["taskset", "-c", SERVER_CORE, "nginx", "-c", str(self.conf), "-p", str(self.root)],
            check=True,
        )
        time.sleep(0.5)
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run(["nginx", "-c", str(self.conf), "-p", str(self.root), "-s", "stop"])
        (self.root / "access.log").unlink(missing_ok=True)


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return (
        f"{platform.node()}, {os.cpu_count()} cores ({cpu}), {memory_kb // 1024 // 1024} GiB, "
        f"{platform.platform()}, Python {platform.python_version()}"
    )


def write_section(name: str, body: str) -> None:
    """Replace this benchmark's section of RESULTS.md, leaving the others as they are."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"{start}\n{body.strip()}\n\n_Measured {stamp} on {machine()}._\n{end}"
    text = (
        RESULTS.read_text()
        if RESULTS.exists()
        else "# Benchmark results\n\nReproduce with `make bench`.\n"
    )
    if start in text:
        text = re.sub(
            re.escape(start) + r".*?" + re.escape(end), lambda _m: section, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def children_rss_mb(pid: int) -> list[float]:
    """The resident memory of each child of `pid` (the web processes of `dateline serve`)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    sizes = []
    for child in children.stdout.split():
        status = Path(f"/proc/{child}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes
