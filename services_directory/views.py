import datetime as dt
import json
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import access, datainclusion, ics, outbox, throttle, until, visitor
from .forms import ErrorReportForm, ServiceSearchForm, ServiceSheet
from .hours import local_now
from .htmx import render_page, set_history_url, typing, vary_on_htmx, wants_partial
from .models import (
    ErrorReport,
    FreshnessRequest,
    GroupSession,
    ItinerantStop,
    Notice,
    OutgoingMessage,
    Partner,
    Service,
    ServiceChange,
    ServicePlace,
    Territory,
    UnansweredSearch,
)
from .search import closest_needs, explain, related_pages

PAGE_SIZE = 20
# Under this many results, the page also proposes needs, pathways, the guided orientation
# and the France Services counter's phone: never a dead end.
FEW_RESULTS = 3
SESSIONS_SHOWN = 6
WIDGET_SIZE = 8
WIDGET_FILTERS = ("commune", "besoin", "secteur")

# --- who may do what here: the rules are in access.py -------------------------------------


def _get_sheet_partner(request: HttpRequest) -> Partner:
    partner = access.sheet_partner(request.user)
    if partner is None:
        raise PermissionDenied
    return partner


def _get_service_for_sheet(request: HttpRequest, pk: int) -> Service:
    """A service of this person's partner (403 without a partner, 404 for another's)."""
    _get_sheet_partner(request)
    service = get_object_or_404(
        Service.objects.exclude(status=Service.Status.ARCHIVED).select_related("partner"),
        pk=pk,
    )
    if not access.may_edit_sheet(request.user, service):
        raise Http404
    return service


def _get_freshness_request(token: str) -> FreshnessRequest:
    freshness_request = access.freshness_request_for_token(token)
    if freshness_request is None:
        raise Http404
    return freshness_request


