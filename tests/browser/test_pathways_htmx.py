"""htmx on the pathways in a real Chromium: the guide swaps in place, moves the focus to
the new question, and the back button returns to the previous one; choosing a commune
updates the steps in place. (Axe, the whole family journey without JavaScript and at
320 px are in the other modules here.)"""

import re

import pytest
from playwright.sync_api import expect

from tests.pathways.conftest import territory  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser]


def test_the_guide_answers_in_place_and_the_back_button_works(page, transactional_db, territory):  # noqa: F811
    page.goto("/orienter/")
    page.get_by_label("Je suis parent").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page).to_have_url(re.compile(r"/orienter/\?etape=profil&profil=parent$"))
    expect(page.get_by_role("heading", name="Quel âge a votre enfant ?")).to_be_focused()
    page.get_by_label("Quel âge a votre enfant ?").fill("2")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Faire garder mon enfant").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Dans quelle commune habitez-vous ?").select_option("michery")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Votre orientation")).to_be_focused()
    expect(page.get_by_role("link", name="De la crèche à l'école maternelle")).to_be_visible()

    page.go_back()
    expect(page.get_by_label("Dans quelle commune habitez-vous ?")).to_be_visible()
    page.get_by_role("link", name="Revenir à la question précédente").click()
    expect(page.get_by_role("heading", name="De quoi avez-vous besoin ?")).to_be_focused()


def test_choosing_a_commune_updates_the_steps_in_place(page, transactional_db, territory):  # noqa: F811
    page.goto(f"/parcours/{territory.pathway.slug}/")
    page.get_by_label("Votre commune").select_option("villeneuve-la-guyard")
    page.get_by_role("button", name="Afficher").click()
    shown = page.get_by_text("Services affichés pour la commune : Villeneuve-la-Guyard.")
    expect(shown).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?commune=villeneuve-la-guyard$"))
    nearest = page.locator("#etape-2 .svc").first
    expect(nearest).to_contain_text("Crèche des Bords de Seine")
