import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import ics, outbox, throttle
from .forms import ErrorReportForm, ServiceSearchForm
from .hours import local_now
from .htmx import render_page, vary_on_htmx, wants_partial
from .models import (
    ErrorReport,
    GroupSession,
    ItinerantStop,
    Notice,
    OutgoingMessage,
    Partner,
    Service,
    ServicePlace,
    Territory,
)

PAGE_SIZE = 20
SESSIONS_SHOWN = 6


@require_GET
@vary_on_htmx
def search(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET)
    page = form.results_page(request.GET.get("page"), PAGE_SIZE)
    Service.annotate_for_display(page.object_list, commune=form.valid_data().get("commune"))
    page.object_list = Service.open_first(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query_without_page": query.urlencode()}
    # Invalid filters are ignored and explained; the status tells machines about it.
    status = 400 if form.errors else 200
    return render_page(
        request, "services_directory/search.html", context, partial="results", status=status
    )


def _get_published_service(slug: str) -> Service:
    queryset = (
        Service.objects.published()
        .select_related("partner")
        .prefetch_related("sectors", "needs", "languages")
    )
    return get_object_or_404(queryset, slug=slug)


def _service_notices(service: Service, service_places, today: dt.date) -> list[Notice]:
    """The notices of the service and of its places, in force or to come."""
    places = [service_place.place_id for service_place in service_places]
    return list(
        Notice.objects.current(today)
        .filter(Q(service=service) | Q(service__isnull=True, place_id__in=places))
        .select_related("place")
    )


def _next_stops(service: Service, now: dt.datetime, notices) -> list[tuple]:
    stops = ItinerantStop.objects.filter(service=service).select_related("place__commune")
    found = [(stop, stop.next_dates(now, notices=notices)) for stop in stops]
    found = [(stop, dates) for stop, dates in found if dates]
    found.sort(key=lambda item: item[1][0][0])
    return found


def _upcoming_sessions(service: Service, now: dt.datetime, notices) -> list[GroupSession]:
    closures = [n.period for n in notices if n.kind == Notice.Kind.CLOSURE and n.place is None]
    sessions = GroupSession.objects.upcoming(now).filter(service=service)
    return [
        session
        for session in sessions[: SESSIONS_SHOWN * 2]
        if not any(period.covers(session.date) for period in closures)
    ][:SESSIONS_SHOWN]


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = _get_published_service(slug)
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
    related = (
        Service.objects.published()
        .filter(needs__in=service.needs.all())
        .exclude(sectors__in=service.sectors.all())
        .exclude(pk=service.pk)
        .select_related("partner")
        .prefetch_related("sectors")
        .distinct()
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


@require_GET
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partner = get_object_or_404(Partner, slug=slug)
    services = Service.objects.published().filter(partner=partner).for_listing().order_by("name")
    services = list(services)
    Service.annotate_for_display(services)
    referents = partner.referents.public().order_by("theme", "role")
    context = {"partner": partner, "services": services, "referents": referents}
    return render(request, "services_directory/partner_detail.html", context)


# --- calendar files -------------------------------------------------------------------------


def _ics_response(event: ics.Event, filename: str) -> HttpResponse:
    response = HttpResponse(ics.calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _address(place) -> str:
    if place is None:
        return _("À distance")
    return f"{place.name}, {place.address}, {place.commune.postcode} {place.commune.name}"


@require_GET
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


@require_GET
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
