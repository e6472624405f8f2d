"""A France Services adviser: login → counter search → orientation → printable sheet →
risk-of-rupture list → re-orientation. With and without JavaScript, and by keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from orientations.models import Referral
from tests.browser.axe import axe_at
from tests.browser.territory import build_territory, log_in

pytestmark = pytest.mark.browser


def search_at_the_counter(page, words: str) -> None:
    page.get_by_label("Besoin, parcours ou service").fill(words)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Services", exact=True)).to_be_visible()


def fill_the_orientation(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une orientation")
    expect(page.get_by_label("Relais Petite Enfance")).to_be_checked()
    page.get_by_label("Parcours type à remettre").select_option(label="Faire garder mon enfant")
    page.get_by_label("Faire garder mon enfant", exact=True).check()
    page.get_by_role("group", name="D'où vient la personne ?").get_by_label(
        "France Services"
    ).check()


def adviser_journey(page, world, *, check=lambda page, where: None) -> None:
    log_in(page, "adviser")
    expect(page).to_have_url(re.compile(r"/accueil/$"))
    check(page, "comptoir")

    page.get_by_label("Commune de la personne").select_option(label="Pont-sur-Yonne")
    search_at_the_counter(page, "garde")
    expect(page.get_by_role("link", name="Crèche Les Petits Loups", exact=True)).to_be_visible()
    check(page, "résultats")
    page.get_by_role("link", name="Orienter vers ce service seul : Relais Petite Enfance").click()
    fill_the_orientation(page)
    check(page, "formulaire")
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")
    expect(page.get_by_text("Orientation enregistrée")).to_be_visible()
    expect(page.get_by_role("img", name="Code QR vers votre page de suivi")).to_be_visible()
    check(page, "fiche")

    page.get_by_role("link", name="Mes orientations").click()
    risk = page.locator("section", has=page.get_by_role("heading", name="Risque de rupture"))
    expect(risk.get_by_role("link", name=re.compile("Crèche Les Petits Loups"))).to_be_visible()
    check(page, "risque de rupture")
    risk.get_by_role(
        "link", name=re.compile(f"Réorienter l'orientation n° {world.refused.pk}")
    ).click()
    expect(
        page.get_by_text(f"Réorientation de l'orientation n° {world.refused.pk}")
    ).to_be_visible()
    search_at_the_counter(page, "relais")
    page.get_by_role("link", name="Orienter vers ce service seul : Relais Petite Enfance").click()
    fill_the_orientation(page)
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")

    page.get_by_role("link", name="Mes orientations").click()
    expect(page.get_by_role("heading", name="Risque de rupture (0)")).to_be_visible()


def assert_two_orientations_the_second_reorienting(world) -> None:
    first, second = (
        Referral.objects.filter(created_by=world.adviser)
        .exclude(pk=world.refused.pk)
        .order_by("pk")
    )
    assert first.service == second.service == world.rpe
    assert first.pathway == world.pathway
    assert second.previous == world.refused
    world.refused.refresh_from_db()
    assert world.refused.reoriented


def test_an_adviser_orients_prints_and_reorients(page, transactional_db):
    world = build_territory()
    adviser_journey(page, world, check=axe_at("résultats", "formulaire", "fiche"))
    assert_two_orientations_the_second_reorienting(world)


def test_the_same_journey_works_without_javascript(nojs_page, transactional_db):
    world = build_territory()
    adviser_journey(nojs_page, world)
    assert_two_orientations_the_second_reorienting(world)


def test_the_sheet_prints_without_the_site_around_it(page, transactional_db):
    world = build_territory()
    log_in(page, "adviser")
    page.goto(f"/accueil/orienter/?service={world.rpe.pk}&commune=pont-sur-yonne")
    fill_the_orientation(page)
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".staff-nav")).to_be_hidden()
    expect(page.get_by_role("heading", name="Votre fiche d'orientation")).to_be_visible()
    expect(page.get_by_role("heading", name="Relais Petite Enfance")).to_be_visible()
    assert len(page.pdf(format="A4")) > 1000
