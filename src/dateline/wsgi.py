import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.base")

django_application = get_wsgi_application()

# Both layers need Django set up.
from dateline.analytics.fastpath import BeaconFastPath  # noqa: E402
from dateline.pagecache.runtime import wrap as behind_page_cache  # noqa: E402

application = behind_page_cache(BeaconFastPath(django_application))
