"""Metrics of the parcours types: formalised, diffused, and the passerelles between the
child stages (Petite Enfance, Enfance, Jeunesse).

A formalised pathway is `Pathway.objects.formalised()`: published and validated.
"""

from collections import Counter

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orientations.models import Origin
from pathways.models import Pathway, PathwayStat
from services_directory.models import Sector

from .. import secrecy
from ..tables import COUNT, TEXT, Column, Table
from .engine import (
    Metric,
    Scope,
    Series,
    bucket_values,
    count_series,
    fold,
    grouped,
    is_future,
    past_buckets,
    snapshot_series,
)
from .tallies import (
    ORIGIN_SECTOR_SLUGS,
    STAGE_PAIRS,
    by_key,
    fold_tally,
    pathway_in_sector,
    tally_rows,
)


class PathwaysFormalised(Metric):
    key = "pathways_formalised"
    label = gettext_lazy("Parcours types formalisés")
    people = False
    filters = frozenset({"sector"})
    method = gettext_lazy(
        "Parcours types publiés et validés (date et auteur de validation renseignés), comptés à "
        "la fin de la période selon leur date de validation. Filtre secteur : parcours qui "
        "traversent ce secteur."
    )

    def _queryset(self, scope: Scope):
        qs = Pathway.objects.formalised()
        if scope.sector:
            qs = qs.filter(pathway_in_sector(scope.sector))
        return qs

    def series(self, scope: Scope) -> Series:
        rows = self._queryset(scope).filter(validated_on__lte=scope.period.end)
        counts = dict(rows.values_list("validated_on").annotate(n=Count("pk")).order_by())
        return snapshot_series(counts, 0, scope)

    def tables(self, scope: Scope) -> list[Table]:
        end = min(scope.period.end, timezone.localdate())
        pathways = list(
            self._queryset(scope)
            .filter(validated_on__lte=end)
            .prefetch_related("sectors")
            .order_by("title")
        )
        by_sector = Counter()
        for pathway in pathways:
            for sector in pathway.sectors.all():
                by_sector[sector] += 1
        sectors = sorted(by_sector, key=lambda s: (s.position, s.name))
        return [
            Table(
                slug="par-secteur",
                title=_("Parcours formalisés par secteur traversé"),
                columns=[Column(_("Secteur"), TEXT), Column(_("Parcours"), COUNT)],
                rows=[[sector.name, by_sector[sector]] for sector in sectors],
                note=_("Un parcours qui traverse deux secteurs compte dans chacun."),
            ),
            Table(
                slug="liste",
                title=_("Liste des parcours formalisés"),
                columns=[
                    Column(_("Parcours"), TEXT),
                    Column(_("Validé le"), TEXT),
                    Column(_("Secteurs traversés"), TEXT),
                    Column(_("Passerelle"), TEXT),
                ],
                rows=[
                    [
                        pathway.title,
                        pathway.validated_on,
                        ", ".join(sector.name for sector in pathway.sectors.all()),
                        pathway.is_passerelle,
                    ]
                    for pathway in pathways
                ],
            ),
        ]


class PathwaysDiffused(Metric):
    key = "pathways_diffused"
    label = gettext_lazy("Parcours types formalisés et diffusés")
    people = False
    filters = frozenset({"sector"})
    method = gettext_lazy(
        "Parcours formalisés consultés en ligne, imprimés ou remis en main propre au moins une "
        "fois pendant la période. Les consultations sont des pages vues, pas des personnes."
    )

    def _queryset(self, scope: Scope):
        qs = PathwayStat.objects.filter(pathway__in=Pathway.objects.formalised())
        if scope.sector:
            qs = qs.filter(pathway_in_sector(scope.sector, "pathway_id"))
        return qs

    def series(self, scope: Scope) -> Series:
        qs = self._queryset(scope)
        rows = grouped(qs, "day", scope, is_date=True, n=Count("pathway", distinct=True))
        folded = fold(rows, ["n"])
        series = count_series(folded, scope)
        # Distinct pathways over a whole period are not the sum of its days.
        totals = qs.aggregate(
            current=Count(
                "pathway",
                distinct=True,
                filter=Q(day__gte=scope.period.start, day__lte=scope.period.end),
            ),
            previous=Count(
                "pathway",
                distinct=True,
                filter=Q(day__gte=scope.previous.start, day__lte=scope.previous.end),
            ),
        )
        series.current, series.previous = totals["current"], totals["previous"]
        return series

    def tables(self, scope: Scope) -> list[Table]:
        period = scope.period
        qs = self._queryset(scope).filter(day__gte=period.start, day__lte=period.end)
        per_pathway = (
            qs.values("pathway__title")
            .annotate(views=Sum("views"), prints=Sum("prints"), handouts=Sum("handouts"))
            .order_by("pathway__title")
        )
        rows = grouped(
            self._queryset(scope),
            "day",
            scope,
            is_date=True,
            views=Sum("views"),
            prints=Sum("prints"),
            handouts=Sum("handouts"),
        )
        folded = fold(rows, ["views", "prints", "handouts"])
        return [
            Table(
                slug="par-parcours",
                title=_("Diffusion de chaque parcours pendant la période"),
                columns=[
                    Column(_("Parcours"), TEXT),
                    Column(_("Consultations"), COUNT),
                    Column(_("Impressions"), COUNT),
                    Column(_("Remises en main propre"), COUNT),
                ],
                rows=[
                    [row["pathway__title"], row["views"], row["prints"], row["handouts"]]
                    for row in per_pathway
                ],
            ),
            Table(
                slug="evolution",
                title=_("Diffusion dans le temps"),
                columns=[
                    Column(_("Période"), TEXT),
                    Column(_("Consultations"), COUNT),
                    Column(_("Impressions"), COUNT),
                    Column(_("Remises en main propre"), COUNT),
                ],
                rows=[
                    [
                        period.bucket_long_label(first),
                        folded.buckets[first]["views"],
                        folded.buckets[first]["prints"],
                        folded.buckets[first]["handouts"],
                    ]
                    for first in period.buckets()
                    if not is_future(scope, first)
                ],
            ),
        ]


