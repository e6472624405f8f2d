"""The search evaluation set against the demo territory: hit@3 per kind of wording.

A wording is a hit when one of its right services is among the first three results of
`/annuaire/?q=…`. The suite prints hit@3 per kind and asserts the floors of
`search_evaluation.py`; it runs on SQLite and on PostgreSQL alike (DATABASE_URL).
"""

from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.services_directory.search_evaluation import (
    KIND_FLOOR,
    NONSENSE,
    OVERALL_FLOOR,
    WORDINGS,
)
from tests.snapshots import build_once

URL = reverse("services_directory:search")


@pytest.fixture
def demo(db):
    build_once("load_demo", lambda: call_command("load_demo", verbosity=0))


def first_slugs(client, query: str, count: int = 3) -> list[str]:
    response = client.get(URL, {"q": query})
    assert response.status_code == 200, query
    return [service.slug for service in response.context["page"].object_list[:count]]


def test_the_wordings_are_many_and_of_every_kind():
    kinds = Counter(kind for kind, _wording, _right in WORDINGS)
    assert len(WORDINGS) >= 120
    assert len(kinds) == 8 and min(kinds.values()) >= 10


def test_hit_at_3_per_kind_of_wording(client, demo, capsys):
    hits, totals, misses, empty = Counter(), Counter(), [], []
    for kind, wording, right in WORDINGS:
        found = first_slugs(client, wording)
        totals[kind] += 1
        if set(found) & right:
            hits[kind] += 1
        else:
            misses.append(f"  {kind} « {wording} » → {found}")
        if not found:
            empty.append(wording)
    report = [
        f"hit@3 {kind:<24} {hits[kind]:>3}/{totals[kind]:<3} {hits[kind] / totals[kind]:.0%}"
        for kind in totals
    ]
    overall = sum(hits.values()) / sum(totals.values())
    report.append(f"hit@3 overall {sum(hits.values())}/{sum(totals.values())} {overall:.1%}")
    with capsys.disabled():
        print("\n" + "\n".join(report + (["misses:", *misses] if misses else [])))
    assert not empty, f"Zero results for real wordings: {empty}"
    assert overall >= OVERALL_FLOOR
    for kind in totals:
        assert hits[kind] / totals[kind] >= KIND_FLOOR, kind


def test_nonsense_finds_nothing_and_is_not_corrected_into_something(client, demo):
    for wording in NONSENSE:
        response = client.get(URL, {"q": wording})
        assert response.context["page"].paginator.count == 0, wording
        assert not response.context["query"].corrections, wording


def test_every_distress_wording_shows_the_emergency_box_first(client, demo):
    for kind, wording, _right in WORDINGS:
        html = client.get(URL, {"q": wording}).content.decode()
        shows = 'class="emergency"' in html
        if kind == "détresse":
            assert shows, wording
            # First: before the search form and any result.
            assert html.index('class="emergency"') < html.index('id="recherche"'), wording
            for number in (
                'href="tel:17"',
                'href="tel:112"',
                'href="sms:114"',
                'href="tel:3919"',
                'href="tel:119"',
                'href="tel:3114"',
            ):
                assert number in html, (wording, number)
            assert "Quitter ce site rapidement" in html


@pytest.mark.parametrize(
    "wording, first",
    [
        # The one-stop shop for childcare comes first, whatever word the parent knows.
        ("garde", "relais-petite-enfance"),
        ("je cherche une nounou pour ma fille", "relais-petite-enfance"),
        ("ram", "relais-petite-enfance"),  # its former name, still on people's lips
        ("LAEP", "laep-la-cabane"),
    ],
)
def test_the_one_stop_service_comes_first(client, demo, wording, first):
    assert first_slugs(client, wording, count=1) == [first]
