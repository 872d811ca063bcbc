"""The WSGI application, outermost layer first:

RequestLog      one log line per request, request id (core/requestlog.py)
HealthChecks    /healthz and /readyz (core/health.py)
BeaconFastPath  view beacons (analytics/fastpath.py)
Django
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.base")

django_application = get_wsgi_application()

# These need Django set up.
from dateline.analytics.fastpath import BeaconFastPath  # noqa: E402
from dateline.core.health import HealthChecks  # noqa: E402
from dateline.core.requestlog import RequestLog  # noqa: E402

application = RequestLog(HealthChecks(BeaconFastPath(django_application)))
