"""What the dashboard shows for one indicator: value, trend, target, small chart, data."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import charts, secrecy
from .metrics import METRICS, Scope, Series, indicator_series
from .models import Indicator
from .tables import NUMBER, TEXT, Column, Table
from .templatetags.indicators import plain_figure

FILTER_LABELS = {"commune": gettext_lazy("commune"), "sector": gettext_lazy("secteur")}


@dataclass
class Trend:
    delta: object
    css: str  # "good", "bad" or "neutral"
    text: str
    short: str = "—"  # for the synthesis: "+12", "−3,5 points", "stable"


@dataclass
class Card:
    indicator: Indicator
    series: Series
    trend: Trend
    chart: charts.BarChart | None
    data: Table
    ignored_filters: list[str]
    scope: Scope  # with the page's nightly counts, for the indicator's tables

    @property
    def kind(self) -> str:
        return self.indicator.unit


def _usable(value) -> bool:
    return value is not None and not secrecy.is_masked(value)


def _signed(delta: Decimal, unit: str) -> str:
    places = 0 if delta == delta.to_integral_value() else 1
    number = formats.number_format(abs(delta), places, use_l10n=True, force_grouping=True)
    sign = "+" if delta > 0 else "−"
    if unit == Indicator.Unit.PERCENT:
        return ngettext("%(sign)s%(n)s point", "%(sign)s%(n)s points", max(int(abs(delta)), 1)) % {
            "sign": sign,
            "n": number,
        }
    return f"{sign}{number}"


def trend(indicator: Indicator, series: Series, previous_label: str) -> Trend:
    current, previous = series.current, series.previous
    if not (_usable(current) and _usable(previous)):
        return Trend(None, "neutral", _("Évolution non disponible."))
    delta = Decimal(str(current)) - Decimal(str(previous))
    if delta == 0:
        return Trend(
            delta,
            "neutral",
            _("Stable par rapport à %(when)s.") % {"when": previous_label},
            _("stable"),
        )
    better = (delta > 0) == (indicator.direction == Indicator.Direction.UP)
    amount = _signed(delta, indicator.unit)
    text = (
        _("En hausse : %(amount)s par rapport à la période précédente (%(when)s).")
        if delta > 0
        else _("En baisse : %(amount)s par rapport à la période précédente (%(when)s).")
    ) % {"amount": amount, "when": previous_label}
    return Trend(delta, "good" if better else "bad", text, amount)


def chart_of(series: Series, scope: Scope, unit: str, *, target=None):
    """The card's bar chart: axes named after the unit and the step, values on the bars."""
    period = scope.period
    by_day = period.bucket_unit == "day"
    firsts = [first for first, _value in series.buckets]
    if by_day:
        # Every fifth day under the axis: 31 labels would overlap.
        axis = [str(d.day) if d.day == 1 or d.day % 5 == 0 else "" for d in firsts]
    else:
        axis = [formats.date_format(d, "b") for d in firsts]
    y_title = {
        Indicator.Unit.PERCENT: _("en %"),
        Indicator.Unit.SCORE: _("note sur 5"),
    }.get(unit, _("nombre"))
    return charts.bar_chart(
        [(period.bucket_label(first), value) for first, value in series.buckets],
        target=target,
        axis_labels=axis,
        value_text=lambda value: plain_figure(value, unit, short=True),
        x_title=_("jour") if by_day else _("mois"),
        y_title=y_title,
    )


def series_table(indicator: Indicator, series: Series, scope: Scope) -> Table:
    period = scope.period
    return Table(
        slug="serie",
        title=_("%(name)s : %(period)s, %(step)s")
        % {
            "name": indicator.name,
            "period": period.label,
            "step": _("jour par jour") if period.bucket_unit == "day" else _("mois par mois"),
        },
        columns=[
            Column(_("Période"), TEXT),
            Column(str(indicator.get_unit_display()).capitalize(), indicator.unit),
        ],
        rows=[[period.bucket_long_label(first), value] for first, value in series.buckets],
    )


def build_card(indicator: Indicator, scope: Scope) -> Card:
    series = indicator_series(indicator, scope)
    metric = METRICS.get(indicator.metric)
    applicable = metric.filters if metric and not indicator.is_manual else frozenset()
    ignored = [
        FILTER_LABELS[name]
        for name, value in (("commune", scope.commune), ("sector", scope.sector))
        if value is not None and name not in applicable
    ]
    target = (
        indicator.target
        if indicator.unit in (Indicator.Unit.PERCENT, Indicator.Unit.SCORE)
        else None
    )
    chart = chart_of(series, scope, indicator.unit, target=target)
    return Card(
        indicator=indicator,
        series=series,
        trend=trend(indicator, series, scope.previous.label),
        chart=chart,
        data=series_table(indicator, series, scope),
        ignored_filters=ignored,
        scope=scope,
    )


