"""What every metric is made of: its scope, its series, and the SQL grouping behind them.

A metric gives a `Series` for the dashboard (the period's value, the previous period's,
and one value per day or month for the small chart) and `tables()` for its own page. Every
aggregate is computed in SQL (grouped or conditional counts): a few queries per metric,
whatever the number of orientations. The querysets themselves come from the families of
metrics (referrals.py, pathways.py…) and from the tallies (tallies.py).
"""

import datetime as dt
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import TruncDay, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from services_directory.models import Commune, Sector

from .. import secrecy
from ..periods import Period, local_tz
from ..tables import TEXT, Column, Table


@dataclass(frozen=True)
class Scope:
    """What the figures are about: a period, and optionally a commune and a sector."""

    period: Period
    commune: Commune | None = None
    sector: Sector | None = None
    indicator: object = None  # the Indicator, for metrics with settings (scope sectors)
    # Series name → first day not in the nightly daily counts (see rollup.py); None: look up.
    rollups: dict | None = None
    # (series, slice) → daily-count rows already read for this scope (with_daily_counts).
    rolled: dict | None = None
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def previous(self) -> Period:
        return self.period.previous()


@dataclass
class Series:
    current: object  # a number, None (no data) or secrecy.MASKED
    previous: object
    buckets: list[tuple[dt.date, object]]
    base: int | None = None  # how many answers or people a rate or an average rests on
    # Secondary figures shown under the value: (label, value, column kind).
    details: list[tuple[str, object, str]] = field(default_factory=list)
    # Counts before secrecy (current, previous, per bucket), so that a computed count and
    # values entered by hand are protected together, not one after the other.
    raw: tuple | None = None
    # Values entered by hand for the period: (ManualValue, published value).
    entries: list = field(default_factory=list)
    # For a count computed plus values entered by hand: the chart shows the computed part.
    computed_only_chart: bool = False


@dataclass(frozen=True)
class Tally:
    """Something counted per local day and key (an origin, an answer…).

    The same queryset feeds the live count and the nightly daily counts (rollup.py), so
    both follow the same rule. The daily counts are kept for the whole territory and, as
    « slices », per commune and per sector: `slices` names the path from a counted row to
    its commune and to its sector; a filter missing from `slices` does not apply to the
    tally, and a path of None means that nothing is counted under that filter.
    """

    series: str
    rows: object  # Scope -> QuerySet, with the scope's commune and sector filters
    date_field: str
    key_fields: tuple[str, ...] = ()
    slices: dict = field(default_factory=dict, hash=False, compare=False)

    def key_of(self, row: dict) -> str:
        return ">".join(str(row[name]) for name in self.key_fields)


class Metric(ABC):
    """A calculation an indicator can name: its figures for a scope, and its page's tables.
    Abstract: a metric without its own `series` cannot be registered (Python refuses to make
    one), rather than failing on the indicator's page."""

    key = ""
    label = ""
    unit = "count"  # Indicator.Unit value
    people = True  # counts people: statistical secrecy applies
    filters = frozenset({"commune", "sector"})
    # Shown on the indicator page, under the definition.
    method = ""
    # What it counts per day (rolled up nightly); metrics on small tables count live.
    tallies: tuple = ()

    def tallies_for(self, indicator) -> list[Tally]:
        return list(self.tallies)

    @abstractmethod
    def series(self, scope: Scope) -> Series: ...

    def tables(self, scope: Scope) -> list[Table]:
        return []


# --- grouping in SQL ---------------------------------------------------------------------


@dataclass
class Folded:
    """Grouped rows folded into the period's totals, the previous period's and per bucket."""

    current: Counter
    previous: Counter
    buckets: dict[dt.date, Counter]


def local_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value, local_tz()).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


