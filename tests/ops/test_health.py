"""/healthz and /readyz answer in front of Django, and every request is logged once with an
id that is echoed back."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import timedelta
from wsgiref.util import setup_testing_defaults

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dateline.core.heartbeats import beat
from dateline.core.models import WorkerHeartbeat
from dateline.ops import health
from dateline.ops.requestlog import flush_request_lines
from dateline.wsgi import application

pytestmark = pytest.mark.engine


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """As Django's test client does: a request must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(path: str, method: str = "GET", **headers: str) -> tuple[int, dict, dict | str]:
    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": io.BytesIO()}
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status[:3])
        answer["headers"] = dict(response_headers)

    body = b"".join(application(environ, start_response))
    if answer["headers"].get("Content-Type") == "application/json" and body:
        return answer["status"], answer["headers"], json.loads(body)
    return answer["status"], answer["headers"], body.decode()


def test_healthz_says_the_process_is_up_without_a_session_or_redirect(db):
    status, headers, body = call("/healthz")
    assert status == 200
    assert body == {"status": "ok"}
    assert headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in headers


@pytest.mark.django_db
def test_readyz_checks_the_database(settings):
    settings.REDIS_URL = ""
    beat("worker-host:1")
    status, headers, body = call("/readyz")
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok"}
    assert headers["Cache-Control"] == "no-store"


def seen_ago(worker: str, seconds: int) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=worker, defaults={"seen_at": timezone.now() - timedelta(seconds=seconds)}
    )


@pytest.mark.django_db
def test_readyz_reports_the_worker_and_the_queue(settings):
    settings.DATELINE_WORKER_STALE_SECONDS = 120
    settings.DATELINE_TASKS = "database"  # the queue's depth is counted on this one
    seen_ago("worker-host:1", 3)
    seen_ago("worker-host:2", 10)
    seen_ago("gone-host:7", 3600)
    status, _, body = call("/readyz")
    assert status == 200
    assert body["background"] == {"worker": "ok", "workers": 2, "queued": 0, "stalled": False}


@pytest.mark.django_db
def test_a_silent_worker_makes_readyz_degraded_but_still_serving(settings):
    # Every web process would fail such a check at once: a load balancer that took them
    # all out would stop the site over work that can wait, so the answer stays 200.
    settings.DATELINE_WORKER_STALE_SECONDS = 120
    seen_ago("worker-host:1", 300)
    status, _, body = call("/readyz")
    assert status == 200
    assert body["status"] == "degraded"
    assert body["background"]["worker"] == "not seen for 300 s"
    assert body["background"]["stalled"] is True


@pytest.mark.django_db
def test_readyz_says_when_no_worker_was_ever_seen(settings):
    status, _, body = call("/readyz")
    assert (status, body["status"]) == (200, "degraded")
    assert body["background"]["worker"] == "never seen"


@pytest.mark.django_db
def test_readyz_reports_how_long_the_oldest_task_has_waited(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATELINE_TASKS = "database"
    settings.DATELINE_WORKER_STALE_SECONDS = 120
    seen_ago("worker-host:1", 1)
    from dateline.news.tasks import publish_scheduled

    publish_scheduled.enqueue()
    publish_scheduled.enqueue()
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.first().pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=600)
    )
    status, _, body = call("/readyz")
    assert status == 200
    assert body["status"] == "degraded"  # the worker beats, but the queue does not move
    assert body["background"]["queued"] == 2
    assert body["background"]["oldest_queued_seconds"] >= 600

    settings.DATELINE_READY_MAX_QUEUE_AGE = 300  # set where /readyz feeds an alert
    status, _, body = call("/readyz")
    assert status == 503
    assert body["failed"] == ["queue"]
    assert body["checks"]["queue"].startswith("oldest task waiting 6")


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_does_not_answer(settings, monkeypatch):
    from django.db import OperationalError

    def refuse():
        raise OperationalError("connection refused")

    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "check_database", refuse)
    status, _, body = call("/readyz")
    assert status == 503
    assert body["failed"] == ["database"]
    assert "refused" not in json.dumps(body)  # details stay in the log


@pytest.mark.django_db
def test_readyz_names_redis_when_configured_and_down(settings):
    configured = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    health._redis_client.cache_clear()
    try:
        status, _, body = call("/readyz")
    finally:
        health._redis_client.cache_clear()
        settings.REDIS_URL = configured  # the suite's Redis clean-up must not try port 1
    assert status == 503
    assert body["failed"] == ["redis"]
    assert body["checks"]["database"] == "ok"


def test_head_gets_the_status_without_a_body(db):
    status, _, body = call("/healthz", method="HEAD")
    assert status == 200
    assert body == ""


def test_other_methods_are_left_to_the_site(db):
    _, headers, _ = call("/healthz", method="POST")
    assert headers.get("Content-Type") != "application/json"


