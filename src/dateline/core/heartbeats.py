"""Background workers say they are alive by writing a row now and then; /readyz reads when
one was last heard from."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from .models import WorkerHeartbeat

# Rows of workers gone this long ago are removed by the next beat of any worker.
FORGET_AFTER = timedelta(days=1)


def beat(worker: str) -> None:
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker=worker).update(seen_at=now):
        WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": now})
        WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def last_seen() -> datetime | None:
    """When any worker was last heard from; None when none ever was (or long ago)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]


def workers_seen_since(moment: datetime) -> int:
    return WorkerHeartbeat.objects.filter(seen_at__gte=moment).count()


def workers_seen_after(moment: datetime) -> set[str]:
    """The names of the workers heard from after `moment`."""
    return set(WorkerHeartbeat.objects.filter(seen_at__gt=moment).values_list("worker", flat=True))
