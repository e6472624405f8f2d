from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import ServiceSearchForm
from .hours import local_now
from .htmx import render_page, vary_on_htmx
from .models import ItinerantStop, Partner, Service, ServicePlace

PAGE_SIZE = 20


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
