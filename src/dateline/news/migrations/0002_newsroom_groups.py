"""The newsroom's two roles: Contributors write and submit; Editors publish everywhere."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
CONTRIBUTOR_COLLECTION_PERMISSIONS = ["add_image", "choose_image", "add_document", "choose_document"]
EDITOR_COLLECTION_PERMISSIONS = CONTRIBUTOR_COLLECTION_PERMISSIONS + [
    "change_image",
    "delete_image",
    "change_document",
    "delete_document",
]
CONTRIBUTOR_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin"), ("news", "view_author")]
EDITOR_MODEL_PERMISSIONS = CONTRIBUTOR_MODEL_PERMISSIONS + [
    ("news", "add_author"),
    ("news", "change_author"),
    ("news", "delete_author"),
    ("core", "change_sitesettings"),
    ("simple_translation", "submit_translation"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for label in ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "news", "core", "simple_translation"):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    roles = [
        ("Contributors", CONTRIBUTOR_PAGE_PERMISSIONS, CONTRIBUTOR_COLLECTION_PERMISSIONS, CONTRIBUTOR_MODEL_PERMISSIONS),
        ("Editors", EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS, EDITOR_MODEL_PERMISSIONS),
    ]
    for name, page_perms, collection_perms, model_perms in roles:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in model_perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        for codename in page_perms:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
        for codename in collection_perms:
            app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Contributors", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
