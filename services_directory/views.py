from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import visitor
from .forms import ServiceSearchForm
from .hours import local_now
from .htmx import render_page, vary_on_htmx, wants_partial
from .models import ItinerantStop, Partner, Service, ServicePlace, UnansweredSearch
from .search import closest_needs, explain, related_pages

PAGE_SIZE = 20
# Under this many results, the page also proposes needs, pathways, the guided orientation
# and the France Services counter's phone: never a dead end.
FEW_RESULTS = 3


@require_GET
@vary_on_htmx
def search(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(visitor.params_with_commune(request))
    page = form.results_page(request.GET.get("page"), PAGE_SIZE)
    data = form.valid_data()
    commune, query = data.get("commune"), form.query
    Service.annotate_for_display(page.object_list, commune=commune)
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
        if _finished_typing(request):
            UnansweredSearch.objects.record(data["q"], commune)
        patch_cache_control(response, no_cache=True)
    visitor.remember(request, response, commune)
    return response


def _finished_typing(request: HttpRequest) -> bool:
    """Not one of the requests htmx sends while the words are being typed."""
    return not (wants_partial(request) and request.headers.get("HX-Trigger") == "id_q")


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
