"""Outages of the database or of the shared cache, logged once rather than once per request.

While PostgreSQL is down every request fails the same way: the first failure logs one
WARNING, the first success afterwards one INFO with how long it lasted, and the requests
in between log nothing (they get the friendly 503 page). The state is per process, so
each gunicorn worker that met the outage logs its own pair of lines.
"""

import logging
import os
import threading
from time import monotonic

from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache

logger = logging.getLogger("passerelles.outage")


def _one_line(error: BaseException) -> str:
    # psycopg's messages span several lines ("Is the server running on that host…").
    return " ".join(str(error).split()) or error.__class__.__name__


class Outage:
    def __init__(self, what: str, meanwhile: str):
        self.what, self.meanwhile = what, meanwhile
        self.since: float | None = None
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> None:
        with self._lock:
            if self.since is not None:
                return
            self.since = monotonic()
        logger.warning(
            "%s unreachable: %s (process %s %s until it is back)",
            self.what,
            _one_line(error),
            os.getpid(),
            self.meanwhile,
            extra={"outage": self.what, "event": "down"},
        )

    def succeeded(self) -> None:
        if self.since is None:  # the usual case, without taking the lock
            return
        with self._lock:
            if self.since is None:
                return
            seconds = monotonic() - self.since
            self.since = None
        logger.info(
            "%s reachable again after %.1f s (process %s)",
            self.what,
            seconds,
            os.getpid(),
            extra={"outage": self.what, "event": "up", "duration_s": round(seconds, 1)},
        )


database = Outage("database", "answers 503")
_shared_cache = Outage("shared cache", "serves pages without it")


def database_failed(request, error: BaseException) -> None:
    """The database failed this request: it proves nothing about the database being back."""
    request.database_failed = True
    database.failed(error)


def of_cache() -> Outage:
    """The outage a failure of the shared cache belongs to: the database's, if it lives there."""
    return database if isinstance(caches["default"], BaseDatabaseCache) else _shared_cache