class Passerelles(Metric):
    key = "passerelles"
    label = gettext_lazy("Passerelles entre Petite Enfance, Enfance et Jeunesse")
    filters = frozenset({"commune"})
    method = gettext_lazy(
        "Orientations suivies créées pendant la période dont l'origine est la Petite Enfance, "
        "l'Enfance ou la Jeunesse et dont le service de destination appartient à une autre de "
        "ces trois étapes. Chaque couple (secteur d'origine, secteur de destination) compte : "
        "c'est la matrice ci-dessous. S'y ajoutent, à part, les parcours types formalisés qui "
        "traversent au moins deux de ces étapes."
    )

    tallies = (STAGE_PAIRS,)

    def _stages(self) -> list[Sector]:
        return list(Sector.objects.filter(is_child_stage=True).order_by("position", "name"))

    @staticmethod
    def _crossing(key: str, slug_by_id: dict) -> tuple[str, int] | None:
        """(origin, destination sector id) when the pair crosses two stages."""
        origin, _sep, sector_id = key.partition(">")
        if not sector_id.isdigit() or int(sector_id) not in slug_by_id:
            return None
        if ORIGIN_SECTOR_SLUGS.get(origin) == slug_by_id[int(sector_id)]:
            return None
        return origin, int(sector_id)

    def _figures(self, scope: Scope, stages: list[Sector]):
        """The pairs' line (the card), and the year or month broken down by step."""
        slug_by_id = {stage.pk: stage.slug for stage in stages}
        rows = tally_rows(STAGE_PAIRS, scope)
        crossing = [row for row in rows if self._crossing(row["key"], slug_by_id)]
        matrix = Counter()
        for key, count in by_key(crossing).items():
            matrix[self._crossing(key, slug_by_id)] += count
        origins = [code for code in ORIGIN_SECTOR_SLUGS if code in Origin.values]
        keys = [
            (code, stage.pk)
            for code in origins
            for stage in stages
            if ORIGIN_SECTOR_SLUGS[code] != stage.slug
        ]
        line = secrecy.protect_line([matrix[key] for key in keys])
        folded = fold_tally(crossing)
        firsts = past_buckets(scope)
        by_time = secrecy.protect_breakdown(
            [folded.buckets[first]["n"] for first in firsts], line.total, line.raw_total
        )
        return keys, line, folded.previous["n"], by_time

    def series(self, scope: Scope) -> Series:
        _keys, line, previous, by_time = self._figures(scope, self._stages())
        return Series(
            current=line.total,
            previous=secrecy.mask_count(previous),
            buckets=bucket_values(scope, by_time),
        )

    def tables(self, scope: Scope) -> list[Table]:
        stages = self._stages()
        keys, line, _previous, _by_time = self._figures(scope, stages)
        origins = [code for code in ORIGIN_SECTOR_SLUGS if code in Origin.values]
        masked = dict(zip(keys, line.parts, strict=True))
        orientation_rows = [
            [str(Origin(code).label), *[masked.get((code, stage.pk)) for stage in stages]]
            for code in origins
        ]
        # Pathways crossing stages: each pair of stages they cross, earlier stage first.
        end = min(scope.period.end, timezone.localdate())
        pathways = (
            Pathway.objects.formalised()
            .child_stage_passerelles()
            .filter(validated_on__lte=end)
            .prefetch_related("sectors")
        )
        pairs = Counter()
        for pathway in pathways:
            crossed = sorted(
                (sector for sector in pathway.sectors.all() if sector.is_child_stage),
                key=lambda s: (s.position, s.name),
            )
            for i, first in enumerate(crossed):
                for second in crossed[i + 1 :]:
                    pairs[(first.pk, second.pk)] += 1
        # A pathway links two stages both ways: one triangle of the matrix says it all.
        pathway_rows = [
            [
                stage.name,
                *[
                    pairs.get((stage.pk, other.pk), 0) if j > i else None
                    for j, other in enumerate(stages)
                ],
            ]
            for i, stage in enumerate(stages)
        ]
        return [
            Table(
                slug="matrice-orientations",
                title=_("Orientations d'une étape vers une autre (origine → destination)"),
                columns=[Column(_("Origine ↓ / destination →"), TEXT)]
                + [Column(stage.name, COUNT) for stage in stages],
                rows=orientation_rows,
                is_matrix=True,
                note=_("Total : %(n)s passerelles.") % {"n": line.total},
            ),
            Table(
                slug="matrice-parcours",
                title=_("Parcours types formalisés qui relient deux étapes"),
                columns=[Column(_("De ↓ / vers →"), TEXT)]
                + [Column(stage.name, COUNT) for stage in stages],
                rows=pathway_rows,
                is_matrix=True,
                note=_("Un parcours qui traverse les trois étapes compte dans chaque couple."),
            ),
        ]
