"""A family's own words on a phone: the directory, the safety net, the commune that follows.

On the demo territory, 360 × 740 (a common phone) with and without JavaScript; axe runs on
each page reached.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import TIMEOUT_MS, PageProblems
from tests.snapshots import build_once

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
NEUTRAL_SITE = "https://www.google.fr/"


@pytest.fixture
def demo(transactional_db):
    build_once("load_demo", lambda: call_command("load_demo", verbosity=0))


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def phone(request, browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=request.param,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=PHONE,
    )
    context.set_default_timeout(TIMEOUT_MS)
    # The quick exit leaves for a real site: answered here, the machine being offline.
    context.route(
        re.compile(r"https://www\.google\.fr/.*"),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Google</p>"),
    )
    problems = PageProblems()
    page = context.new_page()
    problems.watch(page)
    page.javascript = request.param
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


def check_accessible(page, what: str) -> None:
    """axe runs as a script in the page: with JavaScript on (the same HTML either way)."""
    if page.javascript:
        assert_accessible(page, what)


def search(page, words: str) -> None:
    page.goto("/annuaire/")
    page.get_by_label("Que cherchez-vous ?").fill(words)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator(".results-status")).to_contain_text("trouvé")


def test_the_first_result_is_visible_without_scrolling(phone):
    search(phone, "je cherche une nounou pour ma fille")
    first = phone.locator(".cards .card").first
    expect(first).to_contain_text("Répond au besoin : Faire garder mon enfant")
    box = first.locator("h2").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    # No filter set: the panel stays closed and counts nothing.
    expect(phone.locator("details.filters")).not_to_have_attribute("open", "")
    expect(phone.locator("details.filters summary")).to_have_text("Affiner la recherche")
    check_accessible(phone, "résultats sur téléphone")


def test_a_mistyped_word_is_corrected_and_said(phone):
    search(phone, "creshe")
    expect(phone.locator(".correction")).to_contain_text("vous aviez écrit « creshe »")
    expect(phone.locator(".cards .card").first).to_contain_text("Petite Enfance")


def test_distress_shows_the_numbers_first_and_the_quick_exit_leaves(phone):
    phone.goto("/")
    search(phone, "mon conjoint me menace")
    box = phone.locator(".emergency")
    expect(box).to_be_visible()
    box_top = box.bounding_box()["y"]
    assert box_top < phone.locator("#recherche").bounding_box()["y"]
    assert box_top < PHONE["height"]
    expect(box.get_by_role("link", name=re.compile("^3919"))).to_have_attribute("href", "tel:3919")
    expect(box.get_by_role("link", name=re.compile("^114"))).to_have_attribute("href", "sms:114")
    for number in ("17", "112", "119", "3114"):
        expect(box.locator(f'a[href="tel:{number}"]')).to_have_count(1)
    check_accessible(phone, "boîte d'urgence")
    before = phone.evaluate("history.length")
    box.get_by_role("link", name="Quitter ce site rapidement").click()
    expect(phone).to_have_url(NEUTRAL_SITE)
    if phone.javascript:
        # The page was replaced in the history: Back does not bring it back.
        assert phone.evaluate("history.length") == before
        phone.go_back()
        expect(phone).not_to_have_url(re.compile(r"conjoint"))


def test_the_guided_orientation_shows_the_numbers_for_violence(phone):
    phone.goto("/orienter/")
    phone.get_by_label("Je suis parent").check()
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.locator(".guide-progress")).to_have_text("Question 2 sur 4")
    phone.get_by_label("Quel âge a votre enfant ?").fill("8")
    phone.get_by_label("Unité").select_option("mois")
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.locator(".guide-progress")).to_have_text("Question 3 sur 4")
    # Offered first to a parent, with the baby's needs; adult employment comes later.
    expect(phone.locator("details.other-needs")).to_contain_text("Emploi")
    phone.get_by_label("Violences dans la famille").check()
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.locator(".guide-progress")).to_have_text("Question 4 sur 4")
    expect(phone.locator(".emergency")).to_be_visible()
    phone.get_by_label("Dans quelle commune habitez-vous ?").select_option(label="Sergines")
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.get_by_role("heading", name="Votre orientation")).to_be_visible()
    expect(phone.locator(".emergency")).to_be_visible()
    expect(phone.get_by_text("8 mois")).to_be_visible()
    check_accessible(phone, "orientation guidée, violences")


def test_the_commune_follows_the_visitor(phone):
    phone.goto("/annuaire/?q=creche&commune=sergines")
    expect(phone.locator(".results-status")).to_contain_text("Sergines")
    phone.goto("/annuaire/?q=aide+aux+devoirs")
    expect(phone.locator(".results-status")).to_contain_text("Sergines")
    expect(phone.get_by_label("Votre commune")).to_have_value("sergines")
    phone.goto("/parcours/parent-seul-apres-une-separation/")
    expect(phone.locator("#id_commune")).to_have_value("sergines")
    # Changed in one tap from the results.
    phone.goto("/annuaire/?q=creche")
    phone.get_by_role("link", name="changer de commune").click()
    phone.get_by_label("Votre commune").select_option(label="Cuy")
    if not phone.javascript:
        phone.get_by_role("button", name="Rechercher", exact=True).click()
    expect(phone.locator(".results-status")).to_contain_text("Cuy")
    phone.goto("/orienter/?profil=parent&age=3&besoin=faire-garder-mon-enfant")
    expect(phone.get_by_label("Dans quelle commune habitez-vous ?")).to_have_value("cuy")


def test_nothing_found_is_not_a_dead_end(phone):
    search(phone, "xqzw")
    help_box = phone.locator(".help-box")
    expect(help_box).to_contain_text("Nous n'avons rien trouvé")
    expect(help_box).not_to_contain_text("moins de filtres")
    expect(
        help_box.get_by_role("link", name="Trouver à qui m'adresser en 4 questions")
    ).to_be_visible()
    expect(help_box.locator('a[href="tel:0353731040"]')).to_be_visible()
    check_accessible(phone, "aucun résultat")


def test_the_next_page_of_results_starts_at_its_top(phone):
    phone.goto("/annuaire/")
    phone.get_by_role("link", name="Page suivante ›").click()
    # Without JavaScript the link leads to the results' anchor; htmx pushes the address.
    expect(phone).to_have_url(re.compile(r"/annuaire/\?page=2(#resultats)?$"))
    expect(phone.get_by_text("Page 2 sur", exact=False).first).to_be_visible()
    results_top = phone.evaluate(
        "document.getElementById('resultats').getBoundingClientRect().top"
    )
    assert -5 <= results_top <= 80, results_top  # the list starts on screen, not below
    if phone.javascript:
        # A screen reader goes on from the new list, not from <body>.
        assert phone.evaluate("document.activeElement.id") == "resultats"
