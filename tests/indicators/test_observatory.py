"""The observatory of needs: per commune, on a schematic map, with pluggable sources."""

import pytest

from indicators import observatory
from indicators.metrics import Scope
from indicators.periods import Period
from orientations.models import UnmetNeed
from tests.factories import make_need, make_place, make_service
from tests.personas import make_coordinator

from .conftest import at


@pytest.fixture
def needs(frozen, place, sectors):
    garde = make_need(name="Garde en horaires décalés", sector=sectors.petite_enfance)
    loisirs = make_need(name="Loisirs des ados", sector=sectors.jeunesse)
    for commune, need, times in [
        (place.commune, garde, 7),
        (place.commune, loisirs, 2),
        (place.other, garde, 6),
        (place.other, loisirs, 3),
    ]:
        for _n in range(times):
            unmet = UnmetNeed.objects.create(
                partner=place.counter, commune=commune, need=need, reason="horaires"
            )
            UnmetNeed.objects.filter(pk=unmet.pk).update(created_at=at(2026, 5, 5))
    return place


def test_it_maps_the_communes_with_their_services_and_unmet_needs(client, needs):
    make_service(name="Crèche de Sergines", places=[(make_place(commune=needs.other), "")])
    client.force_login(make_coordinator())

    response = client.get("/indicateurs/observatoire/", {"periode": "2026-T2"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="ind-map"' in html and "Carte schématique des communes" in html
    assert "<circle" in html and ">Sergines</text>" in html
    assert "Offre et besoins par commune" in html  # the map's data table
    assert "style=" not in html


def test_the_commune_table_gives_each_communes_figures_under_secrecy(needs):
    lines = observatory.commune_lines(Scope(Period.parse("2026-T2")))

    by_name = {line.commune.name: line for line in lines}
    assert by_name["Sergines"].sources == [9]
    # Pont-sur-Yonne: 9 in all; its 2 « loisirs » are hidden in the sector table, not here.
    assert by_name["Pont-sur-Yonne"].sources == [9]


def test_a_small_sector_is_gathered_so_that_cells_stay_readable(needs):
    scope = Scope(Period.parse("2026-T2"))
    table = observatory.Observatory(scope).by_commune_table()

    labels = [column.label for column in table.columns]
    assert "Petite Enfance" in labels  # 7 and 6: readable, its own column
    assert "Autres secteurs" in labels  # Jeunesse: 2 and 3, every commune under 5
    assert "Jeunesse" not in labels


def test_another_source_of_unanswered_needs_plugs_in(needs, monkeypatch):
    searches = observatory.Source(
        "recherches-sans-resultat",
        "Recherches sans résultat",
        lambda scope: {needs.commune.pk: 3},
        people=False,
    )
    monkeypatch.setattr(observatory, "SOURCES", [*observatory.SOURCES, searches])

    lines = observatory.commune_lines(Scope(Period.parse("2026-T2")))
    table = observatory.commune_table(lines)

    assert [c.label for c in table.columns][3:5] == [
        "Besoins non couverts",
        "Recherches sans résultat",
    ]
    row = next(row for row in table.rows if row[0] == "Pont-sur-Yonne")
    assert row[4] == 3  # searches are not people: shown as they are


def test_names_on_the_map_never_overlap_and_a_crowded_one_stays_in_its_tooltip():
    def commune(name, x, y, services):
        return observatory.MapCommune(
            name=name, x=x, y=y, r=6, level="1", services_here=services, needs=1
        )

    # Four neighbours squeezed together, as the communes of a town's outskirts are.
    crowd = [
        commune("Pont-sur-Yonne", 100, 100, 9),
        commune("Villeneuve-la-Guyard", 104, 104, 4),
        commune("Champigny", 98, 108, 3),
        commune("Chaumont", 102, 95, 2),
        commune("Michery", 96, 97, 2),
        commune("Serbonnes", 106, 99, 1),
        commune("Courlon-sur-Yonne", 101, 111, 1),
        commune("Sergines", 300, 60, 5),
    ]
    observatory.place_labels(crowd)

    def box(c):
        width = len(c.name) * observatory.LABEL_GLYPH
        left = {"start": c.label_x, "end": c.label_x - width, "middle": c.label_x - width / 2}
        x0 = left[c.anchor]
        return (x0, c.label_y - 8, x0 + width, c.label_y)

    shown = [c for c in crowd if c.show_label]
    boxes = [box(c) for c in shown]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= observatory.MAP_WIDTH
        for b in boxes[i + 1 :]:
            assert not observatory._overlap(a, b)
    assert crowd[0].show_label and crowd[-1].show_label  # the biggest, and one alone
    assert not all(c.show_label for c in crowd)  # no room for every name in the crowd
