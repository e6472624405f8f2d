"""Issue 12 in a real browser: a visitor with three needs oriented in one visit (one sheet,
whose PDF fits one page per two services with no blank page), and a partner's staff
orienting a family on to the youth service. The actions a person makes are counted."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from orientations.models import Origin, Referral
from services_directory.models import Need, Partner, Sector
from tests.browser.territory import build_territory, log_in
from tests.factories import make_partner, make_place, make_service
from tests.personas import make_partner_staff

pytestmark = pytest.mark.browser


class Counter:
    """Counts what the person does: a click, a choice in a list, a field typed."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def click(self, locator):
        self.n += 1
        locator.click()

    def fill(self, locator, text):
        self.n += 1
        locator.fill(text)

    def select(self, locator, **kwargs):
        self.n += 1
        locator.select_option(**kwargs)


def more_services(world):
    jeunesse = Sector.objects.get(slug="jeunesse")
    enfance_jeunesse = make_partner(
        name="Service Enfance-Jeunesse", kind=Partner.Kind.INTERCOMMUNALITY
    )
    world.pij = make_service(
        name="Point Information Jeunesse",
        partner=enfance_jeunesse,
        summary="Orientation, études, jobs, logement : on t'aide à y voir clair.",
        phone="03 86 00 00 05",
        email="pij@example.org",
        age_min=11,
        age_max=25,
        sectors=[jeunesse],
        needs=[Need.objects.get(slug="information-jeunesse")],
        places=[(make_place(commune=world.pont, name="Espace jeunes"), "Tu-Sa 14:00-18:00")],
    )
    world.caf = make_service(
        name="Accompagnement aux démarches CAF",
        partner=world.france_services,
        summary="Un conseiller vous aide à faire vos demandes à la CAF.",
        phone="03 86 00 00 06",
        sectors=[Sector.objects.get(slug="acces-aux-droits")],
        needs=[Need.objects.get(slug="acces-aux-droits")],
        places=[(make_place(commune=world.pont, name="France Services"), "Mo-Fr 09:00-12:00")],
    )
    return world


def search(counter, page, words):
    box = page.get_by_label("Besoin, parcours ou service")
    counter.fill(box, words)
    # With JavaScript the results come as one types; without, one presses Rechercher.
    expect(page.get_by_role("heading", name="Services", exact=True)).to_be_visible()


def add_to_visit(counter, page, name, total):
    counter.click(page.get_by_role("button", name=f"Ajouter à la visite : {name}"))
    expect(
        page.get_by_role("heading", name=re.compile(f"Visite en cours : {total} service"))
    ).to_be_visible()


def pdf_pages(page) -> list[str]:
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    return [p.extract_text() or "" for p in reader.pages]


