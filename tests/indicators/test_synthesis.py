"""The one-page synthesis: every followed indicator, the same figures as its own page."""

import re

import pytest

from indicators.models import Indicator
from orientations.models import Origin, Referral
from tests.personas import make_adviser, make_coordinator

from .conftest import at, orient

URL = "/indicateurs/synthese/"


@pytest.fixture
def logged_in(client, db):
    client.force_login(make_coordinator())
    return client


@pytest.fixture
def year(frozen, place):
    orient(place, times=12, status=Referral.Status.SUCCEEDED, created=at(2026, 3, 4))
    orient(place, times=3, status=Referral.Status.EXPIRED, created=at(2026, 2, 4))
    orient(place, times=6, status=Referral.Status.SENT, created=at(2026, 6, 1))
    orient(place, times=7, origin=Origin.PETITE_ENFANCE, created=at(2025, 5, 4))
    return place


def _value_in(html: str, slug: str) -> str:
    match = re.search(rf'<td class="num" data-indicateur="{slug}">(.*?)</td>', html, re.S)
    assert match, slug
    return match[1].strip()


def test_the_synthesis_gives_the_figures_of_each_indicators_page(logged_in, year):
    synthesis = logged_in.get(URL, {"periode": "2026"}).content.decode()

    assert "Synthèse des indicateurs — année 2026" in synthesis
    for slug in Indicator.objects.for_dashboard().values_list("slug", flat=True):
        page = logged_in.get(f"/indicateurs/detail/{slug}/", {"periode": "2026"})
        value = re.search(
            r'<p class="ind-value">(.*?)(?:<span class="visually-hidden"> \(|</p>)',
            page.content.decode(),
            re.S,
        )
        assert _value_in(synthesis, slug) == value[1].strip(), slug


def test_it_shows_the_previous_period_the_trend_and_the_target(logged_in, year):
    indicator = Indicator.objects.get(slug="sans-rupture")
    indicator.target, indicator.target_label = 20, "fin 2028"
    indicator.save()

    html = logged_in.get(URL, {"periode": "2026"}).content.decode()

    row = re.search(r'data-indicateur="sans-rupture">.*?</tr>', html, re.S)[0]
    # This year: 12 without rupture; the 3 ruptures are hidden, and so are the 6 in
    # progress (not the 12), or 21 − 12 − 6 would give them back.
    assert ">12<" in row
    assert "+12" in row and "▲" in row  # from 0 in 2025
    assert "20 fin 2028" in row
    assert "Année 2025" in html  # the previous period's column


def test_the_report_opens_with_the_synthesis(logged_in, year):
    html = logged_in.get("/indicateurs/rapport/", {"periode": "2026"}).content.decode()

    assert html.index("Synthèse — année 2026") < html.index('id="methode"')
    assert _value_in(html, "sans-rupture") == "12"


def test_it_refuses_advisers_and_post(client, logged_in):
    assert logged_in.post(URL).status_code == 405
    client.force_login(make_adviser())
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/indicateurs/synthese/",
        "/indicateurs/rapport/",
        "/indicateurs/observatoire/",
        "/indicateurs/detail/sans-rupture/",
        "/indicateurs/detail/satisfaction/",
    ],
)
def test_its_queries_do_not_grow_with_the_data(
    logged_in, frozen, place, url, django_assert_max_num_queries
):
    orient(place, times=2, status=Referral.Status.SUCCEEDED, created=at(2026, 5, 4))
    with django_assert_max_num_queries(130) as small:
        logged_in.get(url, {"commune": place.commune.slug})
    orient(place, times=30, status=Referral.Status.SUCCEEDED, created=at(2026, 3, 4))
    orient(
        place,
        times=30,
        status=Referral.Status.EXPIRED,
        origin=Origin.ENFANCE,
        created=at(2026, 2, 4),
        commune=place.other,
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        logged_in.get(url, {"commune": place.commune.slug})
