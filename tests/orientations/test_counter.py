import datetime as dt
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from orientations.models import Actor
from pathways.models import Pathway
from services_directory.models import Notice, Service
from tests.factories import make_commune, make_place, make_service
from tests.personas import make_referral

URL = reverse("orientations:counter")


def test_it_finds_services_by_a_need_synonym(client, world):
    world.need.synonyms = "nounou\ncrèche"
    world.need.save()
    client.force_login(world.adviser_a)
    response = client.get(URL, {"q": "Crèches"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Relais Petite Enfance" in content
    assert "Garde d&#x27;enfant" in content  # the matching need is offered too
    assert "Orienter vers ce service" in content


def test_it_finds_published_pathways(client, world):
    pathway = Pathway.objects.create(
        title="Faire garder son enfant",
        slug="faire-garder",
        summary="Trouver une place.",
        audience="Parents",
        status=Pathway.Status.PUBLISHED,
    )
    pathway.refresh_derived()
    client.force_login(world.adviser_a)
    response = client.get(URL, {"q": "garder"})
    assert "Faire garder son enfant" in response.content.decode()


def test_it_orders_by_distance_from_the_visitors_commune(client, world):
    far = make_commune(name="Loin", slug="loin", latitude=48.6, longitude=3.6)
    make_service(name="Relais Lointain", needs=[world.need], places=[make_place(commune=far)])
    client.force_login(world.adviser_a)
    content = client.get(URL, {"q": "relais", "commune": world.commune.slug}).content.decode()
    assert content.index("Relais Petite Enfance") < content.index("Relais Lointain")


def test_it_filters_by_age_band(client, world):
    make_service(name="Relais Ados", age_min=12, age_max=17, needs=[world.need])
    client.force_login(world.adviser_a)
    content = client.get(URL, {"q": "relais", "age": "0-2"}).content.decode()
    assert "Relais Petite Enfance" in content
    assert "Relais Ados" not in content


def test_it_never_shows_draft_services(client, world):
    make_service(name="Relais Brouillon", status=Service.Status.DRAFT)
    client.force_login(world.adviser_a)
    assert "Relais Brouillon" not in client.get(URL, {"q": "relais"}).content.decode()


def test_it_returns_only_the_results_to_htmx(client, world):
    client.force_login(world.adviser_a)
    response = client.get(URL, {"q": "relais"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Relais Petite Enfance" in content
    assert "<html" not in content
    assert "HX-Request" in response["Vary"]


def test_it_explains_bad_filters_and_keeps_the_others(client, world):
    client.force_login(world.adviser_a)
    response = client.get(URL, {"q": "relais", "age": "999", "commune": "nulle-part"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "n&#x27;est pas une tranche d&#x27;âge" in content
    assert "Relais Petite Enfance" in content


def test_it_offers_to_record_an_unmet_need(client, world):
    client.force_login(world.adviser_a)
    content = client.get(URL, {"q": "plongée sous-marine"}).content.decode()
    assert "0 service" in content
    assert "Enregistrer un besoin non couvert" in content


def test_it_starts_a_reorientation_from_the_previous_profile(client, world):
    world.referral.move_to("refusee", reason="complet", actor=Actor.RECEIVER)
    client.force_login(world.adviser_a)
    content = client.get(URL, {"depuis": world.referral.pk}).content.decode()
    assert f"Réorientation de l'orientation n° {world.referral.pk}" in content
    assert f'<option value="{world.commune.slug}" selected>' in content


def test_it_ignores_a_reorientation_of_someone_elses_orientation(client, world):
    world.referral.move_to("refusee", reason="complet", actor=Actor.RECEIVER)
    client.force_login(world.adviser_b)
    content = client.get(URL, {"depuis": world.referral.pk}).content.decode()
    assert "Réorientation" not in content


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        service = make_service(name=f"Relais {n}", needs=[world.need])
        make_referral(service=service, from_partner=world.partner_a)
    client.force_login(world.adviser_a)
    client.get(URL, {"q": "creche"})  # the search vocabulary, read once per process
    # Session, user, profile, partner; the commune; the needs (the engine's index) and the
    # vocabulary's version; ids, services, sectors, places, needs, notices; pathways;
    # territory, the two permission reads of the staff menu, the survey banner; the form's
    # commune and need choices. None of them grows with the number of results.
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"q": "relais", "commune": world.commune.slug})
    assert response.content.decode().count("Orienter vers ce service seul") == 20


def test_it_is_for_those_who_orient_advisers_and_partners_staff(client, world):
    for persona in (world.coordinator, world.admin):
        client.force_login(persona)
        assert client.get(URL).status_code == 403
    client.force_login(world.partner_staff)
    assert client.get(URL).status_code == 200


def test_a_closed_service_is_shown_closed_at_the_counter(client, world):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        Notice.objects.create(
            service=world.service,
            kind=Notice.Kind.CLOSURE,
            reason="travaux",
            start=dt.date(2026, 11, 28),
            end=dt.date(2026, 12, 12),
        )
        client.force_login(world.adviser_a)
        content = unescape(client.get(URL, {"besoin": world.need.slug}).content.decode())
    assert "Fermé temporairement jusqu'au 12 décembre — travaux" in content


def test_words_of_danger_show_the_emergency_numbers_first(client, world):
    client.force_login(world.adviser_a)
    html = client.get(URL, {"q": "elle a peur de son mari"}).content.decode()
    assert html.index('class="emergency"') < html.index('id="resultats"')
    assert 'href="tel:3919"' in html and "Quitter ce site rapidement" in html
    partial = client.get(URL, {"q": "violences conjugales"}, headers={"HX-Request": "true"})
    assert '<div id="urgence" hx-swap-oob="true">' in partial.content.decode()
    assert 'class="emergency"' not in client.get(URL, {"q": "creche"}).content.decode()


def test_a_mistyped_word_is_corrected_and_said(client, world):
    client.force_login(world.adviser_a)
    html = client.get(URL, {"q": "creshe"}).content.decode()
    assert "vous aviez écrit « creshe »" in html


@pytest.mark.parametrize("words", ["3 ans", "le", "-"])
def test_words_with_nothing_to_look_for_near_a_commune_find_nothing_calmly(client, world, words):
    client.force_login(world.adviser_a)
    response = client.get(URL, {"q": words, "commune": world.commune.slug})
    assert response.status_code == 200
    typed = client.get(URL, {"q": words, "frappe": "1"}, headers={"HX-Request": "true"})
    assert typed.status_code == 200
    assert "HX-Push-Url" not in typed  # words being typed leave the history alone


@pytest.mark.parametrize("raw", ["99999999999999999999999", "²", "-1"])
def test_a_strange_service_number_is_no_service_not_an_error(client, world, raw):
    client.force_login(world.adviser_a)
    response = client.get(reverse("orientations:referral_new"), {"service": raw})
    assert response.status_code in (200, 302)
    response = client.post(reverse("orientations:visit_remove"), {"service": raw})
    assert response.status_code == 302