def test_every_request_is_logged_once_with_its_id_echoed(db, capsys, settings):
    settings.DATELINE_LOG_FORMAT = "json"
    status, headers, _ = call("/healthz", x_request_id="lb-1234")
    assert headers["X-Request-ID"] == "lb-1234"
    flush_request_lines()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if "lb-1234" in line]
    [line] = [line for line in lines if line["logger"] == "dateline.requests"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["request_id"] == "lb-1234" and line["level"] == "INFO"
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")


def test_the_request_lines_can_be_turned_off(db, capsys, caplog):
    with caplog.at_level(logging.WARNING, logger="dateline.requests"):
        call("/healthz", x_request_id="quiet-1")
    flush_request_lines()
    assert "quiet-1" not in capsys.readouterr().err


def test_request_lines_follow_the_text_format(db, capsys, settings):
    settings.DATELINE_LOG_FORMAT = "text"
    call("/healthz", x_request_id="plain-7")
    flush_request_lines()
    [line] = [line for line in capsys.readouterr().err.splitlines() if "plain-7" in line]
    assert line.endswith(" INFO dateline.requests [plain-7] GET /healthz 200")


def test_a_request_line_stays_one_json_object_whatever_the_path(db, capsys, settings):
    settings.DATELINE_LOG_FORMAT = "json"
    path = '/hy/"quoted"\\back\nnew-line\x00/Նորություններ/'
    # WSGI passes the path's UTF-8 bytes one character each.
    call(path.encode().decode("latin-1"), x_request_id="odd-path-1")
    flush_request_lines()
    [line] = [line for line in capsys.readouterr().err.splitlines() if "odd-path-1" in line]
    record = json.loads(line)
    assert record["path"] == path
    assert record["message"] == f"GET {path} {record['status']}"


def test_request_line_times_are_right_to_the_millisecond():
    from dateline.ops.logformat import iso_timestamp

    moment = 1764806919.851  # 2025-12-04T00:08:39.851 UTC
    assert iso_timestamp(moment) == "2025-12-04T00:08:39.851+00:00"
    assert iso_timestamp(moment + 0.0004) == "2025-12-04T00:08:39.851+00:00"
    assert iso_timestamp(moment + 0.149) == "2025-12-04T00:08:40.000+00:00"
    assert iso_timestamp(moment - 86400) == "2025-12-03T00:08:39.851+00:00"


def test_a_hostile_request_id_is_replaced(db):
    _, headers, _ = call("/healthz", x_request_id="evil\r\nSet-Cookie: x=1" + "a" * 500)
    assert "\n" not in headers["X-Request-ID"]
    assert len(headers["X-Request-ID"]) == 32


def test_a_request_without_an_id_gets_a_new_one_each_time(db):
    first = call("/healthz")[1]["X-Request-ID"]
    second = call("/healthz")[1]["X-Request-ID"]
    assert first != second


def test_a_forked_worker_writes_its_own_lines_and_not_its_parents_again(db):
    import os
    import subprocess
    import sys

    script = (
        "import os, time, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dateline.settings.base')\n"
        "django.setup()\n"
        "from dateline.ops import requestlog as r\n"
        "r._pending_lines.add(time.time(), 'GET', '/parent', 200, 0.1, 'p')\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    r._pending_lines.add(time.time(), 'GET', '/child', 200, 0.1, 'c')\n"
        "    time.sleep(0.3)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "time.sleep(0.2)\n"
    )
    environment = {**os.environ, "DATELINE_LOG_FORMAT": "json"}
    err = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True
    ).stderr
    paths = [json.loads(line)["path"] for line in err.splitlines() if line.startswith("{")]
    assert sorted(paths) == ["/child", "/parent"]


def test_a_forked_worker_never_hands_out_its_parents_request_ids(db):
    import os
    import subprocess
    import sys

    script = (
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dateline.settings.base')\n"
        "django.setup()\n"
        "from dateline.ops import requestlog as r\n"
        "r._request_id_for({})\n"
        "pid = os.fork()\n"
        "ids = [r._request_id_for({}) for _ in range(3)]\n"
        "if pid == 0:\n"
        "    print('child ' + ' '.join(ids), flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"  # one line at a time on the shared pipe
        "print('parent ' + ' '.join(ids), flush=True)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=dict(os.environ), capture_output=True, text=True
    ).stdout
    ids = {line.split()[0]: line.split()[1:] for line in out.splitlines()}
    assert set(ids) == {"parent", "child"}
    assert not set(ids["parent"]) & set(ids["child"])
    assert all(re.fullmatch(r"[0-9a-f]{32}", id_) for id_ in ids["parent"] + ids["child"])
    assert len(set(ids["child"])) == 3


@pytest.mark.django_db
def test_readyz_reports_the_rq_queue_too(settings, rq_queue):
    settings.DATELINE_WORKER_STALE_SECONDS = 120
    seen_ago("worker-host:1", 1)
    from dateline.news.tasks import publish_scheduled

    publish_scheduled.enqueue()
    publish_scheduled.enqueue()
    status, _, body = call("/readyz")
    assert status == 200
    assert body["background"]["queued"] == 2
    assert 0 <= body["background"]["oldest_queued_seconds"] < 60


def test_remembered_request_line_parts_stay_bounded_under_distinct_paths():
    from dateline.ops import requestlog

    for n in range(requestlog.MAX_REMEMBERED_MIDDLES * 3):
        line = requestlog.json_line(1764806919.0, "GET", f"/en/probe-{n}/", 404, 0.1, "id")
        assert json.loads(line)["path"] == f"/en/probe-{n}/"
    assert len(requestlog._json_middles) <= requestlog.MAX_REMEMBERED_MIDDLES


def test_many_waiting_request_lines_are_all_written_in_order(capsys, settings):
    from dateline.ops import requestlog

    settings.DATELINE_LOG_FORMAT = "text"
    flush_request_lines()
    capsys.readouterr()
    count = requestlog.LINES_PER_WRITE * 2 + 7
    for n in range(count):
        requestlog._pending_lines.add(1764806919.0, "GET", f"/en/many-{n}/", 200, 0.1, "many")
    flush_request_lines()
    paths = [line.split()[-2] for line in capsys.readouterr().err.splitlines() if "[many]" in line]
    assert paths == [f"/en/many-{n}/" for n in range(count)]
