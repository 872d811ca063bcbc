from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Installed for the admin's operations pages (the "Background jobs" report) and the
    permission that opens them; the rest of ops is plain modules called by cli.py."""

    name = "dateline.ops"
    label = "ops"
    verbose_name = _("Operations")
