"""One visit, several needs: the counter's basket across searches (/accueil/visite/…), then
one form, one sheet, one follow-up link."""

import uuid

from django.urls import reverse

from orientations.models import Origin, Referral
from tests.personas import make_adviser, make_partner_staff

COUNTER = reverse("orientations:counter")
ADD = reverse("orientations:visit_add")
REMOVE = reverse("orientations:visit_remove")
NEW = reverse("orientations:referral_new")


def test_services_chosen_in_several_searches_stay_in_the_visit(client, directory):
    client.force_login(make_adviser())
    first = {"q": "garde", "commune": "pont-sur-yonne", "age": "0-2"}
    response = client.post(
        ADD,
        {
            "service": directory["rpe"].pk,
            "besoin": "garde",
            "commune": "pont-sur-yonne",
            "age": "0-2",
            "next": f"{COUNTER}?q=garde&commune=pont-sur-yonne&age=0-2",
        },
    )
    assert response.status_code == 302 and "q=garde" in response.url
    # A new search keeps the commune, and the visit.
    content = client.get(COUNTER, {"q": "emploi"}).content.decode()
    assert "Visite en cours : 1 service" in content
    assert 'value="pont-sur-yonne" selected' in content
    assert "Relais Petite Enfance" in content[: content.index("Rechercher</button>")]
    client.post(ADD, {"service": directory["mission_locale"].pk, "age": "16-17", **first})
    content = client.get(COUNTER).content.decode()
    assert "Visite en cours : 2 services" in content
    assert "Orienter vers ces 2 services" in content


def test_adding_twice_keeps_one(client, directory):
    client.force_login(make_adviser())
    client.post(ADD, {"service": directory["rpe"].pk})
    client.post(ADD, {"service": directory["rpe"].pk})
    assert "Visite en cours : 1 service" in client.get(COUNTER).content.decode()


def test_a_service_can_be_removed_and_the_visit_emptied(client, directory):
    client.force_login(make_adviser())
    client.post(ADD, {"service": [directory["rpe"].pk, directory["creche"].pk]})
    client.post(REMOVE, {"service": directory["rpe"].pk})
    content = client.get(COUNTER).content.decode()
    assert "Visite en cours : 1 service" in content
    client.post(REMOVE, {"service": "tout"})
    assert "Visite en cours : 0 service" in client.get(COUNTER).content.decode()


def test_a_draft_or_unknown_service_is_not_added(client, directory):
    client.force_login(make_adviser())
    client.post(ADD, {"service": [directory["draft"].pk, 999999, "x"]})
    assert "Visite en cours : 0 service" in client.get(COUNTER).content.decode()


def test_htmx_gets_the_visit_panel_only(client, directory):
    client.force_login(make_adviser())
    response = client.post(
        ADD,
        {"service": directory["rpe"].pk, "next": f"{COUNTER}?q=garde"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Visite en cours : 1 service" in content
    assert f'value="{COUNTER}?q=garde"' in content  # its forms come back to this search


def test_the_visit_is_recorded_at_once_one_sheet_one_link(client, directory):
    adviser = make_adviser()
    client.force_login(adviser)
    client.post(
        ADD,
        {"service": directory["rpe"].pk, "besoin": "garde", "age": "0-2", "commune": "sergines"},
    )
    client.post(ADD, {"service": directory["mission_locale"].pk, "age": "16-17"})
    form = client.get(NEW).content.decode()
    assert form.count('name="services"') == 2
    assert "Ce que vous faites, service par service" in form
    assert '<option value="16-17" selected>' in form
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "services": [directory["rpe"].pk, directory["mission_locale"].pk],
        f"kind_{directory['rpe'].pk}": "mise_en_relation",
        f"kind_{directory['mission_locale'].pk}": "orientation",
        f"age_{directory['rpe'].pk}": "0-2",
        f"age_{directory['mission_locale'].pk}": "16-17",
        "kind": "orientation",
        "commune": directory["far"].pk,
        "age_band": "0-2",
        "situation": "parent_isole",
        "needs": [directory["garde"].pk],
        "origin": Origin.FRANCE_SERVICES,
        "consent": "on",
        "name": "Léa B",
        "phone": "06 11 22 33 44",
    }
    response = client.post(NEW, data)
    assert response.status_code == 302
    rpe, ml = (
        Referral.objects.get(service=directory["rpe"]),
        Referral.objects.get(service=directory["mission_locale"]),
    )
    assert rpe.batch == ml.batch
    assert (rpe.kind, ml.kind) == ("mise_en_relation", "orientation")
    assert (rpe.age_band, ml.age_band) == ("0-2", "16-17")
    assert rpe.contact.name == ml.contact.name == "Léa B"  # typed once
    # Needs per service: the RPE answers "garde"; the Mission Locale gets the visit's needs.
    assert list(rpe.needs.all()) == [directory["garde"]]
    sheet = client.get(response.url).content.decode()
    assert sheet.count('src="data:image/svg+xml') == 1
    first = min(rpe, ml, key=lambda referral: referral.pk)
    assert f"/suivi/{first.token}/" in sheet
    # The visit is done: the basket is empty again.
    assert "Visite en cours : 0 service" in client.get(COUNTER).content.decode()


def test_a_connection_anywhere_in_the_visit_needs_the_consent(client, directory):
    client.force_login(make_adviser())
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "services": [directory["rpe"].pk, directory["creche"].pk],
        f"kind_{directory['rpe'].pk}": "mise_en_relation",
        "kind": "orientation",
        "situation": "famille",
        "needs": [directory["garde"].pk],
        "origin": Origin.FRANCE_SERVICES,
    }
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "Une mise en relation demande l&#x27;accord" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_visit_is_for_those_who_orient(client, world):
    for persona in (world.coordinator, world.admin, world.no_role):
        client.force_login(persona)
        assert client.post(ADD, {"service": world.service.pk}).status_code == 403
        assert client.post(REMOVE, {"service": "tout"}).status_code == 403
    client.logout()
    assert client.post(ADD, {"service": world.service.pk}).status_code == 302
    client.force_login(make_partner_staff())
    assert client.post(ADD, {"service": world.service.pk}).status_code == 302
    assert client.get(ADD).status_code == 405


def test_a_foreign_next_is_ignored(client, directory):
    client.force_login(make_adviser())
    response = client.post(ADD, {"service": directory["rpe"].pk, "next": "https://evil.example"})
    assert response.url == COUNTER
