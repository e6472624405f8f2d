"""Each step's "who" becomes concrete services and référents near the chosen commune."""

import datetime as dt

import pytest

from pathways.models import Step
from pathways.nearest import resolve_steps
from services_directory.models import Commune, Partner, Service
from tests.factories import make_need, make_place, make_service
from tests.pathways.factories import make_pathway, make_step


def _resolved(pathway, commune):
    steps = list(pathway.steps.select_related("service", "need"))
    resolve_steps(steps, commune=commune, now=dt.datetime(2025, 5, 6, 10, 0))
    return steps


def test_it_lists_the_nearest_services_first(territory):
    steps = _resolved(territory.pathway, territory.near)
    crèche_step = steps[1]
    assert [s.slug for s in crèche_step.nearby] == [
        "relais-petite-enfance",
        "creche-milieu",
        "creche-loin",
    ]
    distances = [s.distance_km for s in crèche_step.nearby]
    assert distances == sorted(distances)


def test_the_order_follows_the_commune(territory):
    steps = _resolved(territory.pathway, territory.far)
    assert steps[1].nearby[0].slug == "creche-loin"
    assert [s.slug for s in steps[2].nearby] == ["fs-villeneuve", "fs-pont"]


def test_it_lists_by_name_without_a_commune(territory):
    steps = _resolved(territory.pathway, None)
    names = [s.name for s in steps[1].nearby]
    assert names == sorted(names)
    assert all(s.distance_km is None for s in steps[1].nearby)


def test_it_leaves_out_services_that_do_not_serve_the_commune(territory):
    territory.creche_middle.serves_whole_territory = False
    territory.creche_middle.save()
    territory.creche_middle.communes_served.set([territory.middle])
    territory.creche_middle.refresh_derived()
    steps = _resolved(territory.pathway, territory.near)
    assert "creche-milieu" not in [s.slug for s in steps[1].nearby]


def test_it_shows_the_step_service_with_its_live_status(territory):
    step = _resolved(territory.pathway, territory.near)[0]
    assert step.direct_service.slug == "relais-petite-enfance"
    assert step.direct_service.status_now.is_open  # a Tuesday at 10 am
    assert not step.service_withdrawn


def test_it_never_offers_a_withdrawn_service(territory):
    Service.objects.filter(pk=territory.creche_middle.pk).update(status=Service.Status.ARCHIVED)
    territory.rpe.status = Service.Status.ARCHIVED
    territory.rpe.save()
    steps = _resolved(territory.pathway, territory.near)
    assert steps[0].direct_service is None and steps[0].service_withdrawn
    assert [s.slug for s in steps[1].nearby] == ["creche-loin"]


def test_it_lists_public_referents_of_the_theme_only(territory):
    step = _resolved(territory.pathway, territory.near)[3]
    assert step.referents == [territory.referent]


def test_a_kind_and_a_need_together_narrow_the_list(territory):
    france_services = territory.fs_near.partner
    caf = make_service(
        name="France Services – démarches CAF",
        partner=france_services,
        needs=[territory.garde],
        places=[make_place(commune=territory.far)],
    )
    step = _resolved(territory.pathway, territory.near)[2]
    step.need = territory.garde
    step.save()
    step = _resolved(territory.pathway, territory.near)[2]
    assert step.nearby == [caf]


def test_it_lists_at_most_three_services_per_step(territory):
    for n in range(5):
        make_service(
            name=f"Crèche {n}", needs=[territory.garde], places=[make_place(commune=territory.far)]
        )
    step = _resolved(territory.pathway, territory.near)[1]
    assert len(step.nearby) == 3


@pytest.mark.parametrize("count", [3, 15])
def test_it_costs_the_same_queries_whatever_the_number_of_steps(
    db, count, django_assert_max_num_queries
):
    commune = Commune.objects.create(
        territory=make_place().commune.territory,
        insee_code="89999",
        name="Test",
        slug="test",
        postcode="89140",
        latitude=48.3,
        longitude=3.2,
    )
    france_services = Partner.Kind.FRANCE_SERVICES
    pathway = make_pathway(steps=0)
    for n in range(count):
        need = make_need()
        service = make_service(needs=[need], places=[make_place(commune=commune)])
        make_step(pathway, service=service if n % 2 else None, need=need)
        make_step(pathway, partner_kind=france_services, referent_theme="handicap")
        make_step(pathway, partner_kind=france_services, need=need)
    steps = list(Step.objects.filter(pathway=pathway).select_related("service", "need"))
    # Ranked by need, by kind, by both; the services, their sectors, places; their
    # notices; référents.
    with django_assert_max_num_queries(8):
        resolve_steps(steps, commune=commune)
    assert all(step.contacts or step.partner_kind for step in steps)
