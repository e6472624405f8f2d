"""CSRF is enforced on every POST of every URL the portal declares."""

import pytest
from django.test import Client

from tests.security.conftest import logged_in
from tests.security.crawl import project_routes

ROUTES = project_routes()


@pytest.mark.parametrize("persona", ["anonymous", "adviser_a", "partner_staff", "coordinator"])
def test_every_post_without_a_csrf_token_is_refused(everything, persona):
    client = logged_in(Client(enforce_csrf_checks=True), everything, persona)
    accepted = []
    for route in ROUTES:
        response = client.post(route.sample_path(), {"anything": "x"})
        if response.status_code != 403 or "Formulaire expiré" not in response.text:
            accepted.append(f"POST {route.sample_path()} ({route.name}): {response.status_code}")
    assert not accepted, "\n".join(accepted)


def test_the_admin_refuses_a_post_without_a_csrf_token(everything):
    client = logged_in(Client(enforce_csrf_checks=True), everything, "admin")
    response = client.post("/admin/services_directory/service/add/", {"name": "x"})
    assert response.status_code == 403
