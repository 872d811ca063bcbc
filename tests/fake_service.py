"""A stand-in for an outside service (a social network's API, a push service…): an HTTP
server on 127.0.0.1 that records every request and answers from a script, so a test can
make it accept, refuse, rate-limit, fail or hang."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from requests.structures import CaseInsensitiveDict


@dataclass
class Call:
    method: str
    path: str
    headers: CaseInsensitiveDict
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {name: values[0] for name, values in parse_qs(self.body.decode()).items()}


@dataclass
class Answer:
    status: int = 200
    body: object = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering (longer than the client's timeout: a hang).
    delay: float = 0.0


class FakeService:
    """Answers each request with the next scripted `Answer`, else with `default(call)`."""

    def __init__(self, default: Callable[[Call], Answer] | None = None) -> None:
        self.calls: list[Call] = []
        self.script: deque[Answer] = deque()
        self.default = default or (lambda call: Answer())
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                call = Call(
                    self.command,
                    self.path,
                    CaseInsensitiveDict(self.headers.items()),
                    self.rfile.read(length),
                )
                service.calls.append(call)
                answer = service.script.popleft() if service.script else service.default(call)
                if answer.delay:
                    time.sleep(answer.delay)
                data = (
                    answer.body
                    if isinstance(answer.body, bytes)
                    else json.dumps(answer.body).encode()
                )
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def then(self, *answers: Answer) -> FakeService:
        self.script.extend(answers)
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
