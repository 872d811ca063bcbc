"""Hidden searches: terms editors keep off the popular list; Editors may manage them."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")


def let_editors_hide_searches(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    create_permissions(global_apps.get_app_config("dateline_search"), apps=apps, verbosity=0)
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is None:
        return
    Permission = apps.get_model("auth", "Permission")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dateline_search",
            codename__in=[f"{action}_hiddensearchterm" for action in ACTIONS],
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('dateline_search', '0004_narrow_document'),
        ('news', '0002_newsroom_groups'),
    ]

    operations = [
        migrations.CreateModel(
            name='HiddenSearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(help_text='Hidden from popular searches in every language, whoever searches for it.', max_length=100, unique=True, verbose_name='search')),
                ('hidden_at', models.DateTimeField(auto_now_add=True, verbose_name='hidden at')),
            ],
            options={
                'verbose_name': 'hidden search',
                'verbose_name_plural': 'hidden searches',
                'db_table': 'dateline_search_hidden_term',
                'ordering': ['query'],
            },
        ),
        migrations.RunPython(let_editors_hide_searches, migrations.RunPython.noop),
    ]
