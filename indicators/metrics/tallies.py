"""Tallies: what is counted per local day, read from the nightly daily counts or live.

A metric that counts orientations or answers declares its tallies (see `Tally`); the
nightly rollup (indicators/rollup.py) writes their daily counts into `DailyCount`, and
`tally_rows` reads them for the days before the last run and counts the rest live, with
the same queryset. The rules themselves stay with their models:
`Referral.objects.followed() / without_rupture() / ruptures()` for ruptures.
"""

import datetime as dt
import operator
from collections import Counter, defaultdict
from dataclasses import replace
from functools import reduce

from django.db.models import Count, Exists, OuterRef, Q, Sum

from orientations.models import FamilyAnswer, Origin, Referral, UnmetNeed
from pathways.models import Pathway, PathwayFeedback
from services_directory.models import Commune, Sector, Service

from ..models import DailyCount, RollupState
from ..periods import Period
from .engine import Folded, Scope, Tally, grouped, local_date

# --- reading a tally ---------------------------------------------------------------------


def _slice(tally: Tally, scope: Scope) -> str:
    """Which daily counts answer this scope: "" (territory), "c<pk>", "s<pk>", or
    "c<pk>s<pk>" (a commune and a sector, kept by whole months only)."""
    chosen = ""
    if scope.commune and "commune" in tally.slices:
        chosen += f"c{scope.commune.pk}"
    if scope.sector and "sector" in tally.slices:
        chosen += f"s{scope.sector.pk}"
    return chosen


def is_combined(slice_name: str) -> bool:
    return slice_name.startswith("c") and "s" in slice_name


def _whole_months(scope: Scope) -> bool:
    """Both periods are whole months and the chart goes by month."""
    return (
        scope.period.kind in ("month", "quarter", "year")
        and scope.period.bucket_unit == "month"
        and scope.previous.start.day == 1
    )


def _rollup_horizon(tally: Tally, scope: Scope) -> dt.date | None:
    if scope.rollups is not None:
        horizon = scope.rollups.get(tally.series)
    else:
        horizon = (
            RollupState.objects.filter(series=tally.series)
            .values_list("complete_until", flat=True)
            .first()
        )
    if horizon and is_combined(_slice(tally, scope)):
        # A commune and a sector together are kept by whole months: read the months
        # before the current one, count the rest live (a month of one commune and sector).
        if not _whole_months(scope):
            return None
        horizon = horizon.replace(day=1)
    return horizon


def _rolled(scope: Scope, horizon: dt.date) -> Q:
    """Daily counts to read for both periods before `horizon`: whole months where a month
    lies entirely in one period (and the chart goes by month), single days elsewhere."""
    last = min(scope.period.end, horizon - dt.timedelta(days=1))
    spans = [(scope.previous.start, min(scope.previous.end, last), True)]
    # A chart by day needs the current period's days; only its total needs the previous.
    spans.append((scope.period.start, last, scope.period.bucket_unit == "month"))
    parts = []
    for first_day, last_day, by_month in spans:
        if last_day < first_day:
            continue
        months = []
        month = first_day if first_day.day == 1 else _next_month(first_day)
        while by_month and _next_month(month) - dt.timedelta(days=1) <= last_day:
            months.append(month)
            month = _next_month(month)
        if not months:
            parts.append(Q(is_month=False, day__gte=first_day, day__lte=last_day))
            continue
        parts.append(Q(is_month=True, day__gte=months[0], day__lte=months[-1]))
        # The days before the first whole month and after the last one.
        parts.append(Q(is_month=False, day__gte=first_day, day__lt=months[0]))
        parts.append(Q(is_month=False, day__gte=_next_month(months[-1]), day__lte=last_day))
    return reduce(operator.or_, parts, Q(pk__in=[]))


def _rolled_current(scope: Scope, last: dt.date) -> Q:
    """Daily counts for the current period up to `last`: whole months, then days."""
    first_day = scope.period.start
    months = []
    month = first_day if first_day.day == 1 else _next_month(first_day)
    while _next_month(month) - dt.timedelta(days=1) <= last:
        months.append(month)
        month = _next_month(month)
    if not months:
        return Q(is_month=False, day__gte=first_day, day__lte=last)
    return (
        Q(is_month=True, day__gte=months[0], day__lte=months[-1])
        | Q(is_month=False, day__gte=first_day, day__lt=months[0])
        | Q(is_month=False, day__gte=_next_month(months[-1]), day__lte=last)
    )


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def tally_rows(tally: Tally, scope: Scope) -> list[dict]:
    """Rows of `_b` (bucket), `_cur` (current period?), `key` and `n` over both periods."""
    rows, since = [], None
    horizon = _rollup_horizon(tally, scope)
    if horizon and horizon > scope.previous.start:
        if scope.rolled is not None and (tally.series, _slice(tally, scope)) in scope.rolled:
            rows += scope.rolled[(tally.series, _slice(tally, scope))]
        else:
            rolled = DailyCount.objects.filter(
                _rolled(scope, horizon), series=tally.series, slice=_slice(tally, scope)
            )
            rows += grouped(rolled, "day", scope, is_date=True, by=("key",), n=Sum("n"))
        since = horizon
    if since is None or since <= scope.period.end:
        live = grouped(
            tally.rows(scope),
            tally.date_field,
            scope,
            by=tally.key_fields,
            since=since,
            n=Count("pk"),
        )
        rows += [
            {"_b": row["_b"], "_cur": row["_cur"], "key": tally.key_of(row), "n": row["n"]}
            for row in live
        ]
    return rows


