"""The admin's "Background jobs" report: what an operator sees of the queue (queued, running,
failed with its error, recently succeeded) and the retry button, on the database queue and
on RQ (the RQ test queue of tests/conftest.py)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from dateline.core.retries import retrying
from dateline.news.tasks import publish_scheduled
from dateline.ops import jobs
from dateline.ops.wagtail_hooks import BackgroundJobsMenuItem
from dateline.ops.worker import run_task_worker

REPORT = "/admin/reports/background-jobs/"
WIRE = {"down": True}


@task()
def fetch_wire(feed: str, *, attempt: int = 1) -> str:
    """Fails while the (pretend) wire service is down."""
    if WIRE["down"]:
        raise ConnectionError(f"the wire {feed} did not answer")
    return feed


@task()
@retrying(attempts=3, first_delay=3600)
def fetch_wire_patiently(feed: str) -> str:
    """The same, tried again an hour after a failure."""
    return fetch_wire.call(feed)


@pytest.fixture(autouse=True)
def wire_down():
    WIRE["down"] = True
    yield
    WIRE["down"] = True


@pytest.fixture
def database_queue(settings, db):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.DATELINE_TASKS = "database"


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser(
        "olga", "olga@example.org", "pass-for-tests-123"
    )


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def a_failed_job(worker: str = "test-worker") -> jobs.Job:
    fetch_wire.enqueue("reuters", attempt=2)
    run_task_worker(worker, burst=True)
    [failed] = jobs.list_jobs(jobs.FAILED)
    return failed


def retry_url(job_id: str) -> str:
    return reverse("ops_retry_job", args=[job_id])


# --- the database queue ----------------------------------------------------------------


@pytest.mark.engine
def test_a_failed_task_shows_its_error_and_retry_queues_it_again_once(
    database_queue, operator_client
):
    failed = a_failed_job()
    assert failed.exception_class == "builtins.ConnectionError"
    assert failed.error_message == "the wire reuters did not answer"

    page = operator_client.get(REPORT, {"state": "failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "ConnectionError" in html
    assert "the wire reuters did not answer" in html
    assert "<details>" in html and "Traceback (most recent call last)" in html
    assert retry_url(failed.id) in html
    assert "Failed (1)" in html

    answer = operator_client.post(retry_url(failed.id))
    assert answer.status_code == 302
    assert operator_client.get(answer["Location"]).status_code == 200
    assert jobs.list_jobs(jobs.FAILED) == []
    [queued] = jobs.list_jobs(jobs.QUEUED)
    assert queued.task_path == fetch_wire.module_path
    row = DBTaskResult.objects.get(pk=queued.id)
    assert row.args_kwargs == {"args": ["reuters"], "kwargs": {"attempt": 2}}

    # A second press of the button (a double click) queues nothing more.
    again = operator_client.post(retry_url(failed.id))
    assert again.status_code == 404
    assert "retried already" in again.content.decode()
    assert len(jobs.list_jobs(jobs.QUEUED)) == 1

    WIRE["down"] = False
    run_task_worker("test-worker", burst=True)
    assert jobs.count_jobs() == {"queued": 0, "running": 0, "failed": 0, "succeeded": 1}
    page = operator_client.get(REPORT, {"state": "succeeded"})
    assert fetch_wire.module_path in page.content.decode()


@pytest.mark.engine
def test_queued_and_running_jobs_show_how_long_and_where(database_queue, operator_client):
    publish_scheduled.enqueue()
    running = publish_scheduled.enqueue()
    DBTaskResult.objects.get(pk=running.id).claim("newsroom-1:4242")

    [queued] = jobs.list_jobs(jobs.QUEUED)
    assert queued.label == "Scheduled publishing"
    assert queued.enqueued_at is not None
    page = operator_client.get(REPORT, {"state": "queued"}).content.decode()
    assert "Scheduled publishing" in page
    assert "Queued (1)" in page and "Running (1)" in page

    page = operator_client.get(REPORT, {"state": "running"}).content.decode()
    assert "newsroom-1:4242" in page
    assert "Running since" in page


@pytest.mark.engine
def test_a_task_without_a_label_shows_its_path(database_queue, operator_client):
    failed = a_failed_job()
    assert failed.label == "tests.ops.test_jobs_report.fetch_wire"


@pytest.mark.engine
def test_retry_takes_only_post_and_only_failed_jobs(database_queue, operator_client):
    failed = a_failed_job()
    assert operator_client.get(retry_url(failed.id)).status_code == 405

    queued = publish_scheduled.enqueue()
    for job_id in ["not-a-job", str(uuid.uuid4()), str(queued.id)]:
        answer = operator_client.post(retry_url(job_id))
        assert answer.status_code == 404, job_id
        assert "no longer exists" in answer.content.decode()
    assert [job.id for job in jobs.list_jobs(jobs.FAILED)] == [failed.id]


@pytest.mark.engine
def test_retry_needs_the_forms_csrf_token(database_queue, operator):
    failed = a_failed_job()
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    assert client.post(retry_url(failed.id)).status_code == 403
    assert [job.id for job in jobs.list_jobs(jobs.FAILED)] == [failed.id]


def test_an_unknown_state_is_refused_with_a_message(database_queue, operator_client):
    answer = operator_client.get(REPORT, {"state": "exploded"})
    assert answer.status_code == 400
    assert "choose queued, running, failed or succeeded" in answer.content.decode()


def test_the_report_lists_failed_jobs_first(database_queue, operator_client):
    page = operator_client.get(REPORT)
    assert page.status_code == 200
    assert 'aria-current="page" data-job-state="failed"' in page.content.decode()
    assert "No background jobs in this state." in page.content.decode()
    # Not offered as a spreadsheet: the page itself answers.
    page = operator_client.get(REPORT, {"export": "csv"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")


@pytest.mark.engine
def test_a_contributor_neither_sees_the_report_nor_retries(database_queue, client, contributor, rf):
    failed = a_failed_job()
    client.force_login(contributor)

    answer = client.get(REPORT)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("wagtailadmin_home")
    assert client.post(retry_url(failed.id)).status_code == 302
    assert [job.id for job in jobs.list_jobs(jobs.FAILED)] == [failed.id]

    request = rf.get("/admin/")
    request.user = contributor
    assert not BackgroundJobsMenuItem("", REPORT).is_shown(request)


def test_the_permission_opens_the_report_to_a_group(database_queue, client, editor, rf):
    request = rf.get("/admin/")
    request.user = editor
    assert client.get(REPORT).status_code == 302  # signed out: the sign-in page
    client.force_login(editor)
    assert client.get(REPORT).status_code == 302

    Group.objects.get(name="Editors").permissions.add(
        Permission.objects.get(content_type__app_label="ops", codename="view_background_jobs")
    )
    editor = get_user_model().objects.get(pk=editor.pk)  # permissions are cached per object
    request.user = editor
    assert BackgroundJobsMenuItem("", REPORT).is_shown(request)
    client.force_login(editor)
    assert client.get(REPORT).status_code == 200


def test_the_report_speaks_the_operators_language(database_queue, operator_client, operator):
    profile = UserProfile.get_for_user(operator)
    profile.preferred_language = "ru"
    profile.save()
    page = operator_client.get(REPORT).content.decode()
    assert "Фоновые задачи" in page
    assert "С ошибкой" in page


# --- RQ on Redis ---------------------------------------------------------------------------


def test_rq_a_failed_job_shows_its_error_and_retry_requeues_it_once(rq_queue):
    failed = a_failed_job("test-rq-worker")
    assert failed.exception_class == "builtins.ConnectionError"
    assert failed.error_message == "the wire reuters did not answer"
    assert "Traceback" in failed.traceback
    assert jobs.count_jobs()["failed"] == 1

    assert jobs.retry(failed.id) == failed.id
    assert jobs.list_jobs(jobs.FAILED) == []
    assert [job.id for job in jobs.list_jobs(jobs.QUEUED)] == [failed.id]
    assert rq_queue.llen("rq:queue:default") == 1
    with pytest.raises(jobs.JobNotFound):
        jobs.retry(failed.id)  # the double click
    with pytest.raises(jobs.JobNotFound):
        jobs.retry("no-such-job")
    assert rq_queue.llen("rq:queue:default") == 1

    WIRE["down"] = False
    run_task_worker("test-rq-worker", burst=True)
    counts = jobs.count_jobs()
    assert counts == {"queued": 0, "running": 0, "failed": 0, "succeeded": 1}
    [done] = jobs.list_jobs(jobs.SUCCEEDED)
    assert done.id == failed.id and done.finished_at is not None


def test_rq_the_report_and_its_retry_button(rq_queue, operator_client):
    failed = a_failed_job("test-rq-worker")
    page = operator_client.get(REPORT, {"state": "failed"}).content.decode()
    assert "the wire reuters did not answer" in page
    assert retry_url(failed.id) in page

    assert operator_client.post(retry_url(failed.id)).status_code == 302
    page = operator_client.get(REPORT, {"state": "queued"}).content.decode()
    assert "Queued (1)" in page and "Failed (0)" in page
    assert operator_client.post(retry_url(failed.id)).status_code == 404


# --- both queues ------------------------------------------------------------------------


@pytest.mark.xdist_group("rq-queue")  # its RQ case empties the RQ tests' queue
@pytest.mark.parametrize("queue", ["database_queue", "rq_queue"])
def test_an_attempt_already_tried_again_offers_no_second_retry(request, queue, operator_client):
    request.getfixturevalue(queue)
    fetch_wire_patiently.enqueue("reuters")
    run_task_worker("test-worker", burst=True)

    [failed] = jobs.list_jobs(jobs.FAILED)
    assert failed.tried_again
    assert "attempt 1 of 3 failed (ConnectionError: the wire reuters did not answer)" in (
        failed.error_message
    )
    [next_attempt] = jobs.list_jobs(jobs.QUEUED)  # waiting its hour
    assert next_attempt.id != failed.id

    page = operator_client.get(REPORT, {"state": "failed"}).content.decode()
    assert "Tried again automatically" in page
    assert retry_url(failed.id) not in page

    answer = operator_client.post(retry_url(failed.id))
    assert answer.status_code == 409
    assert "next attempt is queued already" in answer.content.decode()
    assert [job.id for job in jobs.list_jobs(jobs.QUEUED)] == [next_attempt.id]
    assert jobs.count_jobs()["queued"] == 1
