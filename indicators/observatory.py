"""The observatory of needs, commune by commune: what the territory offers and what it lacks.

One table (and a schematic map drawn from the communes' coordinates) puts side by side,
for each commune: the published services that have a place there, the services that
serve it, the sectors no published service covers there, and one column per *source* of
unanswered needs. A source is a function of the scope giving a count per commune id:

- `unmet_needs`: needs the advisers recorded as not covered (secrecy applies: they are
  people);
- later, the directory's searches that found nothing (`UnansweredSearch`, built with the
  search): add one `Source` to `SOURCES`, e.g.

      def unanswered_searches(scope):
          rows = UnansweredSearch.objects.filter(day__gte=scope.period.start,
                                                  day__lte=scope.period.end)
          return dict(rows.values_list("commune").annotate(n=Sum("count")).order_by())

      Source("recherches-sans-resultat", _("Recherches sans résultat"), unanswered_searches,
             people=False)

  and the table, the map's legend and the exports show it with no other change.
"""

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services_directory.models import Commune, Sector, Service, ServicePlace, Territory

from . import secrecy
from .charts import heat_level
from .metrics import Scope
from .metrics.territory import Observatory
from .tables import COUNT, TEXT, Column, Table


@dataclass(frozen=True)
class Source:
    """Unanswered needs counted per commune: `counts(scope)` → {commune id: count}.

    `people`: the counts are about people, so statistical secrecy applies (a source that
    is not, like searches, is shown as it is)."""

    slug: str
    label: str
    counts: Callable[[Scope], dict]
    people: bool = True


def unmet_needs(scope: Scope) -> dict:
    """Unmet needs per commune, as the observatory's commune table publishes them."""
    return Observatory(scope).commune_totals()


SOURCES = [Source("besoins-non-couverts", gettext_lazy("Besoins non couverts"), unmet_needs)]


@dataclass
class CommuneLine:
    commune: Commune
    services_here: int
    services_serving: int
    sectors_missing: list[str]
    sources: list  # one published figure per source


def commune_lines(scope: Scope, sources=None) -> list[CommuneLine]:
    sources = SOURCES if sources is None else sources
    territory = Territory.objects.current()
    communes = Commune.objects.filter(territory=territory).order_by("name")
    if scope.commune:
        communes = communes.filter(pk=scope.commune.pk)
    communes = list(communes)
    published = Service.objects.published()
    here = Counter(
        dict(
            ServicePlace.objects.filter(service__in=published)
            .values_list("place__commune_id")
            .annotate(n=Count("service", distinct=True))
            .order_by()
        )
    )
    everywhere = published.filter(serves_whole_territory=True).count()
    served = Counter(
        dict(
            Service.communes_served.through.objects.filter(
                service__in=published.filter(serves_whole_territory=False)
            )
            .values_list("commune_id")
            .annotate(n=Count("service_id", distinct=True))
            .order_by()
        )
    )
    sectors = Sector.objects.order_by("position", "name")
    if scope.sector:
        sectors = sectors.filter(pk=scope.sector.pk)
    through = Service.sectors.through.objects.filter(service__in=published)
    sector_everywhere = set(
        through.filter(service__serves_whole_territory=True).values_list("sector_id", flat=True)
    )
    sector_served = set(
        through.filter(service__serves_whole_territory=False).values_list(
            "sector_id", "service__communes_served"
        )
    )
    counts = [(source, source.counts(scope)) for source in sources]
    lines = []
    for commune in communes:
        figures = []
        for source, by_commune in counts:
            value = by_commune.get(commune.pk, 0)
            if source.people and not secrecy.is_masked(value) and value is not None:
                value = secrecy.mask_count(value)
            figures.append(value)
        lines.append(
            CommuneLine(
                commune=commune,
                services_here=here[commune.pk],
                services_serving=everywhere + served[commune.pk],
                sectors_missing=[
                    s.name
                    for s in sectors
                    if s.pk not in sector_everywhere and (s.pk, commune.pk) not in sector_served
                ],
                sources=figures,
            )
        )
    return lines


def commune_table(lines: list[CommuneLine], sources=None) -> Table:
    sources = SOURCES if sources is None else sources
    return Table(
        slug="par-commune",
        title=_("Offre et besoins par commune"),
        columns=[
            Column(_("Commune"), TEXT),
            Column(_("Services ayant un lieu dans la commune"), COUNT),
            Column(_("Services qui servent la commune"), COUNT),
            *[Column(str(source.label), COUNT) for source in sources],
            Column(_("Secteurs sans aucun service"), TEXT),
        ],
        rows=[
            [
                line.commune.name,
                line.services_here,
                line.services_serving,
                *line.sources,
                ", ".join(line.sectors_missing) or _("aucun"),
            ]
            for line in lines
        ],
        note=_(
            "Services : état actuel de l'annuaire. Besoins : pendant la période choisie. Un "
            "service sert tout le territoire ou les communes qu'il indique."
        ),
    )


