"""A parent looks for childcare: home → guided orientation → pathway → service → feedback."""

import re

import pytest
from playwright.sync_api import expect

from pathways.models import PathwayFeedback
from tests.browser.axe import axe_at
from tests.browser.territory import build_territory

pytestmark = pytest.mark.browser

COMMENT = "Très clair, merci. J'appelle le relais demain."


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def family_journey(page, *, check=lambda page, where: None) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Que cherchez-vous ?")
    check(page, "accueil")

    page.get_by_role("link", name="Je ne sais pas à qui m'adresser").click()
    expect(page).to_have_url(re.compile(r"/orienter/$"))
    page.get_by_label("Je suis parent").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Quel âge a votre enfant ?").fill("1")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Faire garder mon enfant", exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Dans quelle commune habitez-vous ?").select_option(label="Pont-sur-Yonne")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Votre orientation")).to_be_visible()
    # The answers are in the address: the result can be bookmarked and shared.
    expect(page).to_have_url(re.compile(r"commune=pont-sur-yonne"))
    check(page, "orientation")

    page.locator(".cards").get_by_role("link", name="Faire garder mon enfant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Faire garder mon enfant")
    expect(page.get_by_role("heading", name="S'informer sur les modes de garde")).to_be_visible()
    check(page, "parcours")

    page.locator("#etapes").get_by_role("link", name="Relais Petite Enfance").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relais Petite Enfance")
    expect(page.get_by_role("heading", name="Ce que nous faisons")).to_be_visible()
    call = page.get_by_role("link", name="Appeler le 03 86 00 00 01")
    expect(call).to_have_attribute("href", "tel:0386000001")
    check(page, "service")

    page.go_back()
    page.get_by_label("Oui", exact=True).check()
    page.get_by_label("Un commentaire ? (facultatif)").fill(COMMENT)
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Merci pour votre réponse")).to_be_visible()
    check(page, "avis envoyé")


def test_a_parent_finds_childcare_and_says_it_helped(page, transactional_db):
    build_territory()
    family_journey(page, check=axe_at("orientation", "avis envoyé"))
    feedback = PathwayFeedback.objects.get()
    assert (feedback.answer, feedback.comment) == ("yes", COMMENT)


def test_the_same_journey_works_without_javascript(nojs_page, transactional_db):
    build_territory()
    family_journey(nojs_page)
    assert PathwayFeedback.objects.get().comment == COMMENT


def test_the_same_journey_works_on_a_320_pixel_phone(phone_page, transactional_db):
    build_territory()

    def nothing_overflows(page, where):
        assert fits_the_screen(page), f"{where}: the page scrolls sideways at 320 px"

    family_journey(phone_page, check=nothing_overflows)
    assert PathwayFeedback.objects.count() == 1


def test_a_bad_filter_is_explained_in_place_with_javascript(page, transactional_db):
    # Our forms answer 400 with the explanation; htmx must swap it in, not drop it.
    build_territory()
    page.goto("/annuaire/?q=creche")
    expect(
        page.get_by_text("services trouvés").or_(page.get_by_text("service trouvé"))
    ).to_be_visible()
    page.locator("details.filters summary").click()  # closed while no filter is set
    age = page.get_by_label("Âge de l'enfant ou du jeune")
    age.evaluate("input => input.removeAttribute('max')")  # as an old browser would allow
    age.fill("150")
    page.get_by_role("button", name="Rechercher").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("L'âge doit être inférieur à 100 ans : filtre ignoré.")
    expect(page).to_have_url(re.compile(r"age=150"))