def grouped(
    qs, field_name: str, scope: Scope, *, is_date: bool = False, by=(), since=None, **aggregates
):
    """One grouped query over the previous and current periods, by chart bucket.

    Rows carry `_b` (the bucket's first day), `_cur` (in the current period or the previous
    one: a custom period may start mid-month) and the `by` fields. `since` (a date) starts
    the range later than the previous period.
    """
    previous, period = scope.previous, scope.period
    first_day = max(since, previous.start) if since else previous.start
    if is_date:
        qs = qs.filter(**{f"{field_name}__gte": first_day, f"{field_name}__lte": period.end})
        is_current = Q(**{f"{field_name}__gte": period.start})
        bucket = (TruncDay if period.bucket_unit == "day" else TruncMonth)(field_name)
    else:
        start, _unused = Period("custom", first_day, first_day).bounds()
        period_start, end = period.bounds()
        qs = qs.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
        is_current = Q(**{f"{field_name}__gte": period_start})
        trunc = TruncDay if period.bucket_unit == "day" else TruncMonth
        bucket = trunc(field_name, tzinfo=local_tz())
    current_flag = Case(
        When(is_current, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    rows = (
        qs.annotate(_b=bucket, _cur=current_flag)
        .values("_b", "_cur", *by)
        .annotate(**aggregates)
        .order_by()
    )
    return list(rows)


def fold(rows, names: list[str]) -> Folded:
    current, previous, buckets = Counter(), Counter(), defaultdict(Counter)
    for row in rows:
        values = {name: row[name] or 0 for name in names}
        if row["_cur"]:
            current.update(values)
            buckets[local_date(row["_b"])].update(values)
        else:
            previous.update(values)
    return Folded(current, previous, buckets)


def is_future(scope: Scope, first: dt.date) -> bool:
    """A bucket that has not started yet has no value (rather than a misleading zero)."""
    return first > scope.today


def period_bounds_q(field_name: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


# --- series ------------------------------------------------------------------------------


def count_series(folded: Folded, scope: Scope, name: str = "n") -> Series:
    """Counts that are not about people (page views, pathways): shown as they are. Counts
    of people are a protected line and its breakdowns (see the referrals metrics)."""
    return Series(
        current=folded.current[name],
        previous=folded.previous[name],
        buckets=[
            (first, None if is_future(scope, first) else folded.buckets[first][name])
            for first in scope.period.buckets()
        ],
    )


def snapshot_series(dated_counts: dict, undated: int, scope: Scope, *, people=False) -> Series:
    """A stock (pathways, référents): how many exist at the end of each bucket.

    `dated_counts` maps a date (validation, mobilisation) to a count; `undated` items
    count from the beginning.
    """
    mask = secrecy.mask_count if people else (lambda n: n)

    def at(day: dt.date) -> int:
        return undated + sum(n for date, n in dated_counts.items() if date <= day)

    period = scope.period
    firsts = period.buckets()
    buckets = []
    for index, first in enumerate(firsts):
        last = firsts[index + 1] - dt.timedelta(days=1) if index + 1 < len(firsts) else period.end
        buckets.append(
            (first, None if is_future(scope, first) else mask(at(min(last, period.end))))
        )
    return Series(
        current=mask(at(min(period.end, timezone.localdate()))),
        previous=mask(at(scope.previous.end)),
        buckets=buckets,
    )


# --- statistical secrecy of a card and its breakdowns ------------------------------------


def past_buckets(scope: Scope) -> list[dt.date]:
    return [first for first in scope.period.buckets() if not is_future(scope, first)]


def protected_grid(rows: list[list[int]], line: secrecy.Line, **options):
    """A breakdown of the card's line, or None when it cannot be published safely."""
    if not rows:
        return None
    try:
        return secrecy.protect_grid(rows, line, **options)
    except secrecy.Unprotectable:
        return None


def bucket_values(scope: Scope, published: list | None) -> list[tuple[dt.date, object]]:
    """(first day, value) for every step of the chart: None for a future step, and for
    every step when the breakdown by time is not published."""
    past = past_buckets(scope)
    values = dict(zip(past, published, strict=True)) if published is not None else {}
    return [(first, values.get(first)) for first in scope.period.buckets()]


def breakdown_table(
    slug: str,
    title: str,
    heading: str,
    labels: list[str],
    grid,
    columns: list[Column],
    *,
    total_column: Column | None = None,
    extra_columns: tuple = (),
    extra=None,
    note: str = "",
) -> Table:
    """A table from a protected grid: one row per label, its detailed parts, its total,
    then `extra(r)` (rates computed from what row r shows)."""
    totals = [total_column] if total_column else []
    if grid is None:
        return Table(
            slug=slug,
            title=title,
            columns=[Column(heading, TEXT), *columns, *totals, *extra_columns],
            note=note,
            withheld=bool(labels),
        )
    kept = [c for c, shown in enumerate(grid.detailed) if shown]
    hidden = [str(columns[c].label) for c, shown in enumerate(grid.detailed) if not shown]
    rows = []
    for r, label in enumerate(labels):
        row = [label, *[grid.cells[r][c] for c in kept]]
        if total_column:
            row.append(grid.row_totals[r])
        rows.append(row + (extra(r) if extra else []))
    if hidden:
        why = _("Non détaillé (total de la période sous le secret statistique) : %(names)s.")
        note = " ".join(filter(None, [note, why % {"names": ", ".join(hidden)}]))
    return Table(
        slug=slug,
        title=title,
        columns=[Column(heading, TEXT), *[columns[c] for c in kept], *totals, *extra_columns],
        rows=rows,
        note=note,
    )


# --- table cells -------------------------------------------------------------------------


def commune_or_unknown(value) -> str:
    return value if value else _("Commune non précisée")
