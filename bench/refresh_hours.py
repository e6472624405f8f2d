"""Benchmark: the nightly `refresh_hours` over a large directory, and the cost of notices.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_bench \
        .venv/bin/python bench/refresh_hours.py --notices 500

Uses the services already in the database (see bench/search.py --generate). Prints the time
of a run where nothing changed, then of a run after `--notices` closures starting today (each
of those services rewrites its slots and its search document), then removes the notices.
"""

import argparse
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CACHE_URL", "dummy://")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from services_directory.hours import local_now  # noqa: E402
from services_directory.models import Notice, Service  # noqa: E402


def run() -> tuple[float, str]:
    out = io.StringIO()
    started = time.perf_counter()
    call_command("refresh_hours", stdout=out)
    return time.perf_counter() - started, out.getvalue().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notices", type=int, default=500)
    args = parser.parse_args()
    connection.force_debug_cursor = False
    total = Service.objects.published().count()
    print(f"{total} published services, load average {os.getloadavg()[0]:.2f}")
    run()  # the first run may catch up with a window computed on another day
    seconds, said = run()
    print(f"nothing changed: {seconds:.1f} s ({said})")
    today = local_now().date()
    ids = list(
        Service.objects.published()
        .filter(opening_slots__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[: args.notices]
    )
    Notice.objects.bulk_create(
        Notice(
            service_id=pk,
            kind=Notice.Kind.CLOSURE,
            reason="bench",
            start=today,
            end=today + dt.timedelta(days=10),
        )
        for pk in ids
    )
    seconds, said = run()
    print(f"{len(ids)} closures from today: {seconds:.1f} s ({said})")
    Notice.objects.filter(reason="bench").delete()
    seconds, said = run()
    print(f"closures removed again: {seconds:.1f} s ({said})")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
