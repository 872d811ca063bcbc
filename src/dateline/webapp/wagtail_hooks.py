from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import PushAlertViewSet, ReadOnlyPolicy
from .models import PushAlert

register_permission_policy(PushAlert, ReadOnlyPolicy(PushAlert))


@hooks.register("register_admin_viewset")
def register_push_alerts():
    return PushAlertViewSet("push_alerts")
