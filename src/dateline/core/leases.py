"""Leases: a row per job, taken with one conditional UPDATE, so it works the same on
SQLite and PostgreSQL and across machines."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import PeriodicSlot, WorkerLease


def acquire_lease(name: str, holder: str, duration: timedelta) -> bool:
    """Take or renew the lease; False while another holder's lease has not expired."""
    now = timezone.now()
    if not WorkerLease.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                WorkerLease.objects.create(name=name, holder="", expires_at=now)
        except IntegrityError:
            pass  # another runner created it first; the UPDATE below decides
    taken = (
        WorkerLease.objects.filter(name=name)
        .filter(Q(expires_at__lte=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + duration)
    )
    return taken == 1


def release_lease(name: str, holder: str) -> None:
    WorkerLease.objects.filter(name=name, holder=holder).update(
        holder="", expires_at=timezone.now()
    )


def claim_slot(name: str, slot: int) -> bool:
    """Record that the job `name` is queued for time slot `slot`; False when that slot (or
    a later one) was claimed already. Call it in the transaction that queues the job, so
    that a failed enqueue gives the slot back."""
    if not PeriodicSlot.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                PeriodicSlot.objects.create(name=name, slot=slot - 1)
        except IntegrityError:
            pass  # another enqueuer created it first; the UPDATE below decides
    return PeriodicSlot.objects.filter(name=name, slot__lt=slot).update(slot=slot) == 1
