from dataclasses import replace
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from services_directory.access import can_answer_survey, can_view_dashboard
from services_directory.htmx import render_page, vary_on_htmx

from . import cards, observatory, rollup, tables
from .forms import DashboardFilterForm, ProfessionalResponseForm, scope_query
from .metrics import METRICS, Scope, with_daily_counts
from .models import Indicator, ProfessionalResponse, ProfessionalSurvey
from .secrecy import THRESHOLD

# --- permission and filter helpers -------------------------------------------------------


def _require_dashboard_access(request: HttpRequest) -> None:
    if not can_view_dashboard(request.user):
        raise PermissionDenied


def _get_indicator_for_user(request: HttpRequest, slug: str) -> Indicator:
    _require_dashboard_access(request)
    queryset = Indicator.objects.for_dashboard()
    return get_object_or_404(queryset, slug=slug)


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, Scope]:
    form = DashboardFilterForm(request.GET)
    form.is_valid()
    series_horizons, refreshed_at = rollup.horizons()
    scope = replace(form.scope(), rollups=series_horizons)
    request.indicators_refreshed_at = refreshed_at
    return form, scope


def _common_context(request: HttpRequest, form: DashboardFilterForm, scope: Scope) -> dict:
    return {
        "form": form,
        "scope": scope,
        "query": urlencode(scope_query(scope)),
        "threshold": THRESHOLD,
        "refreshed_at": getattr(request, "indicators_refreshed_at", None),
    }


def _status(form: DashboardFilterForm) -> int:
    # Bad filters are ignored and explained on the page; the status tells machines about it.
    return 400 if form.errors else 200


def _about(scope: Scope) -> list[tuple[str, str]]:
    return [
        (_("Période"), scope.period.label),
        (_("Commune"), scope.commune.name if scope.commune else _("toutes")),
        (_("Secteur"), scope.sector.name if scope.sector else _("tous")),
    ]


def _context_slug(scope: Scope) -> str:
    context_slug = scope.period.slug
    if scope.commune:
        context_slug += f"_{scope.commune.slug}"
    if scope.sector:
        context_slug += f"_{scope.sector.slug}"
    return context_slug


def _export(table: tables.Table, scope: Scope, fmt: str) -> HttpResponse:
    context_slug = _context_slug(scope)
    if fmt == "csv":
        return tables.csv_response(table, context_slug=context_slug)
    return tables.xlsx_response(table, context_slug=context_slug, about=_about(scope))


def _find_table(candidates: list[tables.Table], slug: str) -> tables.Table:
    for table in candidates:
        if table.slug == slug:
            return table
    raise Http404


def _with_counts(scope: Scope, indicators: list[Indicator]) -> Scope:
    """The scope with the nightly counts of every tally of the page, read in one query."""
    tallies = [
        tally
        for indicator in indicators
        if indicator.metric in METRICS and not indicator.is_manual
        for tally in METRICS[indicator.metric].tallies_for(indicator)
    ]
    return with_daily_counts(scope, tallies)


def _dashboard_cards(scope: Scope) -> list[cards.Card]:
    """Every followed indicator's card; each card's scope holds the page's counts."""
    indicators = list(Indicator.objects.for_dashboard())
    scope = _with_counts(scope, indicators)
    return [cards.build_card(indicator, scope) for indicator in indicators]


def _by_sheet(card_list: list[cards.Card]) -> list:
    return [
        (sheet, list(group))
        for sheet, group in groupby(card_list, key=lambda card: card.indicator.action_sheet)
    ]


def _indicator_tables(indicator: Indicator, card: cards.Card, scope: Scope) -> list[tables.Table]:
    found = [card.data]
    if indicator.has_manual_values:
        found.append(cards.manual_values_table(indicator, card.series))
    if not indicator.is_manual:
        found += METRICS[indicator.metric].tables(replace(scope, indicator=indicator))
    return found


# --- /indicateurs/ -----------------------------------------------------------------------


@require_safe
@login_required
@vary_on_htmx
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_dashboard_access(request)
    form, scope = _filters(request)
    card_list = _dashboard_cards(scope)
    context = _common_context(request, form, scope) | {"sheets": _by_sheet(card_list)}
    return render_page(
        request, "indicators/dashboard.html", context, partial="results", status=_status(form)
    )


