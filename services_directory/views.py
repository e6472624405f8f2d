import datetime as dt
import json
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, datainclusion
from .forms import ServiceSearchForm, ServiceSheet
from .hours import local_now
from .htmx import render_page, vary_on_htmx
from .models import FreshnessRequest, ItinerantStop, Partner, Service, ServiceChange, ServicePlace

PAGE_SIZE = 20
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


@require_GET
@vary_on_htmx
def search(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET)
    page = form.results_page(request.GET.get("page"), PAGE_SIZE)
    Service.annotate_for_display(page.object_list)
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


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = _get_published_service(slug)
    now = local_now()
    service_places = list(
        ServicePlace.objects.filter(service=service)
        .select_related("place__commune")
        .order_by("pk")
    )
    for service_place in service_places:
        service_place.status_now = service_place.live_status(now)
        service_place.week = service_place.week_table(now.date())
    stops = [
        (stop, stop.next_dates(now))
        for stop in ItinerantStop.objects.filter(service=service).select_related("place__commune")
    ]
    stops = [(stop, dates) for stop, dates in stops if dates]
    stops.sort(key=lambda item: item[1][0][0])
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
        "service_places": service_places,
        "stops": stops,
        "related": related,
        "show_notice": service.active_notice(now.date()),
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


# --- open data: /donnees/ --------------------------------------------------------------------

DATASETS = {
    "structures": (datainclusion.export_structures, datainclusion.STRUCTURE_COLUMNS),
    "services": (datainclusion.export_services, datainclusion.SERVICE_EXPORT_COLUMNS),
}


@require_GET
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


@require_GET
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


@require_GET
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


@require_GET
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
