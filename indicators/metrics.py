"""The computed indicators: each metric turns the portal's data into figures for a period.

A metric gives a `Series` for the dashboard (the period's value, the previous period's,
and one value per day or month for the small chart) and `tables()` for its own page. Every
aggregate is computed in SQL (grouped or conditional counts): a few queries per metric,
whatever the number of orientations. The rules themselves stay with their models:
`Referral.objects.followed() / without_rupture() / ruptures()` for ruptures,
`Pathway.objects.formalised()` for formalised pathways. docs/indicateurs.md defines each one.
"""

import datetime as dt
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDay, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orientations.models import FamilyAnswer, Origin, Referral, UnmetNeed
from pathways.models import Pathway, PathwayFeedback, PathwayStat
from services_directory.models import Commune, Need, Referent, Sector, Service

from . import secrecy
from .periods import Period, local_tz
from .tables import COUNT, PERCENT, SCORE, TEXT, Column, Table

# Origins that are child stages, and the sector each one is (seeded, stable slugs).
ORIGIN_SECTOR_SLUGS = {
    Origin.PETITE_ENFANCE: "petite-enfance",
    Origin.ENFANCE: "enfance",
    Origin.JEUNESSE: "jeunesse",
}


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
    # values entered by hand are added up before masking, not after.
    raw: tuple | None = None


@dataclass
class _Folded:
    """Grouped rows folded into the period's totals, the previous period's and per bucket."""

    current: Counter
    previous: Counter
    buckets: dict[dt.date, Counter]


# --- grouping helpers --------------------------------------------------------------------


def _local_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value, local_tz()).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


def _grouped(
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


def _fold(rows, names: list[str]) -> _Folded:
    current, previous, buckets = Counter(), Counter(), defaultdict(Counter)
    for row in rows:
        values = {name: row[name] or 0 for name in names}
        if row["_cur"]:
            current.update(values)
            buckets[_local_date(row["_b"])].update(values)
        else:
            previous.update(values)
    return _Folded(current, previous, buckets)


def _is_future(scope: Scope, first: dt.date) -> bool:
    """A bucket that has not started yet has no value (rather than a misleading zero)."""
    return first > scope.today


def _count_series(folded: _Folded, scope: Scope, name: str = "n", *, people=True) -> Series:
    raw_buckets = [
        None if _is_future(scope, first) else folded.buckets[first][name]
        for first in scope.period.buckets()
    ]
    return _masked_counts(
        scope, folded.current[name], folded.previous[name], raw_buckets, people=people
    )


def _masked_counts(scope: Scope, current, previous, raw_buckets: list, *, people: bool) -> Series:
    mask = secrecy.mask_count if people else (lambda n: n)
    return Series(
        current=mask(current),
        previous=mask(previous),
        buckets=[
            (first, None if value is None else mask(value))
            for first, value in zip(scope.period.buckets(), raw_buckets, strict=True)
        ],
        raw=(current, previous, raw_buckets),
    )


def _rate_series(folded: _Folded, scope: Scope, numerator: str, denominator: str) -> Series:
    buckets = []
    for first in scope.period.buckets():
        counts = folded.buckets[first]
        value = (
            None
            if _is_future(scope, first)
            else secrecy.percent(counts[numerator], counts[denominator])
        )
        buckets.append((first, value))
    return Series(
        current=secrecy.percent(folded.current[numerator], folded.current[denominator]),
        previous=secrecy.percent(folded.previous[numerator], folded.previous[denominator]),
        buckets=buckets,
        base=folded.current[denominator],
    )


def _snapshot_series(dated_counts: dict, undated: int, scope: Scope, *, people=False) -> Series:
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
            (first, None if _is_future(scope, first) else mask(at(min(last, period.end))))
        )
    return Series(
        current=mask(at(min(period.end, timezone.localdate()))),
        previous=mask(at(scope.previous.end)),
        buckets=buckets,
    )


# --- tallies: counts per local day, rolled up nightly ------------------------------------


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


def _slice(tally: Tally, scope: Scope) -> str | None:
    """Which daily counts answer this scope: "" (territory), "c<pk>", "s<pk>", or None
    when they cannot (both a commune and a sector that apply: counted live)."""
    chosen = []
    if scope.commune and "commune" in tally.slices:
        chosen.append(f"c{scope.commune.pk}")
    if scope.sector and "sector" in tally.slices:
        chosen.append(f"s{scope.sector.pk}")
    if len(chosen) > 1:
        return None
    return chosen[0] if chosen else ""


