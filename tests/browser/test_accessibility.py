"""axe-core on every page of every kind of person, and on the pages that say something
went wrong; a keyboard-only run of the counter journey.

The browser follows the links each person sees, and axe checks the first page of
each URL pattern it reaches. The last test checks that together they reached every
page the portal serves, so a new page cannot escape the check.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from orientations.models import Referral, new_nonce
from services_directory import access
from services_directory.models import FreshnessRequest
from tests.browser.axe import describe, violations
from tests.browser.territory import build_territory, log_in
from tests.personas import make_referral
from tests.security.crawl import project_routes

pytestmark = pytest.mark.browser

# Not pages: files, a counting pixel, POST-only actions, a machine check.
NOT_PAGES = {
    "portal:healthz",
    "portal:logout",
    "pathways:seen",
    "pathways:feedback",
    "orientations:referral_move",
    "orientations:referral_answer",
    "orientations:handout_send",
    "orientations:handout_language",
    "orientations:visit_add",
    "orientations:visit_remove",
    "orientations:referral_callback_done",
    "orientations:inbox_notify",
    "orientations:follow_up_callback",
    "indicators:dashboard_export",
    "indicators:observatory_export",
    "indicators:indicator_export",
    "services_directory:open_data_file",
    "services_directory:sheet_confirm",
    "services_directory:sheet_link_confirm",
    "services_directory:session_ics",
    "services_directory:stop_ics",
}
MAX_PAGES = 60


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}"


def crawl_with_axe(page, starts: list[str], done: set[str]) -> tuple[set[str], list[str]]:
    """Visit each URL pattern once, following links; returns (routes seen, problems).

    Patterns in `done` (checked for another person) are followed but not checked again.
    """
    seen, problems, queue, visited = set(), [], list(starts), set()
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        route = route_of(urlsplit(url).path)
        if url in visited or route is None or route in seen or route in NOT_PAGES:
            continue
        if route in done and visited:
            continue
        visited.add(url)
        response = page.goto(url)
        if response is None or not response.ok:
            problems.append(f"{url}: {response.status if response else 'no response'}")
            continue
        seen.add(route)
        found = violations(page)
        if found:
            problems.append(f"{url}:\n{describe(found)}")
        # Not the language switcher: the same pages in another language (their own test).
        hrefs = page.eval_on_selector_all(
            "a[href]:not([hreflang])", "links => links.map(a => a.href)"
        )
        for href in hrefs:
            parts = urlsplit(href)
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if href.startswith(page.url.split("/", 3)[0] + "//") and not local.startswith(
                ("/static/", "/admin/")
            ):
                queue.append(local)
    return seen, problems


@pytest.fixture(scope="module")
def routes_checked() -> set:
    return set()


def starts_for(world) -> list[str]:
    asked = FreshnessRequest.objects.create(service=world.rpe, sent_to="rpe@example.org")
    return [
        "/",
        world.rpe.get_absolute_url(),
        world.rpe.partner.get_absolute_url(),
        world.pathway.get_absolute_url(),
        f"/parcours/{world.pathway.slug}/imprimer/",
        f"/parcours/{world.pathway.slug}/apercu/",
        "/orienter/?profil=parent&age=1&besoin=faire-garder-mon-enfant&commune=sergines",
        "/accueil/?q=garde&commune=pont-sur-yonne",
        f"/accueil/orienter/?service={world.rpe.pk}&commune=pont-sur-yonne",
        world.refused.get_absolute_url(),
        f"/accueil/fiche/{world.refused.batch}/",
        f"/suivi/{world.refused.token}/",
        "/connexion/",
        "/mentions-legales/",
        "/accessibilite/",
        "/donnees-personnelles/",
        "/indicateurs/questionnaire/",
        answer_link(world),
        "/widget/?commune=pont-sur-yonne&besoin=faire-garder-mon-enfant",
        f"/espace-pro/mes-services/{world.rpe.pk}/",
        f"/fiche/{access.sheet_link_token(asked)}/",
    ]


def answer_link(world) -> str:
    """The link e-mailed to the receiving partner (no account needed)."""
    referral = make_referral(
        service=world.rpe,
        from_partner=world.france_services,
        kind=Referral.Kind.CONNECTION,
        status=Referral.Status.SENT,
        answer_nonce=new_nonce(),
    )
    return referral.answer_link_path()


@pytest.mark.parametrize("persona", ["anonymous", "adviser", "partner_staff", "coordinator"])
def test_every_page_passes_axe(page, transactional_db, persona, routes_checked):
    world = build_territory()
    if persona != "anonymous":
        log_in(page, persona)
    starts = [page.url, *starts_for(world)] if persona != "anonymous" else starts_for(world)
    # The first page (a staff member's home, with the logged-in header) is always checked.
    seen, problems = crawl_with_axe(page, starts, done=routes_checked)
    routes_checked.update(seen)
    # Pages this person may not open answer 403/404: only their own pages count.
    problems = [p for p in problems if not re.search(r": (403|404)$", p)]
    assert not problems, "\n".join(problems)


def test_together_they_checked_every_page(transactional_db, routes_checked):
    if not routes_checked:
        pytest.skip("run with the crawls of this module")
    pages = {route.name for route in project_routes()} - NOT_PAGES
    assert pages - routes_checked == set(), "pages no persona reached: add a start URL"


def assert_no_violation(page, what: str) -> None:
    found = violations(page)
    assert not found, f"axe on {what}:\n{describe(found)}"


def test_pages_that_report_errors_pass_axe(page, transactional_db, live_server):
    world = build_territory()
    page.goto("/annuaire/?age=douze&commune=atlantide")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violation(page, "annuaire, filtres incompris")
    page.goto("/orienter/?etape=age&profil=parent&age=999")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_violation(page, "orienter, âge impossible")
    page.goto("/cette-page-n-existe-pas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette page n'existe pas ou plus")
    assert_no_violation(page, "404")

    page.goto("/connexion/")
    page.get_by_label("Identifiant ou courriel").fill("conseillere@example.org")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Identifiant ou mot de passe incorrect")
    assert_no_violation(page, "connexion refusée")

    log_in(page, "adviser", world.password)
    page.goto("/indicateurs/")
    assert_no_violation(page, "403")
    page.goto(f"/accueil/orienter/?service={world.rpe.pk}")
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()
    expect(page.get_by_role("alert")).to_contain_text("pas encore enregistrée")
    assert_no_violation(page, "orientation incomplète")

    # The 503 page is rendered without the database: serve it as the middleware would.
    html = render_to_string("503.html")
    page.route(
        "**/indisponible/",
        lambda route: route.fulfill(status=503, body=html, content_type="text/html"),
    )
    page.goto("/indisponible/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Le site est momentanément indisponible"
    )
    assert_no_violation(page, "503")


def test_axe_does_report_a_violation(page):
    """Guards the guard: zero violations above means axe ran, not that it was silent."""
    page.set_content('<html><body><img src="photo.png"><a href="/"></a></body></html>')
    found = {violation["id"] for violation in violations(page)}
    assert {"html-has-lang", "image-alt", "link-name"} <= found
