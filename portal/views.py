from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pathways.models import LifeMoment, Pathway
from services_directory.models import Sector

from .forms import LoginForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    sectors = Sector.objects.prefetch_related("needs").order_by("position", "name")
    moments = LifeMoment.objects.filter(
        Exists(Pathway.objects.published().filter(life_moments=OuterRef("pk")))
    )
    return render(request, "portal/home.html", {"sectors": sectors, "moments": moments})


@require_GET
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/legal_notice.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@require_GET
def personal_data(request: HttpRequest) -> HttpResponse:
    context = {"retention_days": settings.PERSONAL_DATA_RETENTION_DAYS}
    return render(request, "portal/personal_data.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