def tally_by_commune(tally: Tally, scope: Scope) -> Counter:
    """Counts of the current period per commune id (None: commune not given)."""
    start, end = scope.period.bounds()
    totals = Counter()
    territory = replace(scope, commune=None)
    sector = _slice(tally, territory)  # "" or "s<pk>"
    horizon = _rollup_horizon(tally, territory)
    if sector and horizon:
        # Communes within a sector are kept by whole months only.
        horizon = horizon.replace(day=1) if _whole_months(scope) else None
    if horizon and horizon > scope.period.start:
        last = min(scope.period.end, horizon - dt.timedelta(days=1))
        if sector:
            rolled = DailyCount.objects.filter(
                series=tally.series, is_month=True, day__gte=scope.period.start, day__lte=last
            )
        else:
            rolled = DailyCount.objects.filter(_rolled_current(scope, last), series=tally.series)
        # Named slices, not a pattern: the unique index (series, slice, …) finds them.
        communes = (
            [scope.commune.pk]
            if scope.commune
            else list(Commune.objects.values_list("pk", flat=True))
        )
        rolled = rolled.filter(slice__in=[f"c{pk}{sector}" for pk in communes] + [sector])
        for row in rolled.values("slice").annotate(n=Sum("n")).order_by():
            # "c<pk>" or "c<pk>s<pk>" for a commune; "" or "s<pk>" for all of them.
            commune = row["slice"].removesuffix(sector) if sector else row["slice"]
            totals[int(commune[1:]) if commune else None] += row["n"]
        # Orientations without a commune: the territory's count minus the communes'.
        if None in totals:
            totals[None] -= sum(n for pk, n in totals.items() if pk is not None)
        start = max(start, Period("custom", horizon, horizon).bounds()[0])
    if start < end:
        path = tally.slices["commune"]
        live = (
            tally.rows(scope)
            .filter(**{f"{tally.date_field}__gte": start, f"{tally.date_field}__lt": end})
            .values(path)
            .annotate(n=Count("pk"))
            .order_by()
        )
        totals.update({row[path]: row["n"] for row in live})
    return totals


def with_daily_counts(scope: Scope, tallies: list[Tally]) -> Scope:
    """Read the daily counts of several tallies in one query, for a whole page."""
    wanted = {}
    for tally in tallies:
        horizon = _rollup_horizon(tally, scope)
        if horizon and horizon > scope.previous.start:
            wanted[tally.series] = (_slice(tally, scope), horizon)
    if not wanted:
        return scope
    condition = Q()
    for series, (slice_name, horizon) in wanted.items():
        condition |= Q(_rolled(scope, horizon), series=series, slice=slice_name)
    rows = grouped(
        DailyCount.objects.filter(condition),
        "day",
        scope,
        is_date=True,
        by=("series", "slice", "key"),
        n=Sum("n"),
    )
    rolled = {(series, slice_name): [] for series, (slice_name, _h) in wanted.items()}
    for row in rows:
        rolled[(row.pop("series"), row.pop("slice"))].append(row)
    return replace(scope, rolled=rolled)


def fold_tally(rows: list[dict], classify=None) -> Folded:
    """Fold tally rows; `classify(key)` names the counters a key adds to (always "n")."""
    current, previous, buckets = Counter(), Counter(), defaultdict(Counter)
    for row in rows:
        names = ["n", *(classify(row["key"]) if classify else ())]
        target = current if row["_cur"] else previous
        for name in names:
            target[name] += row["n"]
            if row["_cur"]:
                buckets[local_date(row["_b"])][name] += row["n"]
    return Folded(current, previous, buckets)


def by_key(rows: list[dict], *, current: bool = True) -> Counter:
    totals = Counter()
    for row in rows:
        if row["_cur"] == current:
            totals[row["key"]] += row["n"]
    return totals


# --- what is counted per day -------------------------------------------------------------


# Origins that are child stages, and the sector each one is (seeded, stable slugs).
ORIGIN_SECTOR_SLUGS = {
    Origin.PETITE_ENFANCE: "petite-enfance",
    Origin.ENFANCE: "enfance",
    Origin.JEUNESSE: "jeunesse",
}