def manual_values_table(indicator: Indicator, series: Series) -> Table:
    """The values entered by hand for the period, as the card counts them."""
    rows = []
    for value, published in series.entries:
        who = ""
        if value.entered_by:
            who = value.entered_by.get_full_name() or value.entered_by.get_username()
        rows.append([value.period_start, value.period_end, published, value.comment, who])
    return Table(
        slug="valeurs-saisies",
        title=_("Valeurs saisies à la main pour la période"),
        columns=[
            Column(_("Du"), TEXT),
            Column(_("Au"), TEXT),
            Column(_("Valeur"), indicator.unit),
            Column(_("Commentaire"), TEXT),
            Column(_("Saisi par"), TEXT),
        ],
        rows=rows,
    )


def summary_table(cards: list[Card], scope: Scope) -> Table:
    """Every indicator of the dashboard on one line: the export's synthesis."""
    return Table(
        slug="synthese",
        title=_("Synthèse des indicateurs, %(period)s") % {"period": scope.period.label},
        columns=[
            Column(_("Fiche action"), TEXT),
            Column(_("Indicateur"), TEXT),
            Column(_("Unité"), TEXT),
            Column(scope.period.label.capitalize(), NUMBER),
            Column(scope.previous.label.capitalize(), NUMBER),
            Column(_("Évolution"), NUMBER),
            Column(_("Cible"), NUMBER),
            Column(_("Échéance de la cible"), TEXT),
            Column(_("Source"), TEXT),
        ],
        rows=[
            [
                card.indicator.action_sheet.title,
                card.indicator.name,
                str(card.indicator.get_unit_display()),
                card.series.current,
                card.series.previous,
                card.trend.delta,
                card.indicator.target,
                card.indicator.target_label,
                str(card.indicator.get_source_display()),
            ]
            for card in cards
        ],
    )


# Which tables of an indicator's page break its figures down, and along what.
BREAKDOWNS = {
    "serie": "mois",
    "evolution": "mois",
    "par-origine": "origine",
    "par-commune": "commune",
    "commune-secteur": "commune",
    "par-secteur": "secteur",
}
# A matrix of communes by sector gives, on its « Total » row, one figure per sector.
SECTOR_TOTALS = "commune-secteur"
DIMENSION_LABELS = {
    "mois": gettext_lazy("Par mois (ou par jour)"),
    "origine": gettext_lazy("Par origine"),
    "commune": gettext_lazy("Par commune"),
    "secteur": gettext_lazy("Par secteur"),
}


def breakdown_tables(cards_and_tables: list[tuple[Card, list[Table]]]) -> dict[str, Table]:
    """One long table per dimension: indicator, line, measure, value (as on the pages)."""
    found = {}
    for dimension, label in DIMENSION_LABELS.items():
        rows = []
        for card, tables in cards_and_tables:
            for table in tables:
                if dimension == "secteur" and table.slug == SECTOR_TOTALS and table.rows:
                    total = table.rows[-1]
                    rows += [
                        [
                            card.indicator.action_sheet.title,
                            card.indicator.name,
                            table.title,
                            str(column.label),
                            _("Total"),
                            value,
                        ]
                        for value, column in zip(total[1:-1], table.columns[1:-1], strict=False)
                        if str(total[0]) == str(_("Total"))
                    ]
                if BREAKDOWNS.get(table.slug) != dimension or table.withheld:
                    continue
                for row in table.rows:
                    for value, column in zip(row[1:], table.columns[1:], strict=False):
                        if column.kind == TEXT:
                            continue
                        rows.append(
                            [
                                card.indicator.action_sheet.title,
                                card.indicator.name,
                                table.title,
                                str(row[0]),
                                str(column.label),
                                value,
                            ]
                        )
        found[dimension] = Table(
            slug=f"par-{dimension}",
            title=str(label),
            columns=[
                Column(_("Fiche action"), TEXT),
                Column(_("Indicateur"), TEXT),
                Column(_("Tableau"), TEXT),
                Column(str(label).removeprefix("Par ").capitalize(), TEXT),
                Column(_("Mesure"), TEXT),
                Column(_("Valeur"), NUMBER),
            ],
            rows=rows,
        )
    return found


def long_table(summary: Table, breakdowns: dict[str, Table], scope: Scope) -> Table:
    """Everything in one long table (the CSV export of the dashboard)."""
    rows = [
        [row[0], row[1], _("Ensemble"), scope.period.label, row[2], row[3]] for row in summary.rows
    ]
    for table in breakdowns.values():
        rows += [[r[0], r[1], table.title, r[3], r[4], r[5]] for r in table.rows]
    return Table(
        slug="tableau-de-bord",
        title=summary.title,
        columns=[
            Column(_("Fiche action"), TEXT),
            Column(_("Indicateur"), TEXT),
            Column(_("Ventilation"), TEXT),
            Column(_("Ligne"), TEXT),
            Column(_("Mesure"), TEXT),
            Column(_("Valeur"), NUMBER),
        ],
        rows=rows,
    )