@require_safe
@login_required
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The synthesis and every breakdown (month, origin, commune, sector) of the pages,
    with the same secrecy: XLSX one sheet each, CSV one long table."""
    _require_dashboard_access(request)
    _form, scope = _filters(request)
    card_list = _dashboard_cards(scope)
    summary = cards.summary_table(card_list, scope)
    breakdowns = cards.breakdown_tables(
        [(card, _indicator_tables(card.indicator, card, card.scope)) for card in card_list]
    )
    if fmt == "csv":
        return _export(cards.long_table(summary, breakdowns, scope), scope, fmt)
    workbook = tables.Workbook()
    tables.add_sheet(workbook, _("Synthèse"), summary, first=True)
    for table in breakdowns.values():
        tables.add_sheet(workbook, table.title, table)
    definitions = [
        (f"{card.indicator.name}", f"{card.indicator.definition} — {_method(card)}")
        for card in card_list
    ]
    tables.about_sheet(workbook, [(_("Tableau"), summary.title), *_about(scope), *definitions])
    return tables.workbook_response(
        workbook, tables.filename(summary, _context_slug(scope), "xlsx")
    )


def _method(card: cards.Card) -> str:
    metric = METRICS.get(card.indicator.metric)
    if metric is None or card.indicator.is_manual:
        return str(card.indicator.get_source_display())
    return str(metric.method)


@require_safe
@login_required
def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = _get_indicator_for_user(request, slug)
    form, scope = _filters(request)
    scope = _with_counts(scope, [indicator])
    card = cards.build_card(indicator, scope)
    context = _common_context(request, form, scope) | {
        "indicator": indicator,
        "card": card,
        "metric": METRICS.get(indicator.metric),
        "tables": _indicator_tables(indicator, card, scope)[1:],
    }
    return render(request, "indicators/indicator.html", context, status=_status(form))


@require_safe
@login_required
def indicator_export(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    indicator = _get_indicator_for_user(request, slug)
    _form, scope = _filters(request)
    card = cards.build_card(indicator, scope)
    return _export(_find_table(_indicator_tables(indicator, card, scope), table), scope, fmt)


@require_safe
@login_required
def synthesis(request: HttpRequest) -> HttpResponse:
    """Every followed indicator on one printable page, for the comité de pilotage."""
    _require_dashboard_access(request)
    form, scope = _filters(request)
    context = _common_context(request, form, scope) | {
        "sheets": _by_sheet(_dashboard_cards(scope)),
        "generated_at": timezone.localtime(),
    }
    return render(request, "indicators/synthesis.html", context, status=_status(form))


@require_safe
@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The evaluation report for the comité de pilotage: print it, the browser makes a PDF."""
    _require_dashboard_access(request)
    form, scope = _filters(request)
    card_list = _dashboard_cards(scope)
    counted = card_list[0].scope if card_list else scope
    sections = [(card, _report_tables(card, counted)) for card in card_list]
    observatory = _observatory(counted)
    context = _common_context(request, form, scope) | {
        "sheets_cards": _by_sheet(card_list),
        "sheets": [
            (sheet, list(group))
            for sheet, group in groupby(sections, key=lambda item: item[0].indicator.action_sheet)
        ],
        "observatory": observatory,
        "generated_at": timezone.localtime(),
    }
    return render(request, "indicators/report.html", context, status=_status(form))


def _report_tables(card: cards.Card, scope: Scope) -> list[tables.Table]:
    """The detail of an indicator in the report: its tables but the chart's data, which the
    chart now writes on its bars (kept when the bars are too many to carry their values)."""
    found = _indicator_tables(card.indicator, card, scope)
    labelled = card.chart is not None and all(
        bar.value_text or bar.value is None for bar in card.chart.bars
    )
    return found[1:] if labelled else found


def _observatory(scope: Scope) -> dict:
    metric = METRICS["unmet_needs"]
    series = metric.series(scope)
    lines = observatory.commune_lines(scope)
    return {
        "metric": metric,
        "series": series,
        "chart": cards.chart_of(series, scope, "count"),
        "map": observatory.commune_map(lines),
        "tables": [observatory.commune_table(lines), *metric.tables(scope)],
    }


@require_safe
@login_required
def observatory_page(request: HttpRequest) -> HttpResponse:
    """The observatory of needs: unmet needs by commune, need and time, and coverage gaps."""
    _require_dashboard_access(request)
    form, scope = _filters(request)
    counted = with_daily_counts(scope, list(METRICS["unmet_needs"].tallies))
    context = _common_context(request, form, scope) | {"observatory": _observatory(counted)}
    return render(request, "indicators/observatory.html", context, status=_status(form))


@require_safe
@login_required
def observatory_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    _require_dashboard_access(request)
    _form, scope = _filters(request)
    return _export(_find_table(_observatory(scope)["tables"], table), scope, fmt)


# --- /indicateurs/questionnaire/ (advisers and partner staff) -----------------------------


@require_http_methods(["GET", "POST"])
@login_required
def survey(request: HttpRequest) -> HttpResponse:
    if not can_answer_survey(request.user):
        raise PermissionDenied
    campaign = (
        ProfessionalSurvey.objects.open_on(timezone.localdate())
        .order_by("closes_on", "pk")
        .first()
    )
    answered = (
        campaign is not None
        and ProfessionalResponse.objects.filter(survey=campaign, respondent=request.user).exists()
    )
    form = ProfessionalResponseForm(request.POST or None)
    if request.method == "POST":
        if campaign is None or answered:
            messages.info(request, _("Ce questionnaire n'attend pas de réponse de votre part."))
            return redirect("indicators:survey")
        if form.is_valid():
            response = form.save(commit=False)
            response.survey, response.respondent = campaign, request.user
            try:
                with transaction.atomic():
                    response.save()
            except IntegrityError:
                # A double submit: the first answer stands.
                pass
            messages.success(request, _("Merci : votre réponse est enregistrée."))
            return redirect("indicators:survey")
    context = {"campaign": campaign, "answered": answered, "form": form}
    return render(request, "indicators/survey.html", context, status=400 if form.errors else 200)
