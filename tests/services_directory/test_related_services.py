"""« Pour le même besoin, dans d'autres domaines » on a service page
(`ServiceQuerySet.for_the_needs_of`)."""

import pytest

from services_directory.models import Service
from tests.factories import make_need, make_sector, make_service


@pytest.fixture
def crossing(db):
    """A crèche (Petite Enfance: childcare), and who else answers childcare or not."""
    petite_enfance = make_sector(name="Petite Enfance", slug="petite-enfance")
    social = make_sector(name="Social (test)", slug="social-test")
    sante = make_sector(name="Santé (test)", slug="sante-test")
    garde = make_need(name="Garde (test)", slug="garde-test", sector=petite_enfance)
    soutien = make_need(name="Soutien (test)", slug="soutien-test", sector=social)
    creche = make_service(name="Crèche", sectors=[petite_enfance], needs=[garde, soutien])
    return {
        "creche": Service.objects.prefetch_related("needs", "sectors").get(pk=creche.pk),
        "garde": garde,
        "soutien": soutien,
        "petite_enfance": petite_enfance,
        "social": social,
        "sante": sante,
    }


def names(service) -> list[str]:
    related = Service.objects.published().for_the_needs_of(service).order_by("name")
    return [other.name for other in related]


def test_it_offers_the_same_needs_in_other_sectors_only(crossing):
    make_service(name="PMI", sectors=[crossing["sante"]], needs=[crossing["garde"]])
    make_service(name="CCAS", sectors=[crossing["social"]], needs=[crossing["soutien"]])
    make_service(name="Relais", sectors=[crossing["petite_enfance"]], needs=[crossing["garde"]])
    make_service(
        name="Maison des familles",
        sectors=[crossing["social"], crossing["petite_enfance"]],
        needs=[crossing["garde"]],
    )
    make_service(name="Mission Locale", sectors=[crossing["sante"]])  # another need
    assert names(crossing["creche"]) == ["CCAS", "PMI"]


def test_a_service_answering_two_of_the_needs_comes_once(crossing):
    make_service(
        name="Centre social",
        sectors=[crossing["social"]],
        needs=[crossing["garde"], crossing["soutien"]],
    )
    assert names(crossing["creche"]) == ["Centre social"]


def test_drafts_are_not_offered(crossing):
    make_service(
        name="PMI",
        sectors=[crossing["sante"]],
        needs=[crossing["garde"]],
        status=Service.Status.DRAFT,
    )
    assert names(crossing["creche"]) == []


def test_a_service_without_needs_offers_nothing_and_asks_nothing(
    crossing, django_assert_num_queries
):
    make_service(name="PMI", sectors=[crossing["sante"]], needs=[crossing["garde"]])
    alone = Service.objects.prefetch_related("needs", "sectors").get(
        pk=make_service(name="Seul", sectors=[crossing["sante"]]).pk
    )
    with django_assert_num_queries(0):
        assert names(alone) == []


def test_two_queries_whatever_the_number_of_candidates(crossing, django_assert_num_queries):
    for n in range(8):
        make_service(name=f"PMI {n}", sectors=[crossing["sante"]], needs=[crossing["garde"]])
    with django_assert_num_queries(2):  # the ids from the link tables, then the services
        assert names(crossing["creche"])[:6] == [f"PMI {n}" for n in range(6)]
