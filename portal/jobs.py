"""Daily jobs that every app server may start, and that run once a day all the same.

`manage.py daily <job>` runs one of DAILY_JOBS (each an app's plain management command)
through `run_once_today`: the apps know nothing of servers, locks or schedules.

The same cron lines or systemd timers can then be installed on every server: when two
start a job at the same time, a PostgreSQL advisory lock lets one run and the other
skip; when a job already finished today (in TIME_ZONE), a later start skips too, unless
`--force`. Each skip is one INFO line saying why. A job that failed or was killed has
not finished: the next start runs it (the lock goes with the dead connection).
SQLite has no advisory locks: it serves one process at a time anyway.
"""

import logging
import os
import socket
import time
import zlib
from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger("passerelles.jobs")

# What the timers and cron lines start, with when each is scheduled (Europe/Paris; a weekly
# one names its day). docs/systemd/, docs/deployment.md and the Procfile say the same, and a
# test checks it. Whatever the schedule, a job runs at most once a day.
DAILY_JOBS = {
    "refresh_hours": "00:05",
    "refresh_indicators": "03:15",
    "purge_personal_data": "03:30",
    "expire_referrals": "06:15",
    "send_referral_reminders": "06:30",
    "send_daily_digest": "07:00",
    "send_freshness_requests": "Mon..Fri 07:30",
    "invite_survey": "Mon 09:00",
}

# The first half of every advisory lock key of ours ("PASS"), the job's name the second.
LOCK_NAMESPACE = 0x50415353


def lock_key(name: str) -> int:
    """A stable signed 32-bit key for the job's name."""
    key = zlib.crc32(name.encode())
    return key - 2**32 if key >= 2**31 else key


@contextmanager
def advisory_lock(name: str):
    """Yields True when this process holds the job's lock, False when another one does."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, lock_key(name)])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, lock_key(name)]
                    )
            except DatabaseError:
                pass  # the connection is gone, and the lock with it


def run_once_today(name: str, run, *, force: bool = False, say=None) -> bool:
    """Run `run()` as the daily job `name` unless another server runs it now or it already
    finished today; True when it ran. `say` receives the one line a skip is worth."""
    say = say or (lambda message: None)
    with advisory_lock(name) as acquired:
        if not acquired:
            _skip(say, f"{name} skipped: another server is running it right now")
            return False
        last = JobRun.objects.filter(name=name).first()
        if (
            last is not None
            and timezone.localdate(last.finished_at) == timezone.localdate()
            and not force
        ):
            finished = timezone.localtime(last.finished_at)
            _skip(
                say,
                f"{name} skipped: already done today at {finished:%H:%M} on {last.host} "
                "(--force runs it again)",
            )
            return False
        started_at, started = timezone.now(), time.monotonic()
        run()
        JobRun.objects.update_or_create(
            name=name,
            defaults={
                "started_at": started_at,
                "finished_at": timezone.now(),
                "host": f"{socket.gethostname()} (pid {os.getpid()})",
            },
        )
        logger.info("%s done in %.1f s", name, time.monotonic() - started)
        return True


def _skip(say, message: str) -> None:
    logger.info(message)
    say(message)
