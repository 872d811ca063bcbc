import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.base")

django_application = get_wsgi_application()

from dateline.analytics.fastpath import BeaconFastPath  # noqa: E402 (needs Django set up)

application = BeaconFastPath(django_application)
