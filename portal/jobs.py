"""Daily jobs that every app server may start, and that run once a day all the same.

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

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger("passerelles.jobs")

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


class DailyJobCommand(BaseCommand):
    """A management command run each day by cron or a systemd timer: write `run()`."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.help = (
            f"{cls.help} Une fois par jour : lancée sur plusieurs serveurs en même temps, ou "
            "de nouveau le même jour, elle ne tourne qu'une fois (--force pour la relancer)."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Lancer même si la tâche a déjà tourné aujourd'hui.",
        )

    @property
    def job_name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    def handle(self, *args, **options):
        name = self.job_name
        with advisory_lock(name) as acquired:
            if not acquired:
                self._skip(f"{name} skipped: another server is running it right now")
                return
            last = JobRun.objects.filter(name=name).first()
            if (
                last is not None
                and timezone.localdate(last.finished_at) == timezone.localdate()
                and not options["force"]
            ):
                finished = timezone.localtime(last.finished_at)
                self._skip(
                    f"{name} skipped: already done today at {finished:%H:%M} on {last.host} "
                    "(--force runs it again)"
                )
                return
            started_at, started = timezone.now(), time.monotonic()
            self.run(**options)
            JobRun.objects.update_or_create(
                name=name,
                defaults={
                    "started_at": started_at,
                    "finished_at": timezone.now(),
                    "host": f"{socket.gethostname()} (pid {os.getpid()})",
                },
            )
            logger.info("%s done in %.1f s", name, time.monotonic() - started)

    def run(self, **options) -> None:
        raise NotImplementedError

    def _skip(self, message: str) -> None:
        logger.info(message)
        self.stdout.write(message)
