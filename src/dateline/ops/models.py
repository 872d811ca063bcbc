from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW_BACKGROUND_JOBS = "ops.view_background_jobs"


class BackgroundJobs(models.Model):
    """No table: this model only carries the permission to see the "Background jobs"
    report and retry failed jobs, the way Wagtail's own "access admin" permission is
    carried. A permission needs a content type, and a content type needs a model."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_background_jobs", _("Can see background jobs and retry failed ones")),
        ]
        verbose_name = _("background jobs")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
