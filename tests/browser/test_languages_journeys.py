"""A family in English or in Arabic, on a 360 × 740 phone, with and without JavaScript:
directory → service, a pathway, the guided orientation; the page in the family's language
(lang, dir), French said to be French, nothing wider than the screen (320 px in Arabic),
axe clean. Selectors use ids and names, not words: the words are the translations'."""

import re

import pytest
from playwright.sync_api import expect

from orientations.models import Referral
from services_directory.models import Sector
from tests.browser.axe import assert_accessible
from tests.browser.conftest import _new_page
from tests.browser.territory import build_territory
from tests.factories import make_translation

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def check(page, language: str, where: str, *, axe: bool) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    if language == "ar":
        expect(html).to_have_attribute("dir", "rtl")
    assert fits_the_screen(page), f"{language} {where}: the page scrolls sideways"
    if axe:
        assert_accessible(page, f"{language} {where}")


def journey(page, language: str, *, axe: bool) -> None:
    page.goto(f"/{language}/")
    check(page, language, "accueil", axe=axe)

    page.goto(f"/{language}/annuaire/?q=creche")
    check(page, language, "annuaire", axe=axe)
    page.locator(".cards h2 a").first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/annuaire/[a-z0-9-]+/$"))
    # No translation in this territory: French stands in, marked and with lang="fr".
    expect(page.locator("h1 [lang=fr]")).to_be_visible()
    expect(page.locator(".fallback-mark").first).to_be_visible()
    check(page, language, "service", axe=axe)

    page.goto(f"/{language}/parcours/faire-garder-mon-enfant/")
    expect(page.locator(".diagram-svg")).to_be_visible()
    check(page, language, "parcours", axe=axe)

    page.goto(f"/{language}/orienter/")
    page.locator("#profil-parent").check()
    page.locator("main button[type=submit]").click()
    page.locator("#id_age").fill("1")
    page.locator("main button[type=submit]").click()
    page.locator("#besoin-faire-garder-mon-enfant").check()
    page.locator("main button[type=submit]").click()
    page.locator("#id_commune").select_option("pont-sur-yonne")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/orienter/\?.*commune=pont-sur-yonne"))
    check(page, language, "orientation", axe=axe)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_family_in_its_language_on_a_phone(
    browser, live_server, transactional_db, language, javascript
):
    build_territory()
    context, page, problems = _new_page(
        browser, live_server, javascript=javascript, width=360, height=740
    )
    try:
        journey(page, language, axe=javascript)
        page.screenshot(path=f"/tmp/passerelles-{language}-{'js' if javascript else 'nojs'}.png")
    finally:
        context.close()
    assert not problems.items, "\n".join(problems.items)


def test_arabic_fits_a_320_pixel_phone(browser, live_server, transactional_db):
    build_territory()
    context, page, problems = _new_page(
        browser, live_server, javascript=True, width=320, height=640
    )
    try:
        journey(page, "ar", axe=False)
    finally:
        context.close()
    assert not problems.items, "\n".join(problems.items)


def test_the_switcher_takes_a_family_to_the_same_page_in_one_tap(page, transactional_db):
    build_territory()
    page.goto("/annuaire/?q=creche")
    page.locator(".lang-nav a[hreflang=ar]").click()
    expect(page).to_have_url(re.compile(r"/ar/annuaire/\?q=creche$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_family_follows_its_orientation_in_arabic_on_a_phone(
    browser, live_server, transactional_db, javascript
):
    world = build_territory()
    Referral.objects.filter(batch=world.refused.batch).set_family_language("ar")
    context, page, problems = _new_page(
        browser, live_server, javascript=javascript, width=360, height=740
    )
    try:
        # The root address (typed from the sheet) offers the family's language in one tap.
        page.goto(f"/suivi/{world.refused.token}/")
        page.locator(".family-language a[hreflang=ar]").click()
        expect(page).to_have_url(re.compile(rf"/ar/suivi/{world.refused.token}/$"))
        check(page, "ar", "suivi", axe=javascript)
        # The French copy for the receiving service: French, left to right, under the page.
        copy = page.locator(".french-copy [lang=fr]")
        expect(copy).to_have_attribute("dir", "ltr")
        expect(copy.locator("h3")).to_contain_text("Crèche")
        page.screenshot(
            path=f"/tmp/passerelles-suivi-ar-{'js' if javascript else 'nojs'}.png", full_page=True
        )
        # Refused: it asks to be called back, in Arabic, and comes back to the Arabic page.
        callback = page.locator(f"#orientation-{world.refused.pk} form[action$='/rappel/']")
        callback.locator("input[name=phone]").fill("06 12 34 56 78")
        callback.locator("button").click()
        expect(page).to_have_url(re.compile(rf"/ar/suivi/{world.refused.token}/"))
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    finally:
        context.close()
    assert not problems.items, "\n".join(problems.items)
    world.refused.refresh_from_db()
    assert world.refused.callback_requested_at is not None


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_directory_filters_speak_english(browser, live_server, transactional_db, javascript):
    world = build_territory()
    make_translation(world.garde, "name", "en", "Childcare")
    make_translation(Sector.objects.get(slug="petite-enfance"), "name", "en", "Early childhood")
    context, page, problems = _new_page(
        browser, live_server, javascript=javascript, width=1280, height=900
    )
    try:
        page.goto("/en/annuaire/")
        page.locator("details.filters summary").click()
        besoin = page.locator("#id_besoin")
        expect(besoin.locator("option[value=faire-garder-mon-enfant]")).to_have_text("Childcare")
        # Without a reviewed translation: French, said to be French, in English.
        expect(besoin.locator("option[value=emploi]")).to_have_text(re.compile(r"\(in French\)$"))
        expect(page.locator("#id_secteur option[value=petite-enfance]")).to_have_text(
            "Early childhood"
        )
        page.screenshot(path=f"/tmp/passerelles-filters-en-{'js' if javascript else 'nojs'}.png")
        besoin.select_option("faire-garder-mon-enfant")
        if not javascript:
            page.locator("details.filters button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/en/annuaire/\?.*besoin=faire-garder-mon-enfant"))
        expect(page.locator("#id_besoin option:checked")).to_have_text("Childcare")
        # The same page in Arabic keeps the filter, with or without JavaScript.
        expect(page.locator(".lang-nav a[hreflang=ar]")).to_have_attribute(
            "href", re.compile(r"^/ar/annuaire/\?.*besoin=faire-garder-mon-enfant")
        )
        check(page, "en", "annuaire filtré", axe=javascript)
    finally:
        context.close()
    assert not problems.items, "\n".join(problems.items)
