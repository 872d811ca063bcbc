"""The admin's "Background jobs" report (Reports → Background jobs) and its retry button.
What the queue holds comes from ops/jobs.py; these views only show it and pass a retry on."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from . import jobs
from .models import VIEW_BACKGROUND_JOBS

STATE_LABELS = {
    jobs.QUEUED: _("Queued"),
    jobs.RUNNING: _("Running"),
    jobs.FAILED: _("Failed"),
    jobs.SUCCEEDED: _("Recently succeeded"),
}
DEFAULT_STATE = jobs.FAILED
# Succeeded jobs are only a sign of life: the newest few are enough.
LIMITS = {jobs.QUEUED: 100, jobs.RUNNING: 100, jobs.FAILED: 100, jobs.SUCCEEDED: 20}


def can_see_jobs(request: HttpRequest) -> bool:
    return request.user.has_perm(VIEW_BACKGROUND_JOBS)


class TaskColumn(Column):
    cell_template_name = "ops/cells/task.html"


class ErrorColumn(Column):
    cell_template_name = "ops/cells/error.html"


class RetryColumn(Column):
    cell_template_name = "ops/cells/retry.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        # Cells are rendered without the request's context: the form needs its token.
        context["csrf_token"] = get_token(parent_context["request"])
        return context


def columns_for(state: str) -> list[Column]:
    task = TaskColumn("label", label=_("Task"))
    if state == jobs.QUEUED:
        return [task, DateColumn("enqueued_at", label=_("Waiting since"))]
    if state == jobs.RUNNING:
        return [
            task,
            DateColumn("started_at", label=_("Running since")),
            Column("worker", label=_("Worker")),
        ]
    if state == jobs.FAILED:
        return [
            task,
            DateColumn("finished_at", label=_("Failed at")),
            ErrorColumn("error_message", label=_("Error")),
            RetryColumn("id", label=_("Retry")),
        ]
    return [task, DateColumn("finished_at", label=_("Finished at"))]


class BackgroundJobsView(ReportView):
    page_title = _("Background jobs")
    header_icon = "cogs"
    template_name = "ops/jobs_report.html"
    results_template_name = "ops/jobs_report_results.html"
    index_url_name = "ops_background_jobs"
    index_results_url_name = "ops_background_jobs"
    paginate_by = None
    no_results_message = _("No background jobs in this state.")

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        # Reports can be downloaded as spreadsheets; a list of jobs that changes by the
        # second, with tracebacks in it, is not one to hand around.
        self.is_export = False

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_see_jobs(request):
            raise PermissionDenied
        if self.state not in jobs.STATES:
            return HttpResponseBadRequest(
                gettext("Unknown state: choose queued, running, failed or succeeded."),
                content_type="text/plain; charset=utf-8",
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def state(self) -> str:
        return self.request.GET.get("state") or DEFAULT_STATE

    @cached_property
    def columns(self) -> list[Column]:
        return columns_for(self.state)

    def get_queryset(self) -> list[jobs.Job]:
        return jobs.list_jobs(self.state, LIMITS[self.state])

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        counts = jobs.count_jobs()
        base = reverse(self.index_url_name)
        context["state"] = self.state
        context["states"] = [
            {
                "name": state,
                "label": STATE_LABELS[state],
                "count": counts[state],
                "url": f"{base}?state={state}",
                "active": state == self.state,
            }
            for state in jobs.STATES
        ]
        context["state_count"] = counts[self.state]
        context["shown"] = len(context["object_list"])
        return context


@require_POST
def retry_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """Queue a failed job again. POST only (CSRF-checked by the middleware); a job that is
    not on the failed list, because it never was or was retried already, answers 404; an
    attempt whose next attempt is queued already answers 409."""
    if not can_see_jobs(request):
        raise PermissionDenied
    try:
        jobs.retry(job_id)
    except jobs.JobNotFound as missing:
        context = {
            "page_title": gettext("Background jobs"),
            "header_icon": "cogs",
            "tried_again": isinstance(missing, jobs.TriedAgainAlready),
        }
        status = 409 if context["tried_again"] else 404
        return TemplateResponse(request, "ops/job_gone.html", context, status=status)
    messages.success(request, gettext("The job is queued again."))
    return redirect(f"{reverse('ops_background_jobs')}?state={jobs.FAILED}")
