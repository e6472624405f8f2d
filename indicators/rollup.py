"""Nightly daily counts: every tally (metrics/tallies.py), counted per local day once a night.

Run by `manage.py refresh_indicators` (cron or systemd timer, see docs/indicateurs.md).
For the days before the run, the dashboard without commune or sector filter reads these
counts; the current day, and every filtered view, are counted live. Both use the same
querysets, hence the same rules (the rupture rule of the counter tool included): the daily
counts are the figures as they stood at the last run.
"""

import time
from collections import Counter

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from .metrics import METRICS, Scope, Tally
from .models import DailyCount, Indicator, RollupState
from .periods import Period, local_tz

BATCH = 5_000


def all_tallies() -> list[Tally]:
    tallies = {
        tally.series: tally
        for metric in METRICS.values()
        if metric.key != "targeted_beneficiaries"
        for tally in metric.tallies_for(None)
    }
    targeted = METRICS["targeted_beneficiaries"]
    for indicator in Indicator.objects.filter(metric=targeted.key).prefetch_related("sectors"):
        for tally in targeted.tallies_for(indicator):
            tallies[tally.series] = tally
    return list(tallies.values())


def horizons() -> tuple[dict, object]:
    """Series → first day not counted, and the oldest refresh time: one query per page."""
    states = list(RollupState.objects.values_list("series", "complete_until", "refreshed_at"))
    oldest = min((refreshed for _s, _d, refreshed in states), default=None)
    return {series: day for series, day, _r in states}, oldest


def refresh_tally(tally: Tally, *, today=None) -> int:
    """Recount every day before today, for the territory and each slice; return the rows."""
    today = today or timezone.localdate()
    before, _end = Period("custom", today, today).bounds()
    everything = Scope(Period("custom", today, today))
    counted = (
        tally.rows(everything)
        .filter(**{f"{tally.date_field}__lt": before})
        .annotate(_day=TruncDate(tally.date_field, tzinfo=local_tz()))
    )
    commune_path = tally.slices.get("commune")
    sector_path = tally.slices.get("sector")
    with transaction.atomic():
        DailyCount.objects.filter(series=tally.series).delete()
        writer = _Writer(tally, today)
        # One pass gives the communes' counts and, added up, the territory's.
        group = ("_day", *tally.key_fields, *([commune_path] if commune_path else []))
        for row in counted.values(*group).annotate(n=Count("pk")).order_by().iterator(BATCH):
            key = tally.key_of(row)
            writer.add("", row["_day"], key, row["n"])
            if commune_path and row[commune_path] is not None:
                writer.add(f"c{row[commune_path]}", row["_day"], key, row["n"])
        if sector_path:
            group = ("_day", *tally.key_fields, sector_path)
            for row in counted.values(*group).annotate(n=Count("pk")).order_by().iterator(BATCH):
                if row[sector_path] is not None:
                    writer.add(f"s{row[sector_path]}", row["_day"], tally.key_of(row), row["n"])
        if sector_path and commune_path:
            # A commune and a sector together: whole months only (a year reads 24 rows per
            # key; the days of a month are few enough to count live).
            group = ("_day", *tally.key_fields, commune_path, sector_path)
            for row in counted.values(*group).annotate(n=Count("pk")).order_by().iterator(BATCH):
                if row[sector_path] is not None and row[commune_path] is not None:
                    combined = f"c{row[commune_path]}s{row[sector_path]}"
                    writer.add(combined, row["_day"], tally.key_of(row), row["n"], days=False)
        written = writer.close()
        RollupState.objects.update_or_create(
            series=tally.series,
            defaults={"complete_until": today, "refreshed_at": timezone.now()},
        )
    return written


class _Writer:
    """Adds up the counts per (slice, day, key) and per whole month, then writes them."""

    def __init__(self, tally: Tally, today):
        self.tally, self.today = tally, today
        self.days, self.months = Counter(), Counter()

    def add(self, slice_: str, day, key: str, n: int, *, days: bool = True) -> None:
        if days:
            self.days[(slice_, day, key)] += n
        self.months[(slice_, day.replace(day=1), key)] += n

    def close(self) -> int:
        this_month = self.today.replace(day=1)
        counts = [
            DailyCount(series=self.tally.series, slice=slice_, day=day, key=key, n=n)
            for (slice_, day, key), n in self.days.items()
        ]
        # Whole months only: the current month is still being counted.
        counts += [
            DailyCount(
                series=self.tally.series, slice=slice_, is_month=True, day=month, key=key, n=n
            )
            for (slice_, month, key), n in self.months.items()
            if month < this_month
        ]
        DailyCount.objects.bulk_create(counts, batch_size=BATCH)
        return len(counts)


def refresh(*, today=None, log=None) -> dict[str, int]:
    """Recount every series; drop the series no indicator uses any more."""
    tallies = all_tallies()
    done = {}
    for tally in tallies:
        started = time.monotonic()
        done[tally.series] = refresh_tally(tally, today=today)
        if log:
            log(
                f"{tally.series} : {done[tally.series]} lignes "
                f"en {time.monotonic() - started:.1f} s"
            )
    with transaction.atomic():
        DailyCount.objects.exclude(series__in=done).delete()
        RollupState.objects.exclude(series__in=done).delete()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses the new rows wrong until autovacuum.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DailyCount._meta.db_table}")
    return done
