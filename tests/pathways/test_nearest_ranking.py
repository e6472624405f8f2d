"""The nearest services of each need and kind of structure, one LIMIT per key
(`pathways.nearest._ranked`), agree with a window over every candidate (its SQLite way)."""

import pytest
from django.db import connection

from pathways import nearest
from services_directory.models import Commune, Partner, Service
from tests.factories import make_need, make_partner, make_place, make_service


@pytest.fixture
def spread(db):
    """Services of two needs and two kinds at several distances, some at the same place
    (a tie: then by name), a draft, and one without a place (last)."""
    near = make_place(latitude=48.30, longitude=3.20)
    commune = near.commune
    middle = make_place(commune=commune, latitude=48.40, longitude=3.30)
    far = make_place(commune=commune, latitude=48.60, longitude=3.50)
    garde, emploi = make_need(), make_need()
    caf = make_partner(kind=Partner.Kind.CAF)
    fs = make_partner(kind=Partner.Kind.FRANCE_SERVICES)
    for name, need, partner, place in [
        ("Zèbre", garde, caf, near),
        ("Abeille", garde, caf, near),
        ("Milieu", garde, fs, middle),
        ("Loin", garde, fs, far),
        ("Ailleurs", garde, fs, far),
        ("Emploi proche", emploi, fs, near),
        ("Emploi loin", emploi, caf, far),
    ]:
        make_service(name=name, needs=[need], partner=partner, places=[place])
    make_service(name="Au téléphone", needs=[garde], partner=caf, serves_whole_territory=True)
    make_service(
        name="Brouillon", needs=[garde], partner=caf, places=[near], status=Service.Status.DRAFT
    )
    return {"commune": commune, "garde": garde, "emploi": emploi}


@pytest.mark.parametrize("with_commune", [True, False])
@pytest.mark.parametrize(
    ("groups", "keys"),
    [
        (["needs"], lambda s: {(s["garde"].pk,), (s["emploi"].pk,)}),
        (["partner__kind"], lambda s: {(Partner.Kind.CAF,), (Partner.Kind.FRANCE_SERVICES,)}),
        (
            ["needs", "partner__kind"],
            lambda s: {(s["garde"].pk, Partner.Kind.FRANCE_SERVICES), (s["emploi"].pk, "caf")},
        ),
    ],
)
def test_one_limit_per_key_finds_what_the_window_finds(
    spread, groups, keys, with_commune, django_assert_num_queries
):
    commune = spread["commune"] if with_commune else None
    candidates = nearest._candidates(commune)
    wanted = keys(spread)
    expected = nearest._ranked_by_window(candidates, groups, wanted, commune, 4)
    with django_assert_num_queries(1):
        found = nearest._ranked(candidates, groups, wanted, commune, 4)
    # The window filters each lookup apart: pairs nobody asked for come too.
    assert {key: found[key] for key in wanted} == {key: expected[key] for key in wanted}
    assert all(0 < len(found[key]) <= 4 for key in wanted)


def test_nearest_first_then_by_name_and_placeless_last(spread):
    commune = spread["commune"]
    found = nearest._ranked(
        nearest._candidates(commune), ["needs"], {(spread["garde"].pk,)}, commune, 10
    )
    names = list(
        Service.objects.filter(pk__in=found[(spread["garde"].pk,)]).values_list("pk", "name")
    )
    by_pk = dict(names)
    assert [by_pk[pk] for pk in found[(spread["garde"].pk,)]] == [
        "Abeille",
        "Zèbre",
        "Milieu",
        "Ailleurs",
        "Loin",
        "Au téléphone",
    ]


def test_the_union_is_what_postgresql_runs():
    # SQLite cannot put a LIMIT in each part of a UNION: it keeps the window.
    assert connection.features.supports_slicing_ordering_in_compound == (
        connection.vendor == "postgresql"
    )


def test_no_key_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert nearest._ranked(Service.objects.all(), ["needs"], set(), None, 4) == {}
    assert Commune.objects.count() == 0