def _rollup_horizon(tally: Tally, scope: Scope) -> dt.date | None:
    if _slice(tally, scope) is None:
        return None
    if scope.rollups is not None:
        return scope.rollups.get(tally.series)
    from .models import RollupState

    return (
        RollupState.objects.filter(series=tally.series)
        .values_list("complete_until", flat=True)
        .first()
    )


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


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def tally_rows(tally: Tally, scope: Scope) -> list[dict]:
    """Rows of `_b` (bucket), `_cur` (current period?), `key` and `n` over both periods."""
    from .models import DailyCount

    rows, since = [], None
    horizon = _rollup_horizon(tally, scope)
    if horizon and horizon > scope.previous.start:
        if scope.rolled is not None and (tally.series, _slice(tally, scope)) in scope.rolled:
            rows += scope.rolled[(tally.series, _slice(tally, scope))]
        else:
            rolled = DailyCount.objects.filter(
                _rolled(scope, horizon), series=tally.series, slice=_slice(tally, scope)
            )
            rows += _grouped(rolled, "day", scope, is_date=True, by=("key",), n=Sum("n"))
        since = horizon
    if since is None or since <= scope.period.end:
        live = _grouped(
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
    from .models import DailyCount

    start, end = scope.period.bounds()
    totals = Counter()
    territory = replace(scope, commune=None)
    horizon = _rollup_horizon(tally, territory) if _slice(tally, territory) == "" else None
    if horizon and horizon > scope.period.start:
        rolled = DailyCount.objects.filter(
            series=tally.series,
            is_month=False,
            day__gte=scope.period.start,
            day__lte=scope.period.end,
            day__lt=horizon,
        )
        if scope.commune:
            rolled = rolled.filter(slice=f"c{scope.commune.pk}")
        else:
            rolled = rolled.filter(Q(slice__startswith="c") | Q(slice=""))
        for row in rolled.values("slice").annotate(n=Sum("n")).order_by():
            totals[int(row["slice"][1:]) if row["slice"] else None] += row["n"]
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
    from .models import DailyCount

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
    rows = _grouped(
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


def _fold_tally(rows: list[dict], classify=None) -> _Folded:
    """Fold tally rows; `classify(key)` names the counters a key adds to (always "n")."""
    current, previous, buckets = Counter(), Counter(), defaultdict(Counter)
    for row in rows:
        names = ["n", *(classify(row["key"]) if classify else ())]
        target = current if row["_cur"] else previous
        for name in names:
            target[name] += row["n"]
            if row["_cur"]:
                buckets[_local_date(row["_b"])][name] += row["n"]
    return _Folded(current, previous, buckets)


def _by_key(rows: list[dict], *, current: bool = True) -> Counter:
    totals = Counter()
    for row in rows:
        if row["_cur"] == current:
            totals[row["key"]] += row["n"]
    return totals


def _in_sector(sector: Sector, service_field: str = "service_id") -> Exists:
    through = Service.sectors.through.objects
    return Exists(through.filter(service_id=OuterRef(service_field), sector_id=sector.pk))


def _pathway_in_sector(sector: Sector, pathway_field: str = "pk") -> Exists:
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


def _period_bounds_q(field_name: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


# --- what is counted per day ---------------------------------------------------------------


def _family_answers(scope: Scope):
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
        qs = qs.filter(_pathway_in_sector(scope.sector, "pathway_id"))
    return qs


def _stage_pair_rows(scope: Scope):
    """Followed orientations from a child stage, once per child-stage sector of the service."""
    return (
        _referrals(scope, use_sector=False)
        .followed()
        .filter(origin__in=list(ORIGIN_SECTOR_SLUGS), service__sectors__is_child_stage=True)
    )


def _targeted_rows(scope: Scope, sector_ids: list[int]):
    through = Service.sectors.through.objects.filter(
        service_id=OuterRef("service_id"), sector_id__in=sector_ids
    )
    return _referrals(scope).without_rupture().filter(Exists(through))


def _unmet_rows(scope: Scope):
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
    lambda scope: _family_answers(scope).exclude(satisfaction=""),
    "answered_at",
    ("satisfaction",),
    ANSWER_SLICES,
)
FAMILY_RECEIVED = Tally(
    "family_received",
    lambda scope: _family_answers(scope).filter(
        received__in=[FamilyAnswer.Received.YES, FamilyAnswer.Received.NO]
    ),
    "answered_at",
    ("received",),
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
    _unmet_rows,
    "created_at",
    (),
    {"commune": "commune_id", "sector": "need__sector_id"},
)


def targeted_tally(sector_ids: list[int]) -> Tally:
    """Orientations without rupture towards services of these sectors (an indicator's scope)."""
    ids = sorted(sector_ids)
    return Tally(
        "targeted:" + ",".join(str(pk) for pk in ids),
        lambda scope: _targeted_rows(scope, ids),
        "created_at",
        (),
        REFERRAL_SLICES,
    )


# --- metrics -----------------------------------------------------------------------------


class Metric:
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

    def series(self, scope: Scope) -> Series:
        raise NotImplementedError

    def tables(self, scope: Scope) -> list[Table]:
        return []


class PathwaysFormalised(Metric):
    key = "pathways_formalised"
    label = gettext_lazy("Parcours types formalisés")
    people = False
    filters = frozenset({"sector"})
    method = gettext_lazy(
        "Parcours types publiés et validés (date et auteur de validation renseignés), comptés à "
        "la fin de la période selon leur date de validation. Filtre secteur : parcours qui "
        "traversent ce secteur."
    )

    def _queryset(self, scope: Scope):
        qs = Pathway.objects.formalised()
        if scope.sector:
            qs = qs.filter(_pathway_in_sector(scope.sector))
        return qs

    def series(self, scope: Scope) -> Series:
        rows = self._queryset(scope).filter(validated_on__lte=scope.period.end)
        counts = dict(rows.values_list("validated_on").annotate(n=Count("pk")).order_by())
        return _snapshot_series(counts, 0, scope)

    def tables(self, scope: Scope) -> list[Table]:
        end = min(scope.period.end, timezone.localdate())
        pathways = list(
            self._queryset(scope)
            .filter(validated_on__lte=end)
            .prefetch_related("sectors")
            .order_by("title")
        )
        by_sector = Counter()
        for pathway in pathways:
            for sector in pathway.sectors.all():
                by_sector[sector] += 1
        sectors = sorted(by_sector, key=lambda s: (s.position, s.name))
        return [
            Table(
                slug="par-secteur",
                title=_("Parcours formalisés par secteur traversé"),
                columns=[Column(_("Secteur"), TEXT), Column(_("Parcours"), COUNT)],
                rows=[[sector.name, by_sector[sector]] for sector in sectors],
                note=_("Un parcours qui traverse deux secteurs compte dans chacun."),
            ),
            Table(
                slug="liste",
                title=_("Liste des parcours formalisés"),
                columns=[
                    Column(_("Parcours"), TEXT),
                    Column(_("Validé le"), TEXT),
                    Column(_("Secteurs traversés"), TEXT),
                    Column(_("Passerelle"), TEXT),
                ],
                rows=[
                    [
                        pathway.title,
                        pathway.validated_on,
                        ", ".join(sector.name for sector in pathway.sectors.all()),
                        pathway.is_passerelle,
                    ]
                    for pathway in pathways
                ],
            ),
        ]


class PathwaysDiffused(Metric):
    key = "pathways_diffused"
    label = gettext_lazy("Parcours types formalisés et diffusés")
    people = False
    filters = frozenset({"sector"})
    method = gettext_lazy(
        "Parcours formalisés consultés en ligne, imprimés ou remis en main propre au moins une "
        "fois pendant la période. Les consultations sont des pages vues, pas des personnes."
    )

    def _queryset(self, scope: Scope):
        qs = PathwayStat.objects.filter(pathway__in=Pathway.objects.formalised())
        if scope.sector:
            qs = qs.filter(_pathway_in_sector(scope.sector, "pathway_id"))
        return qs

    def series(self, scope: Scope) -> Series:
        qs = self._queryset(scope)
        rows = _grouped(qs, "day", scope, is_date=True, n=Count("pathway", distinct=True))
        folded = _fold(rows, ["n"])
        series = _count_series(folded, scope, people=False)
        # Distinct pathways over a whole period are not the sum of its days.
        totals = qs.aggregate(
            current=Count(
                "pathway",
                distinct=True,
                filter=Q(day__gte=scope.period.start, day__lte=scope.period.end),
            ),
            previous=Count(
                "pathway",
                distinct=True,
                filter=Q(day__gte=scope.previous.start, day__lte=scope.previous.end),
            ),
        )
        series.current, series.previous = totals["current"], totals["previous"]
        return series

    def tables(self, scope: Scope) -> list[Table]:
        period = scope.period
        qs = self._queryset(scope).filter(day__gte=period.start, day__lte=period.end)
        per_pathway = (
            qs.values("pathway__title")
            .annotate(views=Sum("views"), prints=Sum("prints"), handouts=Sum("handouts"))
            .order_by("pathway__title")
        )
        rows = _grouped(
            self._queryset(scope),
            "day",
            scope,
            is_date=True,
            views=Sum("views"),
            prints=Sum("prints"),
            handouts=Sum("handouts"),
        )
        folded = _fold(rows, ["views", "prints", "handouts"])
        return [
            Table(
                slug="par-parcours",
                title=_("Diffusion de chaque parcours pendant la période"),
                columns=[
                    Column(_("Parcours"), TEXT),
                    Column(_("Consultations"), COUNT),
                    Column(_("Impressions"), COUNT),
                    Column(_("Remises en main propre"), COUNT),
                ],
                rows=[
                    [row["pathway__title"], row["views"], row["prints"], row["handouts"]]
                    for row in per_pathway
                ],
            ),
            Table(
                slug="evolution",
                title=_("Diffusion dans le temps"),
                columns=[
                    Column(_("Période"), TEXT),
                    Column(_("Consultations"), COUNT),
                    Column(_("Impressions"), COUNT),
                    Column(_("Remises en main propre"), COUNT),
                ],
                rows=[
                    [
                        period.bucket_long_label(first),
                        folded.buckets[first]["views"],
                        folded.buckets[first]["prints"],
                        folded.buckets[first]["handouts"],
                    ]
                    for first in period.buckets()
                    if not _is_future(scope, first)
                ],
            ),
        ]


class Satisfaction(Metric):
    key = "satisfaction"
    label = gettext_lazy("Taux de satisfaction des familles et des jeunes")
    unit = "percent"
    method = gettext_lazy(
        "Part des réponses positives : « Très bien » au suivi d'une orientation, « Oui » à "
        "« Cette page vous a-t-elle aidé ? » sur un parcours. « Moyen », « Pas bien », « En "
        "partie » et « Non » comptent comme non satisfaits. Avec un filtre commune, seuls les "
        "suivis d'orientation comptent : les avis des pages parcours sont anonymes et sans "
        "commune."
    )

    tallies = (FAMILY_SATISFACTION, PAGE_ANSWERS)

    def _folded(self, scope: Scope) -> tuple[_Folded, _Folded]:
        def family_kind(key: str) -> list[str]:
            return {
                FamilyAnswer.Satisfaction.GOOD: ["good"],
                FamilyAnswer.Satisfaction.AVERAGE: ["average"],
            }.get(key, [])

        def page_kind(key: str) -> list[str]:
            return {
                PathwayFeedback.Answer.YES: ["good"],
                PathwayFeedback.Answer.PARTLY: ["average"],
            }.get(key, [])

        family = _fold_tally(tally_rows(FAMILY_SATISFACTION, scope), family_kind)
        pages = _fold_tally(tally_rows(PAGE_ANSWERS, scope), page_kind)
        return family, pages

    def series(self, scope: Scope) -> Series:
        family, pages = self._folded(scope)
        combined = _Folded(
            family.current + pages.current,
            family.previous + pages.previous,
            defaultdict(Counter),
        )
        for first in set(family.buckets) | set(pages.buckets):
            combined.buckets[first] = family.buckets[first] + pages.buckets[first]
        return _rate_series(combined, scope, "good", "n")

    def tables(self, scope: Scope) -> list[Table]:
        family, pages = self._folded(scope)
        rows = []
        for label, counts in (
            (_("Suivi des orientations"), family.current),
            (_("Pages parcours"), pages.current),
        ):
            good, average, total = counts["good"], counts["average"], counts["n"]
            cells = secrecy.mask_cells([good, average, total - good - average])
            rows.append([label, *cells, secrecy.mask_count(total), secrecy.percent(good, total)])
        clarity = _family_answers(scope).filter(
            _period_bounds_q("answered_at", scope.period), clarity__isnull=False
        )
        clarity = clarity.aggregate(total=Sum("clarity"), n=Count("pk"))
        return [
            Table(
                slug="reponses",
                title=_("Réponses pendant la période, par source"),
                columns=[
                    Column(_("Source"), TEXT),
                    Column(_("Très bien / Oui"), COUNT),
                    Column(_("Moyen / En partie"), COUNT),
                    Column(_("Pas bien / Non"), COUNT),
                    Column(_("Réponses"), COUNT),
                    Column(_("Taux de satisfaction"), PERCENT),
                ],
                rows=rows,
            ),
            Table(
                slug="clarte",
                title=_("Clarté de l'information reçue, selon les familles (note de 1 à 5)"),
                columns=[
                    Column(_("Source"), TEXT),
                    Column(_("Note moyenne"), SCORE),
                    Column(_("Réponses"), COUNT),
                ],
                rows=[
                    [
                        _("Suivi des orientations"),
                        secrecy.average(clarity["total"] or 0, clarity["n"]),
                        secrecy.mask_count(clarity["n"]),
                    ]
                ],
            ),
        ]


class ReceivedRate(Metric):
    key = "received"
    label = gettext_lazy("Part des familles qui disent avoir été reçues")
    unit = "percent"
    method = gettext_lazy(
        "Réponses « Oui » à « Avez-vous pu être reçu ? » parmi les réponses « Oui » et « Non » "
        "des familles pendant la période (« Pas encore » n'est pas compté)."
    )

    tallies = (FAMILY_RECEIVED,)

    def _folded(self, scope: Scope) -> _Folded:
        rows = tally_rows(FAMILY_RECEIVED, scope)
        return _fold_tally(rows, lambda key: ["yes"] if key == FamilyAnswer.Received.YES else [])

    def series(self, scope: Scope) -> Series:
        return _rate_series(self._folded(scope), scope, "yes", "n")

    def tables(self, scope: Scope) -> list[Table]:
        folded = self._folded(scope)
        period = scope.period
        rows = []
        for first in period.buckets():
            if _is_future(scope, first):
                continue
            counts = folded.buckets[first]
            yes, total = counts["yes"], counts["n"]
            rows.append(
                [
                    period.bucket_long_label(first),
                    *secrecy.mask_cells([yes, total - yes]),
                    secrecy.percent(yes, total),
                ]
            )
        return [
            Table(
                slug="evolution",
                title=_("Réponses des familles dans le temps"),
                columns=[
                    Column(_("Période"), TEXT),
                    Column(_("Reçues"), COUNT),
                    Column(_("Pas reçues"), COUNT),
                    Column(_("Part des familles reçues"), PERCENT),
                ],
                rows=rows,
            )
        ]


class WithoutRupture(Metric):
    key = "without_rupture"
    label = gettext_lazy("Situations orientées sans rupture")
    method = gettext_lazy(
        "Orientations suivies (une par chaîne de réorientations, sans les « information "
        "seulement ») créées pendant la période, classées par la règle de l'outil d'accueil : "
        "sans rupture, rupture, ou en cours. La part sans rupture et le taux de rupture se "
        "calculent sur les situations dont l'issue est connue. Une chaîne compte à la date de "
        "sa dernière orientation. Filtre secteur : le service vers lequel la personne est "
        "orientée."
    )

    tallies = (FOLLOWED, WITHOUT, RUPTURES)

    def _folded(self, scope: Scope) -> dict[str, _Folded]:
        return {
            name: _fold_tally(tally_rows(tally, scope))
            for name, tally in (
                ("followed", FOLLOWED),
                ("without", WITHOUT),
                ("ruptures", RUPTURES),
            )
        }

    @staticmethod
    def _line(followed: int, without: int, ruptures: int) -> list:
        decided = without + ruptures
        pending = max(followed - decided, 0)
        return [
            *secrecy.mask_cells([without, ruptures, pending]),
            secrecy.mask_count(followed),
            secrecy.percent(without, decided),
            secrecy.percent(ruptures, decided),
        ]

    def series(self, scope: Scope) -> Series:
        folded = self._folded(scope)
        series = _count_series(folded["without"], scope)
        without, ruptures = folded["without"].current["n"], folded["ruptures"].current["n"]
        followed = folded["followed"].current["n"]
        decided = without + ruptures
        series.base = followed
        series.details = [
            (_("orientations suivies"), secrecy.mask_count(followed), COUNT),
            (_("part sans rupture"), secrecy.percent(without, decided), PERCENT),
            (_("taux de rupture"), secrecy.percent(ruptures, decided), PERCENT),
            (_("en cours"), secrecy.mask_count(max(followed - decided, 0)), COUNT),
        ]
        return series

    def tables(self, scope: Scope) -> list[Table]:
        period = scope.period
        columns = [
            Column(_("Sans rupture"), COUNT),
            Column(_("Rupture"), COUNT),
            Column(_("En cours"), COUNT),
            Column(_("Orientations suivies"), COUNT),
            Column(_("Part sans rupture"), PERCENT),
            Column(_("Taux de rupture"), PERCENT),
        ]
        folded = self._folded(scope)
        by_time = [
            [
                period.bucket_long_label(first),
                *self._line(
                    folded["followed"].buckets[first]["n"],
                    folded["without"].buckets[first]["n"],
                    folded["ruptures"].buckets[first]["n"],
                ),
            ]
            for first in period.buckets()
            if not _is_future(scope, first)
        ]
        tables = [
            Table(
                slug="evolution",
                title=_("Issue des orientations dans le temps"),
                columns=[Column(_("Période"), TEXT), *columns],
                rows=by_time,
            )
        ]
        by_origin = {
            name: _by_key(tally_rows(tally, scope))
            for name, tally in (
                ("followed", FOLLOWED),
                ("without", WITHOUT),
                ("ruptures", RUPTURES),
            )
        }
        by_commune = {
            name: tally_by_commune(tally, scope)
            for name, tally in (
                ("followed", FOLLOWED),
                ("without", WITHOUT),
                ("ruptures", RUPTURES),
            )
        }
        names = dict(
            Commune.objects.filter(pk__in=list(by_commune["followed"])).values_list("pk", "name")
        )
        for slug, title, heading, counts, label_of in (
            (
                "par-origine",
                _("Issue des orientations par origine"),
                _("Origine"),
                by_origin,
                _origin_label,
            ),
            (
                "par-commune",
                _("Issue des orientations par commune"),
                _("Commune"),
                by_commune,
                lambda pk: _or_unknown(names.get(pk)),
            ),
        ):
            keys = sorted(
                (key for key, n in counts["followed"].items() if n),
                key=lambda key: (key is None, str(label_of(key))),
            )
            tables.append(
                Table(
                    slug=slug,
                    title=title,
                    columns=[Column(heading, TEXT), *columns],
                    rows=[
                        [
                            label_of(key),
                            *self._line(
                                counts["followed"].get(key, 0),
                                counts["without"].get(key, 0),
                                counts["ruptures"].get(key, 0),
                            ),
                        ]
                        for key in keys
                    ],
                )
            )
        return tables


def _share(cell, count: int, total: int):
    """The share of a cell in its total, hidden with the cell."""
    return cell if secrecy.is_masked(cell) else secrecy.percent(count, total)


def _origin_label(code) -> str:
    return str(Origin(code).label) if code in Origin.values else _("Inconnue")


def _or_unknown(value) -> str:
    return value if value else _("Commune non précisée")


class Origins(Metric):
    key = "origins"
    label = gettext_lazy("Origine des orientations")
    method = gettext_lazy(
        "Orientations enregistrées pendant la période (y compris « information seulement »), "
        "sans compter les réorientations d'une même situation, par secteur ou service d'où "
        "vient la personne."
    )

    tallies = (ROOTS,)

    def series(self, scope: Scope) -> Series:
        rows = tally_rows(ROOTS, scope)
        folded = _fold_tally(rows)
        series = _count_series(folded, scope)
        by_origin = _by_key(rows)
        total = folded.current["n"]
        cells = secrecy.mask_cells([by_origin[code] for code in Origin.values])
        series.details = [
            (str(label), _share(cell, by_origin[code], total), PERCENT)
            for (code, label), cell in zip(Origin.choices, cells, strict=True)
        ]
        return series

    def tables(self, scope: Scope) -> list[Table]:
        rows = tally_rows(ROOTS, scope)
        period = scope.period
        by_origin, by_bucket = _by_key(rows), defaultdict(Counter)
        for row in rows:
            if row["_cur"]:
                by_bucket[_local_date(row["_b"])][row["key"]] += row["n"]
        total = sum(by_origin.values())
        cells = secrecy.mask_cells([by_origin[code] for code in Origin.values])
        summary = [
            [str(label), cell, _share(cell, by_origin[code], total)]
            for (code, label), cell in zip(Origin.choices, cells, strict=True)
        ]
        summary.append([_("Total"), secrecy.mask_count(total), None])
        firsts = [first for first in period.buckets() if not _is_future(scope, first)]
        return [
            Table(
                slug="par-origine",
                title=_("Orientations par origine"),
                columns=[
                    Column(_("Origine"), TEXT),
                    Column(_("Orientations"), COUNT),
                    Column(_("Part"), PERCENT),
                ],
                rows=summary,
            ),
            Table(
                slug="evolution",
                title=_("Orientations par origine dans le temps"),
                columns=[
                    Column(_("Période"), TEXT),
                    *[Column(str(label), COUNT) for label in Origin.labels],
                ],
                rows=[
                    [
                        period.bucket_long_label(first),
                        *secrecy.mask_cells([by_bucket[first][code] for code in Origin.values]),
                    ]
                    for first in firsts
                ],
            ),
        ]


class ProfessionalFeedback(Metric):
    key = "professional_feedback"
    label = gettext_lazy("Retours des professionnels sur la lisibilité et la coordination")
    unit = "score"
    filters = frozenset()
    method = gettext_lazy(
        "Moyenne des deux notes de 1 à 5 (lisibilité des parcours, coordination entre "
        "services) des questionnaires ouverts pendant la période, avec le taux de réponse : "
        "réponses reçues sur professionnels interrogés."
    )

    def _queryset(self):
        from .models import ProfessionalResponse

        return ProfessionalResponse.objects.all()

    def series(self, scope: Scope) -> Series:
        from .models import ProfessionalSurvey

        rows = _grouped(
            self._queryset(),
            "survey__opens_on",
            scope,
            is_date=True,
            n=Count("pk"),
            readability=Sum("readability"),
            coordination=Sum("coordination"),
        )
        folded = _fold(rows, ["n", "readability", "coordination"])

        def score(counts: Counter):
            # Two notes per person: the mean of both, masked by the number of people.
            return _score(counts["readability"] + counts["coordination"], counts["n"])

        buckets = [
            (first, None if _is_future(scope, first) else score(folded.buckets[first]))
            for first in scope.period.buckets()
        ]
        invited = ProfessionalSurvey.objects.filter(
            opens_on__gte=scope.period.start, opens_on__lte=scope.period.end
        ).aggregate(n=Sum("invited_count"))["n"]
        n = folded.current["n"]
        return Series(
            current=score(folded.current),
            previous=score(folded.previous),
            buckets=buckets,
            base=n,
            details=[
                (_("lisibilité"), secrecy.average(folded.current["readability"], n), SCORE),
                (_("coordination"), secrecy.average(folded.current["coordination"], n), SCORE),
                (_("taux de réponse"), _response_rate(n, invited), PERCENT),
            ],
        )

    def tables(self, scope: Scope) -> list[Table]:
        from .models import ProfessionalSurvey

        surveys = (
            ProfessionalSurvey.objects.filter(
                opens_on__gte=scope.period.start, opens_on__lte=scope.period.end
            )
            .annotate(
                n=Count("responses"),
                readability=Sum("responses__readability"),
                coordination=Sum("responses__coordination"),
            )
            .order_by("opens_on")
        )
        surveys = list(surveys)
        readable = [survey.pk for survey in surveys if survey.n >= secrecy.THRESHOLD]
        comments = (
            self._queryset()
            .filter(survey_id__in=readable)
            .exclude(comment="")
            .select_related("survey")
            .order_by("survey__opens_on", "pk")
        )
        return [
            Table(
                slug="questionnaires",
                title=_("Questionnaires de la période"),
                columns=[
                    Column(_("Questionnaire"), TEXT),
                    Column(_("Ouvert le"), TEXT),
                    Column(_("Interrogés"), COUNT),
                    Column(_("Réponses"), COUNT),
                    Column(_("Taux de réponse"), PERCENT),
                    Column(_("Lisibilité (sur 5)"), SCORE),
                    Column(_("Coordination (sur 5)"), SCORE),
                ],
                rows=[
                    [
                        survey.title,
                        survey.opens_on,
                        survey.invited_count,
                        secrecy.mask_count(survey.n),
                        _response_rate(survey.n, survey.invited_count),
                        secrecy.average(survey.readability or 0, survey.n),
                        secrecy.average(survey.coordination or 0, survey.n),
                    ]
                    for survey in surveys
                ],
            ),
            Table(
                slug="commentaires",
                title=_("Commentaires des professionnels"),
                columns=[Column(_("Questionnaire"), TEXT), Column(_("Commentaire"), TEXT)],
                rows=[[response.survey.title, response.comment] for response in comments],
                note=_(
                    "Commentaires sans nom, publiés seulement pour les questionnaires qui ont "
                    "reçu au moins %(n)s réponses."
                )
                % {"n": secrecy.THRESHOLD},
            ),
        ]


def _score(total: int, people: int):
    if not people:
        return None
    if people < secrecy.THRESHOLD:
        return secrecy.MASKED
    return secrecy.average(total, 2 * people)


def _response_rate(responses: int, invited: int | None):
    if not invited:
        return None
    if responses and responses < secrecy.THRESHOLD:
        return secrecy.MASKED
    return (Decimal(100 * responses) / Decimal(invited)).quantize(Decimal("0.1"))


class Passerelles(Metric):
    key = "passerelles"
    label = gettext_lazy("Passerelles entre Petite Enfance, Enfance et Jeunesse")
    filters = frozenset({"commune"})
    method = gettext_lazy(
        "Orientations suivies créées pendant la période dont l'origine est la Petite Enfance, "
        "l'Enfance ou la Jeunesse et dont le service de destination appartient à une autre de "
        "ces trois étapes. Chaque couple (secteur d'origine, secteur de destination) compte : "
        "c'est la matrice ci-dessous. S'y ajoutent, à part, les parcours types formalisés qui "
        "traversent au moins deux de ces étapes."
    )

    tallies = (STAGE_PAIRS,)

    def _stages(self) -> list[Sector]:
        return list(Sector.objects.filter(is_child_stage=True).order_by("position", "name"))

    @staticmethod
    def _crossing(key: str, slug_by_id: dict) -> tuple[str, int] | None:
        """(origin, destination sector id) when the pair crosses two stages."""
        origin, _sep, sector_id = key.partition(">")
        if not sector_id.isdigit() or int(sector_id) not in slug_by_id:
            return None
        if ORIGIN_SECTOR_SLUGS.get(origin) == slug_by_id[int(sector_id)]:
            return None
        return origin, int(sector_id)

    def series(self, scope: Scope) -> Series:
        slug_by_id = {stage.pk: stage.slug for stage in self._stages()}
        rows = [
            row for row in tally_rows(STAGE_PAIRS, scope) if self._crossing(row["key"], slug_by_id)
        ]
        return _count_series(_fold_tally(rows), scope)

    def tables(self, scope: Scope) -> list[Table]:
        stages = self._stages()
        slug_by_id = {stage.pk: stage.slug for stage in stages}
        matrix = Counter()
        for key, count in _by_key(tally_rows(STAGE_PAIRS, scope)).items():
            if pair := self._crossing(key, slug_by_id):
                matrix[pair] += count
        origins = [code for code in ORIGIN_SECTOR_SLUGS if code in Origin.values]
        keys = [
            (code, stage.pk)
            for code in origins
            for stage in stages
            if ORIGIN_SECTOR_SLUGS[code] != stage.slug
        ]
        masked = dict(zip(keys, secrecy.mask_cells([matrix[key] for key in keys]), strict=True))
        orientation_rows = [
            [str(Origin(code).label), *[masked.get((code, stage.pk)) for stage in stages]]
            for code in origins
        ]
        # Pathways crossing stages: each pair of stages they cross, earlier stage first.
        end = min(scope.period.end, timezone.localdate())
        pathways = (
            Pathway.objects.formalised()
            .child_stage_passerelles()
            .filter(validated_on__lte=end)
            .prefetch_related("sectors")
        )
        pairs = Counter()
        for pathway in pathways:
            crossed = sorted(
                (sector for sector in pathway.sectors.all() if sector.is_child_stage),
                key=lambda s: (s.position, s.name),
            )
            for i, first in enumerate(crossed):
                for second in crossed[i + 1 :]:
                    pairs[(first.pk, second.pk)] += 1
        # A pathway links two stages both ways: one triangle of the matrix says it all.
        pathway_rows = [
            [
                stage.name,
                *[
                    pairs.get((stage.pk, other.pk), 0) if j > i else None
                    for j, other in enumerate(stages)
                ],
            ]
            for i, stage in enumerate(stages)
        ]
        return [
            Table(
                slug="matrice-orientations",
                title=_("Orientations d'une étape vers une autre (origine → destination)"),
                columns=[Column(_("Origine ↓ / destination →"), TEXT)]
                + [Column(stage.name, COUNT) for stage in stages],
                rows=orientation_rows,
                is_matrix=True,
                note=_("Total : %(n)s passerelles.")
                % {"n": secrecy.mask_count(sum(matrix.values()))},
            ),
            Table(
                slug="matrice-parcours",
                title=_("Parcours types formalisés qui relient deux étapes"),
                columns=[Column(_("De ↓ / vers →"), TEXT)]
                + [Column(stage.name, COUNT) for stage in stages],
                rows=pathway_rows,
                is_matrix=True,
                note=_("Un parcours qui traverse les trois étapes compte dans chaque couple."),
            ),
        ]


class Referents(Metric):
    key = "referents"
    label = gettext_lazy("Personnes-relais et référents thématiques mobilisés")
    people = False
    filters = frozenset({"commune"})
    method = gettext_lazy(
        "Personnes-relais et référents thématiques actuellement mobilisés, comptés à la fin de "
        "la période selon leur date de mobilisation (sans date : depuis toujours). Ce sont des "
        "contacts professionnels publics : pas de secret statistique. Filtre commune : ceux "
        "qui couvrent la commune."
    )

    def _queryset(self, scope: Scope):
        qs = Referent.objects.filter(is_active=True)
        if scope.commune:
            qs = qs.covering(scope.commune).distinct()
        return qs

    def series(self, scope: Scope) -> Series:
        qs = self._queryset(scope)
        counts = dict(
            qs.filter(mobilised_since__isnull=False)
            .values_list("mobilised_since")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        undated = qs.filter(mobilised_since__isnull=True).count()
        return _snapshot_series(counts, undated, scope)

    def tables(self, scope: Scope) -> list[Table]:
        end = min(scope.period.end, timezone.localdate())
        rows = (
            self._queryset(scope)
            .filter(Q(mobilised_since__isnull=True) | Q(mobilised_since__lte=end))
            .values("theme", "is_relay_person")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        counts = {(row["theme"], row["is_relay_person"]): row["n"] for row in rows}
        return [
            Table(
                slug="par-theme",
                title=_("Par thème"),
                columns=[
                    Column(_("Thème"), TEXT),
                    Column(_("Référents professionnels"), COUNT),
                    Column(_("Personnes-relais"), COUNT),
                    Column(_("Total"), COUNT),
                ],
                rows=[
                    [
                        str(label),
                        counts.get((code, False), 0),
                        counts.get((code, True), 0),
                        counts.get((code, False), 0) + counts.get((code, True), 0),
                    ]
                    for code, label in Referent.Theme.choices
                ],
            )
        ]


class TargetedBeneficiaries(Metric):
    key = "targeted_beneficiaries"
    label = gettext_lazy("Bénéficiaires d'actions d'accompagnement ciblées")
    method = gettext_lazy(
        "Orientations suivies créées pendant la période, arrivées sans rupture vers un service "
        "des secteurs du périmètre de l'indicateur (accompagnement aux démarches, numérique, "
        "insertion…), plus les bénéficiaires saisis à la main pour les actions qui ne passent "
        "pas par le portail."
    )

    @staticmethod
    def _sector_ids(scope: Scope) -> list[int]:
        if scope.indicator is None:
            return []
        return sorted(sector.pk for sector in scope.indicator.sectors.all())

    def tallies_for(self, indicator) -> list[Tally]:
        return [targeted_tally([sector.pk for sector in indicator.sectors.all()])]

    def series(self, scope: Scope) -> Series:
        rows = tally_rows(targeted_tally(self._sector_ids(scope)), scope)
        return _count_series(_fold_tally(rows), scope)

    def tables(self, scope: Scope) -> list[Table]:
        sector_ids = self._sector_ids(scope)
        if scope.sector is None:
            # The daily counts of orientations without rupture, sector by sector.
            by_sector = {}
            for sector in Sector.objects.filter(pk__in=sector_ids):
                rows = tally_rows(WITHOUT, replace(scope, sector=sector))
                by_sector[sector.name] = sum(row["n"] for row in rows if row["_cur"])
        else:
            qs = _targeted_rows(scope, sector_ids).filter(
                _period_bounds_q("created_at", scope.period), service__sectors__in=sector_ids
            )
            by_sector = dict(
                qs.values_list("service__sectors__name").annotate(n=Count("pk")).order_by()
            )
        by_sector = {name: n for name, n in by_sector.items() if n}
        names = sorted(by_sector)
        return [
            Table(
                slug="par-secteur",
                title=_("Bénéficiaires orientés par le portail, par secteur du service"),
                columns=[Column(_("Secteur"), TEXT), Column(_("Bénéficiaires"), COUNT)],
                rows=[
                    [name, cell]
                    for name, cell in zip(
                        names, secrecy.mask_cells([by_sector[name] for name in names]), strict=True
                    )
                ],
                note=_("Un service de deux secteurs du périmètre compte dans chacun."),
            )
        ]


class UnmetNeeds(Metric):
    key = "unmet_needs"
    label = gettext_lazy("Besoins non couverts signalés")
    method = gettext_lazy(
        "Besoins qu'aucun service du territoire n'a pu couvrir, notés par les conseillers "
        "pendant la période (aucun service, complet, trop loin, horaires, coût, conditions). "
        "Filtre secteur : le secteur du besoin."
    )

    tallies = (UNMET_NEEDS,)

    def series(self, scope: Scope) -> Series:
        return _count_series(_fold_tally(tally_rows(UNMET_NEEDS, scope)), scope)

    def tables(self, scope: Scope) -> list[Table]:
        period = scope.period
        qs = _unmet_rows(scope).filter(_period_bounds_q("created_at", period))
        sectors = list(Sector.objects.order_by("position", "name"))
        if scope.sector:
            sectors = [scope.sector]
        matrix = Counter(
            {
                (row["commune__name"], row["need__sector_id"]): row["n"]
                for row in qs.values("commune__name", "need__sector_id")
                .annotate(n=Count("pk"))
                .order_by()
            }
        )
        communes = sorted({name for name, _sector in matrix}, key=lambda n: (n is None, n or ""))
        matrix_rows = []
        for name in communes:
            matrix_rows.append(
                [_or_unknown(name), *secrecy.mask_cells([matrix[(name, s.pk)] for s in sectors])]
            )
        by_need = (
            qs.values("need__name", "need__sector__name", "reason")
            .annotate(n=Count("pk"))
            .order_by()
        )
        need_counts, need_reasons = Counter(), defaultdict(Counter)
        sector_of = {}
        for row in by_need:
            need_counts[row["need__name"]] += row["n"]
            need_reasons[row["need__name"]][row["reason"]] += row["n"]
            sector_of[row["need__name"]] = row["need__sector__name"]
        reasons = UnmetNeed.Reason
        need_rows = [
            [
                name,
                sector_of[name],
                *secrecy.mask_cells([need_reasons[name][code] for code in reasons.values]),
                secrecy.mask_count(need_counts[name]),
            ]
            for name, _n in need_counts.most_common()
        ]
        by_month = _fold_tally(tally_rows(UNMET_NEEDS, scope))
        return [
            Table(
                slug="commune-secteur",
                title=_("Besoins non couverts par commune et par secteur"),
                columns=[Column(_("Commune"), TEXT)] + [Column(s.name, COUNT) for s in sectors],
                rows=matrix_rows,
                is_matrix=True,
            ),
            Table(
                slug="par-besoin",
                title=_("Besoins non couverts par besoin et par raison"),
                columns=[
                    Column(_("Besoin"), TEXT),
                    Column(_("Secteur"), TEXT),
                    *[Column(str(label), COUNT) for label in reasons.labels],
                    Column(_("Total"), COUNT),
                ],
                rows=need_rows,
            ),
            Table(
                slug="evolution",
                title=_("Besoins non couverts dans le temps"),
                columns=[Column(_("Période"), TEXT), Column(_("Besoins non couverts"), COUNT)],
                rows=[
                    [
                        period.bucket_long_label(first),
                        secrecy.mask_count(by_month.buckets[first]["n"]),
                    ]
                    for first in period.buckets()
                    if not _is_future(scope, first)
                ],
            ),
            coverage_gaps(scope),
        ]


def coverage_gaps(scope: Scope) -> Table:
    """For each need, the communes no published service serves (the directory's rule:
    a service serves the whole territory or the communes it lists)."""
    from services_directory.models import Territory

    territory = Territory.objects.current()
    communes = Commune.objects.filter(territory=territory).order_by("name")
    if scope.commune:
        communes = communes.filter(pk=scope.commune.pk)
    communes = list(communes)
    needs = Need.objects.select_related("sector").order_by("sector__position", "position", "name")
    if scope.sector:
        needs = needs.filter(sector=scope.sector)
    needs = list(needs)
    through = Service.needs.through.objects.filter(service__status=Service.Status.PUBLISHED)
    everywhere = set(
        through.filter(service__serves_whole_territory=True)
        .values_list("need_id", flat=True)
        .distinct()
    )
    served = set(
        through.filter(
            service__serves_whole_territory=False, service__communes_served__isnull=False
        )
        .values_list("need_id", "service__communes_served")
        .distinct()
    )
    rows = []
    for need in needs:
        if need.pk in everywhere:
            continue
        missing = [commune.name for commune in communes if (need.pk, commune.pk) not in served]
        if missing:
            rows.append([need.name, need.sector.name, len(missing), ", ".join(missing)])
    return Table(
        slug="communes-sans-service",
        title=_("Communes sans aucun service publié pour un besoin"),
        columns=[
            Column(_("Besoin"), TEXT),
            Column(_("Secteur"), TEXT),
            Column(_("Communes sans service"), COUNT),
            Column(_("Lesquelles"), TEXT),
        ],
        rows=rows,
        note=_(
            "État actuel de l'annuaire, quelle que soit la période. Un service sert tout le "
            "territoire ou les communes qu'il indique."
        ),
    )


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        PathwaysFormalised(),
        PathwaysDiffused(),
        Satisfaction(),
        WithoutRupture(),
        Origins(),
        ProfessionalFeedback(),
        Passerelles(),
        Referents(),
        TargetedBeneficiaries(),
        ReceivedRate(),
        UnmetNeeds(),
    )
}


def metric_choices() -> list[tuple[str, str]]:
    return [(key, str(metric.label)) for key, metric in METRICS.items()]


# --- indicators of the frame: computed, manual or both ----------------------------------


def manual_series(indicator, scope: Scope) -> Series:
    """Values entered by hand whose period lies within each period.

    Counts add up; percentages and scores are averaged. A value is charted at the step of
    its period's first day.
    """
    values = list(
        indicator.manual_values.within(scope.previous.start, scope.period.end).order_by(
            "period_start"
        )
    )
    is_count = indicator.unit == "count"

    def combine(items: list[Decimal]):
        if not items:
            return None
        total = sum(items, Decimal(0))
        if is_count:
            return int(total) if total == int(total) else total
        return (total / len(items)).quantize(Decimal("0.01"))

    current = [v.value for v in values if v.period_start >= scope.period.start]
    previous = [v.value for v in values if v.period_end <= scope.previous.end]
    per_bucket = defaultdict(list)
    for value in values:
        if value.period_start >= scope.period.start:
            per_bucket[scope.period.bucket_of(value.period_start)].append(value.value)
    buckets = [combine(per_bucket[first]) for first in scope.period.buckets()]
    if is_count:
        return _masked_counts(
            scope, combine(current), combine(previous), buckets, people=indicator.counts_people
        )
    return Series(
        current=combine(current),
        previous=combine(previous),
        buckets=list(zip(scope.period.buckets(), buckets, strict=True)),
    )


def _add(a, b):
    """Unknown plus a number is that number."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def indicator_series(indicator, scope: Scope) -> Series:
    scope = replace(scope, indicator=indicator)
    if indicator.source == "manual":
        return manual_series(indicator, scope)
    series = METRICS[indicator.metric].series(scope)
    if indicator.source == "mixed" and series.raw is not None:
        manual = manual_series(indicator, scope)
        computed, entered = series.raw, manual.raw or (None, None, [None] * len(series.buckets))
        mixed = _masked_counts(
            scope,
            _add(computed[0], entered[0]),
            _add(computed[1], entered[1]),
            [_add(a, b) for a, b in zip(computed[2], entered[2], strict=True)],
            people=METRICS[indicator.metric].people,
        )
        mixed.details, mixed.base = series.details, series.base
        return mixed
    return series