def _in_sector(sector: Sector, service_field: str = "service_id") -> Exists:
    through = Service.sectors.through.objects
    return Exists(through.filter(service_id=OuterRef(service_field), sector_id=sector.pk))


def pathway_in_sector(sector: Sector, pathway_field: str = "pk") -> Exists:
    through = Pathway.sectors.through.objects
    return Exists(through.filter(pathway_id=OuterRef(pathway_field), sector_id=sector.pk))


def _referrals(scope: Scope, *, use_sector: bool = True):
    """Orientations of the commune and towards services of the sector, when chosen."""
    qs = Referral.objects.all()
    if scope.commune:
        qs = qs.filter(commune=scope.commune)
    if scope.sector and use_sector:
        qs = qs.filter(_in_sector(scope.sector))
    return qs


def family_answers(scope: Scope):
    qs = FamilyAnswer.objects.all()
    if scope.commune:
        qs = qs.filter(referral__commune=scope.commune)
    if scope.sector:
        qs = qs.filter(_in_sector(scope.sector, "referral__service_id"))
    return qs


def _page_answers(scope: Scope):
    # Pathway pages are anonymous and have no commune: none count under a commune filter.
    if scope.commune:
        return PathwayFeedback.objects.none()
    qs = PathwayFeedback.objects.all()
    if scope.sector:
        qs = qs.filter(pathway_in_sector(scope.sector, "pathway_id"))
    return qs


def _stage_pair_rows(scope: Scope):
    """Followed orientations from a child stage, once per child-stage sector of the service."""
    return (
        _referrals(scope, use_sector=False)
        .followed()
        .filter(origin__in=list(ORIGIN_SECTOR_SLUGS), service__sectors__is_child_stage=True)
    )


def targeted_rows(scope: Scope, sector_ids: list[int]):
    through = Service.sectors.through.objects.filter(
        service_id=OuterRef("service_id"), sector_id__in=sector_ids
    )
    return _referrals(scope).without_rupture().filter(Exists(through))


def unmet_rows(scope: Scope):
    qs = UnmetNeed.objects.all()
    if scope.commune:
        qs = qs.filter(commune=scope.commune)
    if scope.sector:
        qs = qs.filter(need__sector=scope.sector)
    return qs


REFERRAL_SLICES = {"commune": "commune_id", "sector": "service__sectors"}
ANSWER_SLICES = {"commune": "referral__commune_id", "sector": "referral__service__sectors"}

FAMILY_SATISFACTION = Tally(
    "family_satisfaction",
    lambda scope: family_answers(scope).exclude(satisfaction=""),
    "answered_at",
    ("satisfaction",),
    ANSWER_SLICES,
)
FAMILY_CLARITY = Tally(
    "family_clarity",
    lambda scope: family_answers(scope).filter(clarity__isnull=False),
    "answered_at",
    ("clarity",),
    ANSWER_SLICES,
)
FAMILY_CONTINUITY = Tally(
    "family_continuity",
    lambda scope: family_answers(scope).exclude(continuity=""),
    "answered_at",
    ("continuity",),
    ANSWER_SLICES,
)
PAGE_ANSWERS = Tally(
    "page_answers",
    _page_answers,
    "created_at",
    ("answer",),
    {"commune": None, "sector": "pathway__sectors"},
)
# The outcome tallies are kept by origin: their tables break them down that way.
FOLLOWED = Tally(
    "followed",
    lambda scope: _referrals(scope).followed(),
    "created_at",
    ("origin",),
    REFERRAL_SLICES,
)
WITHOUT = Tally(
    "without_rupture",
    lambda scope: _referrals(scope).without_rupture(),
    "created_at",
    ("origin",),
    REFERRAL_SLICES,
)
RUPTURES = Tally(
    "ruptures",
    lambda scope: _referrals(scope).ruptures(),
    "created_at",
    ("origin",),
    REFERRAL_SLICES,
)
ROOTS = Tally(
    "roots",
    lambda scope: _referrals(scope).filter(previous__isnull=True),
    "created_at",
    ("origin",),
    REFERRAL_SLICES,
)
STAGE_PAIRS = Tally(
    "stage_pairs",
    _stage_pair_rows,
    "created_at",
    ("origin", "service__sectors"),
    {"commune": "commune_id"},
)
UNMET_NEEDS = Tally(
    "unmet_needs",
    unmet_rows,
    "created_at",
    (),
    {"commune": "commune_id", "sector": "need__sector_id"},
)


def targeted_tally(sector_ids: list[int]) -> Tally:
    """Orientations without rupture towards services of these sectors (an indicator's scope)."""
    ids = sorted(sector_ids)
    return Tally(
        "targeted:" + ",".join(str(pk) for pk in ids),
        lambda scope: targeted_rows(scope, ids),
        "created_at",
        (),
        REFERRAL_SLICES,
    )
