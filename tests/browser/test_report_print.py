"""The comité de pilotage's documents as a browser prints them, and indicators pages that
never overflow the screen, from a 320 px phone to a 1366 px laptop."""

import io

import pytest
from pypdf import PdfReader

from orientations.models import Origin, Referral
from tests.browser.territory import build_territory, log_in
from tests.personas import make_referral

pytestmark = pytest.mark.browser

PAGES = [
    "/indicateurs/",
    "/indicateurs/synthese/",
    "/indicateurs/rapport/",
    "/indicateurs/observatoire/",
    "/indicateurs/detail/sans-rupture/",
]
# A page with less text than this is « near empty » (a title alone, a lost table).
NEAR_EMPTY = 400
REPORT_PAGE_BUDGET = 12  # the demo territory printed 16 pages, two nearly empty, before


def a_year_of_orientations(world) -> None:
    statuses = [Referral.Status.SUCCEEDED, Referral.Status.TAKEN, Referral.Status.EXPIRED]
    for n in range(45):
        make_referral(
            service=world.rpe if n % 2 else world.creche,
            from_partner=world.france_services,
            commune=world.pont if n % 3 else world.sergines,
            origin=[Origin.PETITE_ENFANCE, Origin.FRANCE_SERVICES, Origin.PARENTALITE][n % 3],
            status=statuses[n % 3],
        )


def pdf_pages(page, path: str) -> list[str]:
    page.goto(path)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    page.emulate_media(media="screen")
    return [sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages]


def test_the_synthesis_prints_on_one_page_and_opens_the_report(page, transactional_db):
    a_year_of_orientations(build_territory())
    log_in(page, "coordinator")

    synthesis = pdf_pages(page, "/indicateurs/synthese/")
    report = pdf_pages(page, "/indicateurs/rapport/")

    assert len(synthesis) == 1
    assert "Synthèse" in synthesis[0] and "Nombre de situations orientées" in synthesis[0]
    assert "Synthèse" in report[0] and "Retours des habitants" in report[0]
    # As long as the content needs, and no near-empty page on the way.
    assert len(report) <= REPORT_PAGE_BUDGET, f"{len(report)} pages"
    lengths = [len(text) for text in report]
    assert all(n >= NEAR_EMPTY for n in lengths[:-1]), lengths


@pytest.mark.parametrize("width", [320, 1366])
def test_no_indicators_page_overflows_the_screen(browser, live_server, transactional_db, width):
    a_year_of_orientations(build_territory())
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    try:
        log_in(page, "coordinator")
        for path in PAGES:
            page.goto(path)
            scroll, screen = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= screen, f"{path} is {scroll} px wide at {width} px"
    finally:
        context.close()
