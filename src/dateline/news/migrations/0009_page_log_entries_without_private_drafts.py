"""Site history lists page entries through a proxy that leaves out private drafts."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_author_user"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="DraftPrivacyPageLogEntry",
            fields=[],
            options={
                "proxy": True,
                "default_permissions": (),
                "indexes": [],
                "constraints": [],
            },
            bases=("wagtailcore.pagelogentry",),
        ),
    ]
