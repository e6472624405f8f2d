"""The counter journey with the keyboard alone: Tab, arrows, Space and Enter, never the mouse.

At every stop the focused element must show a visible focus indicator.
"""

import pytest
from playwright.sync_api import expect

from orientations.models import Referral
from tests.browser.territory import USERNAMES, build_territory

pytestmark = pytest.mark.browser

MAX_PRESSES = 80
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    visible: outline || style.boxShadow !== "none",
    html: element.outerHTML.slice(0, 120),
  };
}"""


def focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def assert_focus_is_visible(page) -> None:
    style = page.evaluate(FOCUS_STYLE)
    assert style is None or style["visible"], f"no visible focus on {style['html']}"


def press_until_focused(page, key: str, target) -> None:
    expect(target).to_be_attached()
    for _ in range(MAX_PRESSES):
        page.keyboard.press(key)
        assert_focus_is_visible(page)
        if focused(target):
            return
    raise AssertionError(f"{key} never reached {target}")


def tab_to(page, target) -> None:
    press_until_focused(page, "Tab", target)


def test_an_adviser_orients_with_the_keyboard_only(page, transactional_db):
    world = build_territory()
    page.goto("/connexion/")
    # The login form puts the cursor in the first field.
    expect(page.get_by_label("Identifiant ou courriel")).to_be_focused()
    page.keyboard.type(USERNAMES["adviser"])
    tab_to(page, page.get_by_label("Mot de passe"))
    page.keyboard.type(world.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher et orienter")

    # The skip link is the first stop, and takes the focus past the menus.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, page.get_by_label("Besoin, parcours ou service"))
    page.keyboard.type("garde")
    page.keyboard.press("Enter")
    target = page.get_by_role("link", name="Orienter vers ce service seul : Relais Petite Enfance")
    tab_to(page, target)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une orientation")
    # The need searched and the counter's own origin come ticked: nothing to do there.
    expect(page.get_by_label("Faire garder mon enfant", exact=True)).to_be_checked()
    origins = page.get_by_role("group", name="D'où vient la personne ?")
    expect(origins.get_by_label("France Services")).to_be_checked()
    tab_to(page, origins.get_by_label("France Services"))
    press_until_focused(page, "ArrowUp", origins.get_by_label("Parentalité"))
    press_until_focused(page, "ArrowDown", origins.get_by_label("France Services"))
    tab_to(page, page.get_by_role("button", name="Enregistrer et préparer la fiche"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")

    tab_to(page, page.get_by_role("link", name="Mes orientations"))
    page.keyboard.press("Enter")
    reorient = page.get_by_role("link", name=f"Réorienter l'orientation n° {world.refused.pk}")
    tab_to(page, reorient)
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(f"Réorientation de l'orientation n° {world.refused.pk}")
    ).to_be_visible()

    referral = Referral.objects.exclude(pk=world.refused.pk).get()
    assert referral.service == world.rpe
    assert referral.origin == "france_services"
    assert list(referral.needs.all()) == [world.garde]