# --- the schematic map --------------------------------------------------------------------

MAP_WIDTH = 420
MAP_MARGIN = 28


@dataclass
class MapCommune:
    name: str
    x: float
    y: float
    r: float
    level: str  # the shading class: "0" to "4", or "hidden"
    services_here: int
    needs: object
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"
    # False when every place around the circle is taken: the name stays in the circle's
    # tooltip and in the table beside the map, never printed over another name.
    show_label: bool = True


@dataclass
class CommuneMap:
    communes: list[MapCommune]
    width: int
    height: int
    source_label: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def legend_y(self) -> int:
        return self.height - 18

    @property
    def legend_second_y(self) -> int:
        return self.height - 6


# The labels' font (indicators.css, .map-label: 8px system-ui): an average glyph's width
# and the line's height, in the map's units, to keep names from overlapping.
LABEL_GLYPH = 4.4
LABEL_HEIGHT = 8


def place_labels(communes: list[MapCommune]) -> None:
    """Each name beside its circle where it overlaps no other name (and, if it can, no other
    circle): right, left, above or below, the communes with most services first. A name
    with no free place is not printed (see `MapCommune.show_label`)."""
    circles = {id(c): (c.x - c.r, c.y - c.r, c.x + c.r, c.y + c.r) for c in communes}
    labels = []
    for commune in sorted(communes, key=lambda c: (-c.services_here, c.name)):
        width = len(commune.name) * LABEL_GLYPH
        x, y, r = commune.x, commune.y, commune.r
        east = x >= MAP_WIDTH * 0.65  # names read towards the map's middle first
        sides = [
            (x + r + 2, y + 3, "start", (x + r + 2, y - 5, x + r + 2 + width, y + 3)),
            (x - r - 2, y + 3, "end", (x - r - 2 - width, y - 5, x - r - 2, y + 3)),
            (
                x,
                y - r - 2,
                "middle",
                (x - width / 2, y - r - 2 - LABEL_HEIGHT, x + width / 2, y - r - 2),
            ),
            (x, y + r + 9, "middle", (x - width / 2, y + r + 1, x + width / 2, y + r + 9)),
        ]
        if east:
            sides[0], sides[1] = sides[1], sides[0]
        others = [box for key, box in circles.items() if key != id(commune)]
        # Clear of every circle and name if possible, else clear of the names at least.
        free = [
            side
            for avoided in (others + labels, labels)
            for side in sides
            if side[3][0] >= 0
            and side[3][2] <= MAP_WIDTH
            and not any(_overlap(side[3], other) for other in avoided)
        ]
        if free:
            label_x, label_y, anchor, box = free[0]
            commune.label_x, commune.label_y = round(label_x, 1), round(label_y, 1)
            commune.anchor = anchor
            labels.append(box)
        else:
            commune.show_label = False


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def commune_map(lines: list[CommuneLine]) -> CommuneMap | None:
    """Communes placed by their coordinates (equirectangular: no tiles, no third party);
    a circle's area follows the services with a place in the commune, its shade the unmet
    needs of the first source."""
    if not lines:
        return None
    latitudes = [line.commune.latitude for line in lines]
    longitudes = [line.commune.longitude for line in lines]
    squeeze = math.cos(math.radians(sum(latitudes) / len(latitudes)))
    span_x = max((max(longitudes) - min(longitudes)) * squeeze, 1e-6)
    span_y = max(max(latitudes) - min(latitudes), 1e-6)
    inner = MAP_WIDTH - 2 * MAP_MARGIN
    scale = inner / max(span_x, span_y * 1.4)
    height = int(span_y * scale + 2 * MAP_MARGIN + 26)  # the legend's two lines below
    needs = [line.sources[0] if line.sources else None for line in lines]
    maximum = max((n for n in needs if isinstance(n, int)), default=0)
    most = max((line.services_here for line in lines), default=0) or 1
    placed = []
    for line, need in zip(lines, needs, strict=True):
        x = MAP_MARGIN + (line.commune.longitude - min(longitudes)) * squeeze * scale
        y = MAP_MARGIN + (max(latitudes) - line.commune.latitude) * scale
        r = 3 + 9 * math.sqrt(line.services_here / most)
        level = (
            "hidden" if need is None or secrecy.is_masked(need) else str(heat_level(need, maximum))
        )
        placed.append(
            MapCommune(
                name=line.commune.name,
                x=round(x, 1),
                y=round(y, 1),
                r=round(r, 1),
                level=level,
                services_here=line.services_here,
                needs=need,
            )
        )
    place_labels(placed)
    return CommuneMap(
        communes=placed,
        width=MAP_WIDTH,
        height=height,
        source_label=str(SOURCES[0].label) if SOURCES else "",
    )
