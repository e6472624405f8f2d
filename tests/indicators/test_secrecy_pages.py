"""The three leaks the chargée de mission found, on the pages and in the exports."""

import re

import pytest

from orientations.models import Origin, Referral
from tests.personas import make_coordinator

from .conftest import at, orient

S = Referral.Status


@pytest.fixture
def logged_in(client, db):
    client.force_login(make_coordinator())
    return client


def _row(html: str, label: str) -> str:
    return re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', html, re.S)[1]


def test_a_communes_outcomes_cannot_be_worked_out_from_its_rate(logged_in, frozen, place):
    # Villeneuve-la-Guyard: 9 without rupture, 4 ruptures, 13 followed, none in progress.
    orient(place, times=9, status=S.SUCCEEDED, created=at(2026, 3, 2), commune=place.other)
    orient(
        place,
        times=4,
        status=S.EXPIRED,
        closed_at=at(2026, 4, 2),
        created=at(2026, 3, 2),
        commune=place.other,
    )
    orient(place, times=20, status=S.SUCCEEDED, created=at(2026, 3, 2))
    orient(place, times=6, status=S.EXPIRED, closed_at=at(2026, 4, 2), created=at(2026, 3, 2))

    html = logged_in.get("/indicateurs/detail/sans-rupture/", {"periode": "2026"}).content
    row = _row(html.decode(), "Sergines")
    csv = logged_in.get(
        "/indicateurs/detail/sans-rupture/par-commune.csv", {"periode": "2026"}
    ).content.decode()

    assert row.count('class="masked secret"') == 3  # the 9, the share and the rate: « s »
    assert row.count('<span class="masked">&lt;') == 1  # the 4 ruptures: « < 5 »
    assert "69,2" not in row and ">9<" not in row
    assert "Sergines;;;0;13;;;Sans rupture : s, Rupture : < 5, Part sans rupture : s" in csv


def test_a_communes_in_progress_cannot_be_worked_out_from_its_total(logged_in, frozen, place):
    # Michery: 25 followed, 15 without rupture, 3 ruptures, 7 in progress.
    orient(place, times=15, status=S.SUCCEEDED, created=at(2026, 6, 1), commune=place.other)
    orient(
        place,
        times=3,
        status=S.EXPIRED,
        closed_at=at(2026, 5, 1),
        created=at(2026, 4, 1),
        commune=place.other,
    )
    orient(place, times=7, status=S.SENT, created=at(2026, 6, 1), commune=place.other)
    orient(place, times=30, status=S.SUCCEEDED, created=at(2026, 6, 1))
    orient(place, times=10, status=S.EXPIRED, closed_at=at(2026, 5, 1), created=at(2026, 4, 1))
    orient(place, times=10, status=S.SENT, created=at(2026, 6, 1))

    html = logged_in.get("/indicateurs/detail/sans-rupture/", {"periode": "2026"}).content
    row = _row(html.decode(), "Sergines")

    assert row.startswith('<td class="num">15</td>') and ">25<" in row
    in_progress = row.split("</td>")[2]
    assert 'class="masked secret"' in in_progress  # 7 is « s », not « < 5 »
    assert 'class="masked">&lt;' in row.split("</td>")[1]  # the 3 ruptures


def test_a_months_passerelles_cannot_be_worked_out_from_the_year(logged_in, frozen, place):
    # 4 in May among months of 5 or more: May « < 5 », one other month « s ».
    for month, times in [(1, 6), (2, 5), (3, 7), (4, 9), (5, 4)]:
        orient(
            place,
            times=times,
            service=place.alsh,
            origin=Origin.PETITE_ENFANCE,
            created=at(2026, month, 3),
        )

    html = logged_in.get("/indicateurs/detail/passerelles/", {"periode": "2026"}).content
    months = {
        label: _row(html.decode(), label) for label in ["janvier 2026", "février 2026", "mai 2026"]
    }

    assert 'class="masked">&lt;' in months["mai 2026"]
    assert 'class="masked secret"' in months["février 2026"]  # the smallest other month
    assert ">6<" in months["janvier 2026"]
    assert "Total : 31 passerelles." in html.decode()
