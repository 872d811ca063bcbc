"""Editors run the newsletters: lists, editions (preview, send), and subscribers (view,
export, remove)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    "view_newsletterlist",
    "add_newsletterlist",
    "change_newsletterlist",
    "delete_newsletterlist",
    "view_edition",
    "add_edition",
    "change_edition",
    "view_subscriber",
    "delete_subscriber",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    create_permissions(global_apps.get_app_config("newsletters"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="newsletters", codename__in=EDITOR_CODENAMES
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="newsletters")
        )


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0001_initial"), ("news", "0002_newsroom_groups")]

    operations = [migrations.RunPython(grant, revoke)]
