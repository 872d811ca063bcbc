"""Who uses the wire: Editors run the sources and Incoming; Contributors use Incoming."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Contributors": ["view_incomingitem", "use_incoming"],
    "Editors": [
        "view_incomingitem",
        "use_incoming",
        "view_source",
        "add_source",
        "change_source",
        "delete_source",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    create_permissions(global_apps.get_app_config("ingest"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="ingest", codename__in=codenames)
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="ingest"))


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_initial"), ("news", "0002_newsroom_groups")]

    operations = [migrations.RunPython(grant, revoke)]
