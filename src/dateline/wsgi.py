"""The WSGI application, outermost layer first:

RequestLog      one log line per request, request id (core/requestlog.py)
HealthChecks    /healthz and /readyz (core/health.py)
PageCache       readers' pages from cached bytes (pagecache/layer.py)
BeaconFastPath  view beacons (analytics/fastpath.py)
Django
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.base")

django_application = get_wsgi_application()

# These need Django set up.
from django.conf import settings  # noqa: E402

from dateline.analytics.fastpath import BeaconFastPath  # noqa: E402
from dateline.ops.health import HealthChecks  # noqa: E402
from dateline.ops.memory import start_returning_freed_memory  # noqa: E402
from dateline.ops.requestlog import RequestLog  # noqa: E402
from dateline.pagecache.runtime import wrap as behind_page_cache  # noqa: E402

# Outermost first: every request is logged; health checks never touch the page cache;
# cached pages are answered before the beacon layer and Django.
application = RequestLog(HealthChecks(behind_page_cache(BeaconFastPath(django_application))))

# Each web process hands the memory it has freed back to the system now and then.
start_returning_freed_memory(settings.DATELINE_MEMORY_RETURN_SECONDS)
