"""The error pages: French, accessible, and rendered without the database."""

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns
from tests.security.test_pages import inline_code


def crash(request):
    raise RuntimeError("bug")


def database_down(request):
    raise OperationalError("connection refused")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("plantage/", crash),
    path("base-indisponible/", database_down),
    path("ok/", fine),
    *portal_urlpatterns,
]
handler500 = "portal.views.server_error"
handler404 = "portal.views.page_not_found"

PAGES = {
    "400.html": "Nous n'avons pas compris la demande",
    "403.html": "Vous n'avez pas accès à cette page",
    "403_csrf.html": "Le formulaire a expiré",
    "404.html": "Cette page n'existe pas ou plus",
    "500.html": "Le site a rencontré une erreur",
    "503.html": "Le site est momentanément indisponible",
}


@pytest.mark.parametrize(("template", "says"), PAGES.items())
def test_it_renders_in_french_without_the_database(template, says):
    # No `db` fixture: any query would fail this test.
    html = render_to_string(template, {"request": RequestFactory().get("/")})
    assert '<html lang="fr">' in html
    assert says in html
    assert '<a class="skip-link" href="#contenu">' in html
    assert not inline_code(html)


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_answers_the_french_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/plantage/")
    assert response.status_code == 500
    assert "Le site a rencontré une erreur" in response.text


@override_settings(ROOT_URLCONF=__name__)
def test_a_database_outage_answers_503_and_asks_to_retry():
    response = Client().get("/base-indisponible/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Le site est momentanément indisponible" in response.text
    assert "Content-Security-Policy" in response.headers
