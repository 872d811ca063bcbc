"""Running a Dateline site: setting it up, the background worker, backups, health checks and
request logs. These stand beside the apps (they reach into several of them) and are
called by `dateline.cli` and `dateline.wsgi`; no app imports them."""
