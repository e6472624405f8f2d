"""Partners keep their own sheets; the coordination validates; the widget on another site."""

import functools
import http.server
import threading

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services_directory.models import Notice, Service, ServiceChange
from tests.browser.axe import axe_at
from tests.browser.territory import build_territory, log_in

pytestmark = pytest.mark.browser


def confirm_and_edit_a_notice(page, *, check=lambda page, where: None) -> None:
    log_in(page, "partner_staff")
    page.get_by_role("link", name="Mes services").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mes services — CCYN — service Petite Enfance"
    )
    check(page, "mes services")

    page.get_by_role("button", name="Rien n'a changé pour « Relais Petite Enfance »").click()
    expect(page.get_by_role("status")).to_contain_text(
        "« Relais Petite Enfance » est marqué vérifié aujourd'hui"
    )

    page.get_by_role("link", name="Modifier la fiche « Relais Petite Enfance »").click()
    check(page, "fiche")
    today = timezone.localdate().isoformat()
    page.locator("#id_avis-0-kind").select_option("closure")
    page.locator("#id_avis-0-reason").fill("fermeture exceptionnelle")
    page.locator("#id_avis-0-text").fill("Le relais est fermé aujourd'hui.")
    page.locator("#id_avis-0-start").fill(today)
    page.locator("#id_avis-0-end").fill(today)
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_role("status")).to_contain_text("Enregistré : la fiche est à jour.")

    page.goto("/annuaire/relais-petite-enfance/")
    expect(page.locator("main")).to_contain_text("fermeture exceptionnelle")


def test_a_partner_confirms_its_sheet_and_edits_a_notice(page, transactional_db):
    world = build_territory()
    confirm_and_edit_a_notice(page, check=axe_at("mes services", "fiche"))
    service = Service.objects.get(pk=world.rpe.pk)
    assert service.notices.get().kind == Notice.Kind.CLOSURE
    kinds = set(ServiceChange.objects.values_list("kind", flat=True))
    assert kinds == {ServiceChange.Kind.CONFIRMED, ServiceChange.Kind.PRACTICAL}


def test_the_same_without_javascript(nojs_page, transactional_db):
    build_territory()
    confirm_and_edit_a_notice(nojs_page)


def test_the_coordination_validates_a_change_of_what_the_service_does(
    page, browser, live_server, transactional_db
):
    build_territory()
    log_in(page, "partner_staff")
    page.goto("/espace-pro/mes-services/")
    page.get_by_role("link", name="Modifier la fiche « Relais Petite Enfance »").click()
    page.get_by_label("ce que nous faisons").fill(
        "Nous vous aidons à trouver une assistante maternelle et à rédiger son contrat."
    )
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_role("status")).to_contain_text("après validation par la coordination")
    page.goto("/annuaire/relais-petite-enfance/")
    expect(page.get_by_text("à rédiger son contrat")).to_have_count(0)

    # The chargée de mission, in Django's admin (whose own sidebar script sets inline
    # styles that our CSP blocks, harmlessly: the admin is not watched like our pages).
    admin = browser.new_context(base_url=live_server.url, locale="fr-FR")
    coordination = admin.new_page()
    log_in(coordination, "coordinator")
    coordination.goto("/admin/")
    coordination.get_by_role("link", name="Modifications des fiches par les partenaires").click()
    coordination.get_by_role("link", name="Relais Petite Enfance").first.click()
    expect(coordination.locator("table.diff ins")).to_contain_text("à rédiger son contrat.")
    coordination.get_by_role("button", name="Valider et publier").click()
    expect(coordination.locator(".messagelist")).to_contain_text("Modification validée")
    admin.close()

    page.goto("/annuaire/relais-petite-enfance/")
    expect(page.get_by_text("à rédiger son contrat.")).to_be_visible()


@pytest.fixture
def other_site(tmp_path, live_server):
    """A page of another origin (another port) that frames the widget."""
    url = f"{live_server.url}/widget/?commune=pont-sur-yonne&besoin=faire-garder-mon-enfant"
    (tmp_path / "mairie.html").write_text(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
        "<title>Mairie de Pont-sur-Yonne</title></head><body>"
        "<h1>Mairie de Pont-sur-Yonne : la petite enfance</h1>"
        f"<iframe src='{url}' title='Services petite enfance' width='100%' height='500'>"
        "</iframe></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/mairie.html"
    server.shutdown()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_widget_renders_inside_a_page_of_another_origin(
    browser, live_server, transactional_db, other_site, javascript
):
    build_territory()
    context = browser.new_context(java_script_enabled=javascript, locale="fr-FR")
    problems = []
    page = context.new_page()
    page.on("console", lambda message: problems.append(message.text))
    page.goto(other_site)
    frame = page.frame_locator("iframe")

    expect(frame.get_by_role("heading", level=1)).to_contain_text("Faire garder mon enfant")
    expect(frame.get_by_role("link", name="Relais Petite Enfance (nouvel onglet)")).to_be_visible()
    expect(frame.get_by_text("CCYN — service Petite Enfance")).to_be_visible()
    assert not context.cookies()  # neither the site nor the widget set any
    with page.expect_popup() as popup:
        frame.get_by_role("link", name="Relais Petite Enfance (nouvel onglet)").click()
    expect(popup.value).to_have_url(f"{live_server.url}/annuaire/relais-petite-enfance/")
    assert not [text for text in problems if "Refused" in text or "frame" in text], problems
    context.close()