def test_a_visitor_with_three_needs_in_one_visit_one_sheet(page, live_server, tmp_path):
    world = more_services(build_territory())
    log_in(page, "adviser")
    counter = Counter(page)
    counter.select(page.get_by_label("Commune de la personne"), label="Pont-sur-Yonne")
    counter.select(page.get_by_label("Âge de la personne concernée"), label="Moins de 3 ans")
    search(counter, page, "garde")
    add_to_visit(counter, page, "Relais Petite Enfance", 1)
    search(counter, page, "caf")
    add_to_visit(counter, page, "Accompagnement aux démarches CAF", 2)
    counter.select(page.get_by_label("Âge de la personne concernée"), label="16 à 17 ans")
    search(counter, page, "information jeunesse")
    add_to_visit(counter, page, "Point Information Jeunesse", 3)
    counter.click(page.get_by_role("link", name="Orienter vers ces 3 services"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une orientation")
    rpe_kind = page.get_by_role("group", name="Relais Petite Enfance")
    counter.click(rpe_kind.get_by_label("Mise en relation (je contacte le partenaire)"))
    counter.click(page.get_by_label("La personne a donné son accord"))
    counter.fill(page.get_by_label("Nom de la personne"), "Léa Bernard")
    counter.fill(page.get_by_label("Téléphone"), "06 11 22 33 44")
    counter.click(page.get_by_role("button", name="Enregistrer et préparer la fiche"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")
    print(f"\nActions for one visit with three needs: {counter.n}")
    assert counter.n <= 15
    referrals = list(Referral.objects.order_by("pk").exclude(pk=world.refused.pk))
    assert len(referrals) == 3 and len({r.batch for r in referrals}) == 1
    by_service = {r.service.name: r for r in referrals}
    assert by_service["Relais Petite Enfance"].kind == Referral.Kind.CONNECTION
    assert by_service["Point Information Jeunesse"].age_band == "16-17"
    assert by_service["Relais Petite Enfance"].age_band == "0-2"
    assert [n.slug for n in by_service["Point Information Jeunesse"].needs.all()] == [
        "information-jeunesse"
    ]
    expect(page.get_by_role("img", name="Code QR vers votre page de suivi")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "sheet.png"), full_page=True)
    pages = pdf_pages(page)
    print(f"Sheet for three services: {len(pages)} A4 page(s)")
    assert len(pages) <= 2
    assert all(text.strip() for text in pages), "a blank page in the PDF"
    assert "Remise le" in pages[0]


def test_one_service_prints_on_one_page(page, live_server):
    world = build_territory()
    log_in(page, "adviser")
    page.get_by_label("Besoin, parcours ou service").fill("garde")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Orienter vers ce service seul : Relais Petite Enfance").click()
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")
    pages = pdf_pages(page)
    print(f"\nSheet for one service: {len(pages)} A4 page(s)")
    assert len(pages) == 1 and pages[0].strip()
    assert world


def test_four_services_print_on_two_pages_at_most(page, live_server):
    world = more_services(build_territory())
    log_in(page, "adviser")
    for words, name in [
        ("garde", "Relais Petite Enfance"),
        ("garde", "Crèche Les Petits Loups"),
        ("caf", "Accompagnement aux démarches CAF"),
        ("information jeunesse", "Point Information Jeunesse"),
    ]:
        page.get_by_label("Besoin, parcours ou service").fill(words)
        page.get_by_role("button", name="Rechercher").click()
        page.get_by_role("button", name=f"Ajouter à la visite : {name}").click()
    page.get_by_role("link", name="Orienter vers ces 4 services").click()
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")
    pages = pdf_pages(page)
    print(f"\nSheet for four services: {len(pages)} A4 page(s)")
    assert len(pages) <= 2 and all(text.strip() for text in pages)
    assert world


def test_the_visit_works_without_javascript(nojs_page, live_server):
    page = nojs_page
    more_services(build_territory())
    log_in(page, "adviser")
    for words, name in [
        ("garde", "Relais Petite Enfance"),
        ("caf", "Accompagnement aux démarches CAF"),
    ]:
        page.get_by_label("Besoin, parcours ou service").fill(words)
        page.get_by_role("button", name="Rechercher").click()
        page.get_by_role("button", name=f"Ajouter à la visite : {name}").click()
        expect(page).to_have_url(re.compile(r"/accueil/\?"))
    page.get_by_role("link", name="Orienter vers ces 2 services").click()
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")
    assert Referral.objects.filter(kind="orientation").exclude(status="refusee").count() == 2


def test_a_partners_staff_orients_a_family_to_the_youth_service(page, live_server):
    world = more_services(build_territory())
    # The RPE's professional: she receives orientations, and hands families on herself.
    log_in(page, "partner_staff")
    expect(page).to_have_url(re.compile(r"/partenaire/orientations/$"))
    page.get_by_role("link", name="Rechercher et orienter").click()
    page.get_by_label("Besoin, parcours ou service").fill("information jeunesse")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role(
        "link", name="Orienter vers ce service seul : Point Information Jeunesse"
    ).click()
    expect(page.get_by_text("(votre service)")).to_be_visible()
    expect(page.get_by_text("Petite Enfance (votre service)")).to_be_visible()
    page.get_by_role("button", name="Enregistrer et préparer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre fiche d'orientation")
    referral = Referral.objects.get(service=world.pij)
    assert referral.from_partner == world.partner_staff.staff_profile.partner
    assert referral.origin == Origin.PETITE_ENFANCE  # a passerelle, recorded by the RPE
    # Another partner's staff (the PIJ) receives it; it is not in the RPE's inbox.
    page.get_by_role("link", name="Orientations reçues").click()
    expect(page.get_by_text("Point Information Jeunesse")).to_have_count(0)
    assert make_partner_staff
