from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, Min, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from pathways.models import LifeMoment, Pathway
from services_directory.models import OutgoingMessage, Sector

from . import outage
from .forms import LoginForm

HEALTHZ_KEY = "healthz"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    sectors = Sector.objects.prefetch_related("needs").order_by("position", "name")
    moments = LifeMoment.objects.filter(
        Exists(Pathway.objects.published().filter(life_moments=OuterRef("pk")))
    )
    return render(request, "portal/home.html", {"sectors": sectors, "moments": moments})


@require_safe
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/legal_notice.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    context = {"retention_days": settings.PERSONAL_DATA_RETENTION_DAYS}
    return render(request, "portal/personal_data.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 503 when the database does not answer, 200 otherwise.

    A shared cache that does not answer is reported ("degraded") but keeps the 200: every
    server shares it, and pages are still served, only slower, without it.
    """
    report = {"status": "ok", "database": "ok", "cache": "ok", "oldest_unsent_message": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        # Seconds since the oldest message still waiting was written: a stuck worker or mail
        # server shows here long before anyone complains (monitor it; the 200 stays).
        oldest = OutgoingMessage.objects.unsent().aggregate(first=Min("created_at"))["first"]
    except Exception as error:
        outage.database_failed(request, error)
        report["database"] = "unreachable"
    else:
        outage.database.succeeded()
        if oldest is not None:
            report["oldest_unsent_message"] = int((timezone.now() - oldest).total_seconds())
    try:
        cache.set(HEALTHZ_KEY, "ok", 60)
        if cache.get(HEALTHZ_KEY) != "ok":
            raise RuntimeError("the shared cache did not keep a value")
    except Exception as error:
        outage.of_cache().failed(error)
        report["cache"] = "unreachable"
    else:
        outage.of_cache().succeeded()
    if report["database"] != "ok":
        report["status"] = "error"
        return JsonResponse(report, status=503)
    if report["cache"] != "ok":
        report["status"] = "degraded"
    return JsonResponse(report)


login_view = never_cache(
    LoginView.as_view(
        template_name="registration/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )
)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # logout() flushes the server-side session: the old cookie is worthless afterwards.
    logout(request)
    return redirect("portal:home")


def _error_page(request, template: str, status: int) -> HttpResponse:
    # Error pages must render even when the database is down: no context processors.
    return HttpResponse(render_to_string(template, {"request": request}), status=status)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def server_error(request):
    return _error_page(request, "500.html", 500)