@require_safe
@vary_on_htmx
@until.true_until_noted  # every word about now is on the cards (annotate_for_display)
def search(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(visitor.params_with_commune(request))
    page = form.results_page(request.GET.get("page"), PAGE_SIZE)
    data = form.valid_data()
    if data.get("ouvert"):
        until.note_next_minute()  # « open now » chooses the results themselves
    commune, query = data.get("commune"), form.query
    Service.annotate_for_display(page.object_list, commune=commune)
    # A crèche closed for works is not the first one a family is sent to.
    page.object_list = Service.open_first(page.object_list)
    explain(page.object_list, query)
    params = request.GET.copy()
    params.pop("page", None)
    if commune and "commune" not in params:
        params["commune"] = commune.slug  # the remembered commune, carried by the pages
    count = page.paginator.count
    context = {
        "form": form,
        "page": page,
        "query": query,
        "commune": commune,
        "query_without_page": params.urlencode(),
        "pathways": related_pages(query),
        "searched": bool(data.get("q")),
        "by_distance": data.get("tri") == "distance",
        "few_results": bool(data.get("q")) and count < FEW_RESULTS,
        # An htmx swap of the results also replaces the emergency box (out of band).
        "swapping": wants_partial(request),
    }
    if context["few_results"]:
        context["closest_needs"] = closest_needs(query)
        context["counter"] = Partner.objects.france_services_counter()
    # Invalid filters are ignored and explained; the status tells machines about it.
    status = 400 if form.errors else 200
    response = render_page(
        request, "services_directory/search.html", context, partial="results", status=status
    )
    if data.get("q") and count == 0:
        # Counted for the observatory of unmet needs (words, commune, day: nothing else),
        # once the person has finished typing; and never stored by the page cache, so
        # that each such search is counted.
        # Only words that mean something ("le", "?" or "3" are not an unmet need).
        if query and not typing(request):
            UnansweredSearch.objects.record(data["q"], commune)
        patch_cache_control(response, no_cache=True)
    visitor.remember(request, response, commune)
    set_history_url(request, response)
    return response


def _get_published_service(slug: str, related=("sectors", "needs", "languages")) -> Service:
    queryset = Service.objects.published().select_related("partner").prefetch_related(*related)
    return get_object_or_404(queryset, slug=slug)


def _service_notices(service: Service, service_places, today: dt.date) -> list[Notice]:
    """The notices of the service and of its places, in force or to come."""
    places = {service_place.place_id for service_place in service_places}
    return [
        notice
        for notice in Notice.objects.remembered_current(today)
        if notice.service_id == service.pk
        or (notice.service_id is None and notice.place_id in places)
    ]


def _next_stops(service: Service, now: dt.datetime, notices) -> list[tuple]:
    stops = ItinerantStop.objects.remembered_of([service.pk])[service.pk]
    found = [(stop, stop.next_dates(now, notices=notices)) for stop in stops]
    found = [(stop, dates) for stop, dates in found if dates]
    found.sort(key=lambda item: item[1][0][0])
    return found


def _upcoming_sessions(service: Service, now: dt.datetime, notices) -> list[GroupSession]:
    closures = [n.period for n in notices if n.kind == Notice.Kind.CLOSURE and n.place is None]
    sessions = [
        session
        for session in GroupSession.objects.remembered_from(now.date())
        if session.service_id == service.pk and session.is_upcoming(now)
    ]
    return [
        session
        for session in sessions[: SESSIONS_SHOWN * 2]
        if not any(period.covers(session.date) for period in closures)
    ][:SESSIONS_SHOWN]


@require_safe
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Its domains, needs and languages are read only by the parts of the page kept per
    # content version ({% remember %}): only when those are written again.
    service = _get_published_service(slug, related=())
    now = local_now()
    service_places = list(
        ServicePlace.objects.filter(service=service)
        .select_related("place__commune")
        .order_by("pk")
    )
    notices = _service_notices(service, service_places, now.date())
    stops = _next_stops(service, now, notices)
    stop_places = {stop.place_id for stop, _dates in stops}
    for service_place in service_places:
        service_place.status_now = service_place.live_status(now, notices)
        service_place.week = service_place.week_table(now.date(), notices)
        service_place.all_closed = bool(service_place.week) and not any(
            row.ranges for row in service_place.week
        )
    # An itinerant service's stops are listed with their dates: their places, without
    # hours of their own, would only repeat them further down the page.
    shown_places = [
        sp for sp in service_places if sp.opening_hours or sp.place_id not in stop_places
    ]

    def related():
        return (
            Service.objects.published()
            .for_the_needs_of(service)
            .select_related("partner")
            .prefetch_related("sectors")
            .order_by("name")[:6]
        )

    context = {
        "service": service,
        "service_places": shown_places,
        "stops": stops,
        "sessions": _upcoming_sessions(service, now, notices),
        "related": related,
        "notices": notices,
        "first_status": next((sp.status_now for sp in service_places if sp.status_now), None),
        "stale": service.is_stale(now.date()),
    }
    return render(request, "services_directory/service_detail.html", context)


@require_safe
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partner = get_object_or_404(Partner, slug=slug)
    services = Service.objects.published().filter(partner=partner).for_listing().order_by("name")
    services = list(services)
    Service.annotate_for_display(services)
    referents = partner.referents.public().order_by("theme", "role")
    context = {"partner": partner, "services": services, "referents": referents}
    return render(request, "services_directory/partner_detail.html", context)


# --- open data: /donnees/ --------------------------------------------------------------------

DATASETS = {
    "structures": (datainclusion.export_structures, datainclusion.STRUCTURE_COLUMNS),
    "services": (datainclusion.export_services, datainclusion.SERVICE_EXPORT_COLUMNS),
}


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    published = Service.objects.published()
    context = {
        "service_count": published.count(),
        "partner_count": Partner.objects.filter(services__in=published).distinct().count(),
        "latest": published.order_by("-verified_on").values_list("verified_on", flat=True).first(),
        "source": datainclusion.source_name(),
        "files": [
            (name, fmt, reverse("services_directory:open_data_file", args=[name, fmt]))
            for name in DATASETS
            for fmt in ("json", "csv")
        ],
    }
    return render(request, "services_directory/open_data.html", context)


@require_safe
def open_data_file(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """The published directory in the data·inclusion v1 schema (Licence Ouverte 2.0)."""
    if dataset not in DATASETS or fmt not in ("json", "csv"):
        raise Http404
    export, columns = DATASETS[dataset]
    records = export()
    if fmt == "json":
        body = json.dumps(records, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{dataset}.json"'
    else:
        # The BOM lets spreadsheets read the accents as UTF-8.
        body = "\ufeff" + datainclusion.to_csv(records, columns)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{dataset}.csv"'
    # Open data: any site may read it from a script.
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- the widget for the communes' and partners' websites: /widget/ --------------------------


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def widget(request: HttpRequest) -> HttpResponse:
    """The services for a commune and a need or sector, for an <iframe> on another site:
    no JavaScript, no cookie, no tracking; every link opens the portal in a new tab."""
    params = {name: request.GET.get(name, "") for name in WIDGET_FILTERS}
    form = ServiceSearchForm(params)
    page = form.results_page(1, WIDGET_SIZE)
    Service.annotate_for_display(page.object_list)
    valid = {name: params[name] for name in form.valid_data() if name in WIDGET_FILTERS}
    context = {
        "form": form,
        "page": page,
        "filters": form.valid_data(),
        "more_url": reverse("services_directory:search")
        + ("?" + urlencode(valid) if valid else ""),
    }
    status = 400 if form.errors else 200
    return render(request, "services_directory/widget.html", context, status=status)


# --- a partner's own sheets: /espace-pro/mes-services/ ----------------------------------------


@require_safe
@login_required
@never_cache
def my_services(request: HttpRequest) -> HttpResponse:
    partner = _get_sheet_partner(request)
    services = list(
        Service.objects.filter(partner=partner)
        .exclude(status=Service.Status.ARCHIVED)
        .order_by("name")
    )
    pending = set(
        ServiceChange.objects.pending()
        .filter(service__in=services)
        .values_list("service_id", flat=True)
    )
    today = timezone.localdate()
    for service in services:
        service.has_pending_change = service.pk in pending
        service.is_due = service.is_due_for_check(today)
    context = {"partner": partner, "services": services}
    return render(request, "services_directory/my_services.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    service = _get_service_for_sheet(request, pk)
    return _sheet_page(request, service, by=request.user)


@require_POST
@login_required
def sheet_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    service = _get_service_for_sheet(request, pk)
    service.confirm_unchanged(by=request.user)
    messages.success(
        request,
        _("Merci : « %(name)s » est marqué vérifié aujourd'hui.") % {"name": service.name},
    )
    return redirect("services_directory:my_services")


# --- the same sheet from the signed link of a freshness request: /fiche/<token>/ -------------


@require_http_methods(["GET", "POST"])
@never_cache
def sheet_link(request: HttpRequest, token: str) -> HttpResponse:
    freshness_request = _get_freshness_request(token)
    return _sheet_page(request, freshness_request.service, link=freshness_request, token=token)


@require_POST
@never_cache
def sheet_link_confirm(request: HttpRequest, token: str) -> HttpResponse:
    freshness_request = _get_freshness_request(token)
    freshness_request.service.confirm_unchanged(link=freshness_request)
    context = {"service": freshness_request.service, "confirmed": True, "token": token}
    return render(request, "services_directory/sheet_thanks.html", context)


def _sheet_page(request, service: Service, *, by=None, link=None, token="") -> HttpResponse:
    sheet_form = ServiceSheet(service, request.POST if request.method == "POST" else None)
    if request.method == "POST" and sheet_form.is_valid():
        outcome = sheet_form.save(by=by, link=link)
        if link is not None:
            context = {"service": sheet_form.service, "outcome": outcome, "token": token}
            return render(request, "services_directory/sheet_thanks.html", context)
        if outcome["proposal"] is not None:
            messages.success(
                request,
                _(
                    "Enregistré. Les changements de ce que fait le service ou de son public "
                    "seront visibles après validation par la coordination."
                ),
            )
        else:
            messages.success(request, _("Enregistré : la fiche est à jour."))
        return redirect("services_directory:my_services")
    pending = ServiceChange.objects.pending().filter(service=service).first()
    # The coordination's last answer to a proposal, for a few weeks.
    decided = (
        ServiceChange.objects.filter(
            service=service,
            status__in=[ServiceChange.Status.ACCEPTED, ServiceChange.Status.REJECTED],
            decided_at__gte=timezone.now() - dt.timedelta(days=60),
        )
        .order_by("-decided_at")
        .first()
    )
    context = {
        "service": service,
        "sheet": sheet_form,
        "pending": pending,
        "decided": decided,
        "token": token,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "services_directory/sheet.html", context, status=status)


# --- calendar files -------------------------------------------------------------------------


def _ics_response(event: ics.Event, filename: str) -> HttpResponse:
    response = HttpResponse(ics.calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _address(place) -> str:
    if place is None:
        return _("À distance")
    return f"{place.name}, {place.address}, {place.commune.postcode} {place.commune.name}"


@require_safe
def session_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    service = _get_published_service(slug)
    session = get_object_or_404(
        GroupSession.objects.select_related("place__commune"), pk=pk, service=service
    )
    description = [service.name]
    if session.audience:
        description.append(_("Pour : %(who)s") % {"who": session.audience})
    if session.registration_required:
        how = session.registration_details or service.phone
        description.append(_("Inscription obligatoire %(how)s") % {"how": how})
    event = ics.Event(
        uid=ics.uid(f"seance-{session.pk}"),
        begin=session.begin,
        end=session.finish,
        summary=f"{session.topic} — {service.name}",
        location=_address(session.place),
        description="\n".join(description),
        url=settings.SITE_ROOT + service.get_absolute_url(),
    )
    return _ics_response(event, f"seance-{session.date:%Y-%m-%d}.ics")


@require_safe
def stop_ics(request: HttpRequest, slug: str, pk: int, day: str) -> HttpResponse:
    service = _get_published_service(slug)
    stop = get_object_or_404(
        ItinerantStop.objects.select_related("place__commune"), pk=pk, service=service
    )
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    now = local_now()
    notices = list(
        Notice.objects.current(now.date()).filter(Q(service=service) | Q(place=stop.place))
    )
    dates = stop.next_dates(now, limit=10, notices=notices)
    passage = next(((begin, end) for begin, end in dates if begin.date() == date), None)
    if passage is None:
        raise Http404
    event = ics.Event(
        uid=ics.uid(f"passage-{stop.pk}-{date:%Y%m%d}"),
        begin=passage[0],
        end=passage[1],
        summary=f"{service.name} — {stop.place.commune.name}",
        location=_address(stop.place),
        description=stop.notes or service.summary,
        url=settings.SITE_ROOT + service.get_absolute_url(),
    )
    return _ics_response(event, f"passage-{date:%Y-%m-%d}.ics")


# --- « Signaler une erreur » ----------------------------------------------------------------


def _reports_address() -> str:
    if settings.REPORTS_EMAIL:
        return settings.REPORTS_EMAIL
    territory = Territory.objects.current()
    return territory.contact_email if territory else ""


def _notify(report: ErrorReport) -> OutgoingMessage | None:
    """Tell the chargée de mission, in the report's transaction. Nothing personal: the
    free text stays in the admin, the message only says where to read it."""
    body = render_to_string(
        "services_directory/error_report_email.txt",
        {
            "report": report,
            "service": report.service,
            "admin_link": settings.SITE_ROOT
            + reverse("admin:services_directory_errorreport_change", args=[report.pk]),
            "pending": ErrorReport.objects.pending().count(),
        },
    )
    return OutgoingMessage.objects.queue(
        to=_reports_address(),
        subject=_("Signalement : %(service)s") % {"service": report.service.name},
        body=body,
        kind="error_report",
        key=f"error-report-{report.pk}",
    )


@require_http_methods(["GET", "POST"])
@vary_on_htmx
def report_error(request: HttpRequest, slug: str) -> HttpResponse:
    service = _get_published_service(slug)
    context = {"service": service}
    if request.method == "GET":
        context["form"] = ErrorReportForm()
        return render_page(
            request, "services_directory/report_error.html", context, partial="report"
        )
    form = ErrorReportForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        # 400, and what was typed comes back.
        return render_page(
            request, "services_directory/report_error.html", context, partial="report", status=400
        )
    if not throttle.allow(request, "error-report", settings.ERROR_REPORTS_PER_HOUR):
        context["throttled"] = True
        return render_page(
            request, "services_directory/report_error.html", context, partial="report", status=429
        )
    with transaction.atomic():
        report = form.save(commit=False)
        report.service = service
        report.save()
        message = _notify(report)
    outbox.send_soon(message)
    if wants_partial(request):
        context["sent"] = True
        return render_page(
            request, "services_directory/report_error.html", context, partial="report"
        )
    messages.success(
        request,
        _("Merci : votre signalement est envoyé. L'équipe vérifie l'information et la corrige."),
    )
    return redirect(service.get_absolute_url())
