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

from .engine import Metric, Scope, Series, Tally, masked_counts
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
        return masked_counts(
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
        mixed = masked_counts(
            scope,
            _add(computed[0], entered[0]),
            _add(computed[1], entered[1]),
            [_add(a, b) for a, b in zip(computed[2], entered[2], strict=True)],
            people=METRICS[indicator.metric].people,
        )
        mixed.details, mixed.base = series.details, series.base
        return mixed
    return series
