"""The demo's crèche closed for works, as a family sees it on a 360 × 740 phone: on its page,
in the results, in /orienter/, in a pathway and on the hand-out sheet; the France Services
bus's next stop on its card for a commune it visits; an error report sent from the phone."""

import io
import re

import pytest
from playwright.sync_api import expect

from orientations.models import Referral
from pathways import demo as pathways_demo
from portal.management.commands.load_demo import read
from services_directory import demo as directory_demo
from services_directory.models import ErrorReport, Partner, Service
from tests.browser.axe import assert_accessible
from tests.browser.conftest import _new_page
from tests.personas import PASSWORD, make_adviser, make_referral
from tests.snapshots import build_once

pytestmark = pytest.mark.browser

CLOSED = re.compile(r"Fermé temporairement jusqu.au \d+(er)? [^ ,]+ — travaux · rouvre ")


@pytest.fixture
def demo(transactional_db):
    """The demo's directory and pathways (its notices are dated from today), and an adviser
    of its France Services (the demo's generated orientations are not needed here)."""
    build_once("demo directory, pathways and an adviser", load_demo_parts)


def load_demo_parts() -> None:
    directory_demo.load(read("directory"), io.StringIO())
    pathways_demo.load(read("pathways"), io.StringIO())
    make_adviser(
        Partner.objects.get(slug="france-services-yonne-nord"),
        username="conseillere@example.org",
    )


@pytest.fixture
def phone(browser, live_server):
    context, page, problems = _new_page(
        browser, live_server, javascript=True, width=360, height=740
    )
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


@pytest.fixture
def phone_without_js(browser, live_server):
    context, page, problems = _new_page(
        browser, live_server, javascript=False, width=360, height=740
    )
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_closed_creche_is_closed_everywhere_a_family_looks(demo, phone):
    page = phone
    # Its page: the notice, the status with the reopening date.
    page.goto("/annuaire/multi-accueil-les-lucioles/")
    expect(page.get_by_role("heading", level=2, name=re.compile("^Fermé du"))).to_contain_text(
        "travaux"
    )
    expect(page.locator("main")).to_contain_text("Fermé les 7 prochains jours.")
    expect(page.locator(".freshness")).to_contain_text("Informations vérifiées le")
    assert fits_the_screen(page)
    assert_accessible(page, "service fermé")

    # The results for childcare in its commune.
    page.goto("/annuaire/?besoin=faire-garder-mon-enfant&commune=villeneuve-la-guyard")
    card = page.locator("li.card", has_text="Multi-accueil Les Lucioles")
    expect(card).to_contain_text(CLOSED)
    assert fits_the_screen(page)

    # The guided orientation.
    page.goto(
        "/orienter/?profil=parent&age=1&besoin=faire-garder-mon-enfant"
        "&commune=villeneuve-la-guyard"
    )
    entry = page.locator("li.svc", has_text="Multi-accueil Les Lucioles")
    expect(entry).to_contain_text(CLOSED)

    # A pathway's nearest services.
    page.goto("/parcours/trouver-une-garde-avant-la-naissance/?commune=villeneuve-la-guyard")
    step = page.locator("li.step", has_text="Multi-accueil Les Lucioles").first
    expect(step.locator("li.svc", has_text="Multi-accueil Les Lucioles")).to_contain_text(CLOSED)
    assert fits_the_screen(page)


def test_the_hand_out_sheet_says_the_creche_is_closed(demo, phone):
    adviser = Partner.objects.get(slug="france-services-yonne-nord")
    referral = make_referral(
        service=Service.objects.get(slug="multi-accueil-les-lucioles"),
        from_partner=adviser,
        kind=Referral.Kind.ORIENTATION,
    )
    page = phone
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou courriel").fill("conseillere@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)
    page.goto(f"/accueil/fiche/{referral.batch}/")
    sheet = page.locator("article.handout")
    expect(sheet).to_contain_text(
        re.compile(r"Fermé du \d+(er)? [^ ,]+ au \d+(er)? [^ ,]+ — travaux")
    )
    expect(sheet).to_contain_text(CLOSED)
    # And at the counter, before orienting.
    page.goto("/accueil/?besoin=faire-garder-mon-enfant&commune=villeneuve-la-guyard")
    expect(page.locator("li.card", has_text="Multi-accueil Les Lucioles")).to_contain_text(CLOSED)


def test_the_bus_card_shows_its_next_stop_in_the_commune(demo, phone):
    page = phone
    page.goto("/annuaire/?q=bus&commune=cuy")
    card = page.locator("li.card", has_text="Bus France Services Yonne Nord")
    expect(card).to_contain_text(
        re.compile(r"Prochain passage à Cuy : [^ ,]+ \d+(er)? [^ ,]+, 9 h–12 h")
    )
    expect(card).to_contain_text("à 0 km")
    expect(card).not_to_contain_text("Vinneuf")
    page.goto("/annuaire/bus-france-services/")
    expect(page.get_by_role("heading", name="Prochains passages")).to_be_visible()
    assert fits_the_screen(page)


def test_an_error_report_from_a_phone_with_and_without_javascript(demo, phone, phone_without_js):
    for page in (phone, phone_without_js):
        page.goto("/annuaire/multi-accueil-les-lucioles/")
        page.get_by_role("link", name="Signaler une erreur sur cette page").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Signaler une erreur")
        if page is phone:  # axe runs as a script
            assert_accessible(page, "signaler une erreur")
        page.get_by_role("button", name="Envoyer le signalement").click()
        expect(page.get_by_role("alert")).to_contain_text("Choisissez ce qui n'est pas juste")
        page.get_by_label("Les horaires ou les dates").check()
        page.get_by_label("Dites-nous en plus (facultatif)").fill("Rouvert plus tôt.")
        page.get_by_role("button", name="Envoyer le signalement").click()
        expect(page.get_by_text("Merci : votre signalement est envoyé.")).to_be_visible()
    assert ErrorReport.objects.filter(comment="Rouvert plus tôt.").count() == 2


def test_the_easy_to_read_version_is_one_tap_away(demo, phone):
    page = phone
    page.goto("/parcours/trouver-une-garde-avant-la-naissance/")
    page.get_by_role("link", name="Version facile à lire").click()
    expect(page).to_have_url(re.compile(r"lecture=facile"))
    expect(page.locator("#etape-1 .falc").first).to_contain_text("Vous attendez un bébé.")
    page.get_by_label("Votre commune").select_option(label="Cuy")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"lecture=facile"))
    expect(page.locator("#etape-1 .falc").first).to_contain_text("Vous attendez un bébé.")
    assert_accessible(page, "parcours facile à lire")
