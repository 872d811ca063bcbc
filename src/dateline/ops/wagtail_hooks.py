"""The "Background jobs" report in the admin: its addresses, its place under Reports, and
its permission in Settings → Groups."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


class BackgroundJobsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.can_see_jobs(request)


@hooks.register("register_admin_urls")
def background_jobs_urls():
    return [
        path(
            "reports/background-jobs/",
            views.BackgroundJobsView.as_view(),
            name="ops_background_jobs",
        ),
        path("reports/background-jobs/<str:job_id>/retry/", views.retry_job, name="ops_retry_job"),
    ]


@hooks.register("register_reports_menu_item")
def background_jobs_menu_item():
    return BackgroundJobsMenuItem(
        _("Background jobs"),
        reverse("ops_background_jobs"),
        name="background-jobs",
        icon_name="cogs",
        order=1300,
    )


@hooks.register("register_permissions")
def background_jobs_permission():
    return Permission.objects.filter(content_type__app_label="ops", codename="view_background_jobs")
