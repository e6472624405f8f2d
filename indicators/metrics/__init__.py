"""The computed indicators: each metric turns the portal's data into figures for a period.

One module per family of metrics (referrals, pathways, territory, professionals), over the
tallies they count per day (tallies.py) and the scope, series and SQL grouping they share
(engine.py). This module is the registry an `Indicator.metric` names, and the figures of an
indicator of the frame: computed, entered by hand, or both. docs/indicateurs.md defines
each metric.
"""

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import secrecy
from .engine import Metric, Scope, Series, Tally, bucket_values
from .pathways import Passerelles, PathwaysDiffused, PathwaysFormalised
from .professionals import ProfessionalFeedback
from .referrals import Continuity, Origins, Satisfaction, WithoutRupture
from .tallies import with_daily_counts
from .territory import Referents, TargetedBeneficiaries, UnmetNeeds

# What the rest of the app uses; the families' modules are read through METRICS.
__all__ = [
    "METRICS",
    "Metric",
    "Scope",
    "Series",
    "Tally",
    "indicator_series",
    "metric_choices",
    "with_daily_counts",
]


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
        Continuity(),
        UnmetNeeds(),
    )
}


def metric_choices() -> list[tuple[str, str]]:
    return [(key, str(metric.label)) for key, metric in METRICS.items()]


# --- indicators of the frame: computed, manual or both ----------------------------------


def manual_series(indicator, scope: Scope) -> Series:
    """Values entered by hand whose period lies within each period.

    Counts add up; percentages and scores are averaged. A value is charted at the step of
    its period's first day. Counts of people are a line (each value and their total) under
    statistical secrecy; a step of the chart shows only what its values show.
    """
    values = list(
        indicator.manual_values.within(scope.previous.start, scope.period.end).order_by(
            "period_start", "pk"
        )
    )
    is_count = indicator.unit == "count"
    current = [v for v in values if v.period_start >= scope.period.start]
    previous = [v.value for v in values if v.period_end <= scope.previous.end]

    def combine(items: list[Decimal]):
        if not items:
            return None
        total = sum(items, Decimal(0))
        if is_count:
            return int(total) if total == int(total) else total
        return (total / len(items)).quantize(Decimal("0.01"))

    people = is_count and indicator.counts_people
    if people:
        line = secrecy.protect_line([int(v.value) for v in current])
        published = dict(zip((v.pk for v in current), line.parts, strict=True))
        total = line.total if current else None
        previous_value = secrecy.mask_count(combine(previous))
    else:
        published = {v.pk: combine([v.value]) for v in current}
        total = combine([v.value for v in current])
        previous_value = combine(previous)
    per_bucket = defaultdict(list)
    for value in current:
        per_bucket[scope.period.bucket_of(value.period_start)].append(value)
    buckets = []
    for first in scope.period.buckets():
        inside = per_bucket[first]
        shown = [published[v.pk] for v in inside]
        if any(secrecy.is_masked(value) for value in shown):
            buckets.append((first, secrecy.SECRET))
        else:
            buckets.append((first, combine([v.value for v in inside])))
    series = Series(current=total, previous=previous_value, buckets=buckets)
    series.entries = [(v, published[v.pk]) for v in current]
    if is_count:
        series.raw = (
            combine([v.value for v in current]),
            combine(previous),
            [combine([v.value for v in per_bucket[first]]) for first in scope.period.buckets()],
        )
    return series


def mixed_series(indicator, scope: Scope, computed: Series) -> Series:
    """A count computed by the portal plus values entered by hand: one line (the computed
    part and each value, with their total) under secrecy; the chart shows the computed
    part, broken down by step only when that part is shown."""
    manual = manual_series(indicator, scope)
    current, previous, raw_buckets = computed.raw
    entries = [entry for entry, _published in manual.entries]
    line = secrecy.protect_line([current, *(int(v.value) for v in entries)])
    # The computed part's steps (past ones only, see TargetedBeneficiaries.series).
    by_time = secrecy.protect_breakdown(raw_buckets, line.parts[0], current)
    details = [(_("dont orientations du portail"), line.parts[0], "count")]
    if entries:
        details.append((_("dont saisies à la main"), _sum_shown(line.parts[1:]), "count"))
    series = Series(
        current=line.total,
        previous=secrecy.mask_count(_add(previous, manual.raw[1] if manual.raw else None)),
        buckets=bucket_values(scope, by_time),
        details=details,
    )
    series.entries = list(zip(entries, line.parts[1:], strict=True))
    series.computed_only_chart = True
    return series


def _sum_shown(parts: list):
    """The sum of values entered by hand, hidden when one of them is."""
    if any(secrecy.is_masked(part) for part in parts):
        return secrecy.SECRET
    return sum(parts)


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
        mixed = mixed_series(indicator, scope, series)
        mixed.base = series.base
        return mixed
    return series
