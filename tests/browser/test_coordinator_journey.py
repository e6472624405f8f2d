"""The coordinator: login → dashboard → filter → CSV and XLSX exports, with and without JS."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_at
from tests.browser.territory import build_territory, log_in

pytestmark = pytest.mark.browser


def coordinator_journey(page, *, check=lambda page, where: None) -> tuple:
    """Returns the CSV and XLSX downloads, as the browser saved them."""
    log_in(page, "coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs d'évaluation")
    check(page, "tableau de bord")

    page.get_by_label("Commune", exact=True).select_option(label="Sergines")
    page.get_by_label("Secteur").select_option(label="Petite Enfance")
    page.get_by_role("button", name="Afficher").click()
    scope = page.locator(".ind-scope")
    expect(scope).to_contain_text("commune : Sergines")
    expect(scope).to_contain_text("secteur : Petite Enfance")
    expect(page).to_have_url(re.compile(r"commune=sergines"))
    check(page, "tableau de bord filtré")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV", exact=True).click()
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    return csv_download.value, xlsx_download.value


def assert_exports_are_the_filtered_dashboard(csv, xlsx) -> None:
    assert csv.suggested_filename.endswith(".csv")
    assert xlsx.suggested_filename.endswith(".xlsx")
    with open(csv.path(), encoding="utf-8-sig") as handle:
        header = handle.readline()
    assert ";" in header and header.strip()
    with open(xlsx.path(), "rb") as handle:
        workbook = openpyxl.load_workbook(handle, read_only=True)
        assert workbook.sheetnames[0] == "Synthèse"
        assert "Par commune" in workbook.sheetnames
        about = " ".join(
            str(cell)
            for row in workbook.worksheets[-1].iter_rows(values_only=True)
            for cell in row
        )
    assert "Sergines" in about


def test_the_coordinator_filters_the_dashboard_and_exports_it(page, transactional_db):
    build_territory()
    downloads = coordinator_journey(page, check=axe_at("tableau de bord filtré"))
    assert_exports_are_the_filtered_dashboard(*downloads)


def test_the_same_journey_works_without_javascript(nojs_page, transactional_db):
    build_territory()
    assert_exports_are_the_filtered_dashboard(*coordinator_journey(nojs_page))
