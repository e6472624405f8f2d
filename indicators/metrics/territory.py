"""Metrics of the territory: référents mobilised, beneficiaries of targeted actions, unmet
needs (the observatory), and the communes no service reaches for a need.
"""

from collections import Counter, defaultdict
from dataclasses import replace

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orientations.models import UnmetNeed
from services_directory.models import Commune, Need, Referent, Sector, Service, Territory

from .. import secrecy
from ..tables import COUNT, TEXT, Column, Table
from .engine import (
    Metric,
    Scope,
    Series,
    Tally,
    commune_or_unknown,
    count_series,
    is_future,
    period_bounds_q,
    snapshot_series,
)
from .tallies import (
    UNMET_NEEDS,
    WITHOUT,
    fold_tally,
    tally_rows,
    targeted_rows,
    targeted_tally,
    unmet_rows,
)


class Referents(Metric):
    key = "referents"
    label = gettext_lazy("Personnes-relais et référents thématiques mobilisés")
    people = False
    filters = frozenset({"commune"})
    method = gettext_lazy(
        "Personnes-relais et référents thématiques actuellement mobilisés, comptés à la fin de "
        "la période selon leur date de mobilisation (sans date : depuis toujours). Ce sont des "
        "contacts professionnels publics : pas de secret statistique. Filtre commune : ceux "
        "qui couvrent la commune."
    )

    def _queryset(self, scope: Scope):
        qs = Referent.objects.filter(is_active=True)
        if scope.commune:
            qs = qs.covering(scope.commune).distinct()
        return qs

    def series(self, scope: Scope) -> Series:
        qs = self._queryset(scope)
        counts = dict(
            qs.filter(mobilised_since__isnull=False)
            .values_list("mobilised_since")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        undated = qs.filter(mobilised_since__isnull=True).count()
        return snapshot_series(counts, undated, scope)

    def tables(self, scope: Scope) -> list[Table]:
        end = min(scope.period.end, timezone.localdate())
        rows = (
            self._queryset(scope)
            .filter(Q(mobilised_since__isnull=True) | Q(mobilised_since__lte=end))
            .values("theme", "is_relay_person")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        counts = {(row["theme"], row["is_relay_person"]): row["n"] for row in rows}
        return [
            Table(
                slug="par-theme",
                title=_("Par thème"),
                columns=[
                    Column(_("Thème"), TEXT),
                    Column(_("Référents professionnels"), COUNT),
                    Column(_("Personnes-relais"), COUNT),
                    Column(_("Total"), COUNT),
                ],
                rows=[
                    [
                        str(label),
                        counts.get((code, False), 0),
                        counts.get((code, True), 0),
                        counts.get((code, False), 0) + counts.get((code, True), 0),
                    ]
                    for code, label in Referent.Theme.choices
                ],
            )
        ]


class TargetedBeneficiaries(Metric):
    key = "targeted_beneficiaries"
    label = gettext_lazy("Bénéficiaires d'actions d'accompagnement ciblées")
    method = gettext_lazy(
        "Orientations suivies créées pendant la période, arrivées sans rupture vers un service "
        "des secteurs du périmètre de l'indicateur (accompagnement aux démarches, numérique, "
        "insertion…), plus les bénéficiaires saisis à la main pour les actions qui ne passent "
        "pas par le portail."
    )

    @staticmethod
    def _sector_ids(scope: Scope) -> list[int]:
        if scope.indicator is None:
            return []
        return sorted(sector.pk for sector in scope.indicator.sectors.all())

    def tallies_for(self, indicator) -> list[Tally]:
        return [targeted_tally([sector.pk for sector in indicator.sectors.all()])]

    def series(self, scope: Scope) -> Series:
        rows = tally_rows(targeted_tally(self._sector_ids(scope)), scope)
        return count_series(fold_tally(rows), scope)

    def tables(self, scope: Scope) -> list[Table]:
        sector_ids = self._sector_ids(scope)
        if scope.sector is None:
            # The daily counts of orientations without rupture, sector by sector.
            by_sector = {}
            for sector in Sector.objects.filter(pk__in=sector_ids):
                rows = tally_rows(WITHOUT, replace(scope, sector=sector))
                by_sector[sector.name] = sum(row["n"] for row in rows if row["_cur"])
        else:
            qs = targeted_rows(scope, sector_ids).filter(
                period_bounds_q("created_at", scope.period), service__sectors__in=sector_ids
            )
            by_sector = dict(
                qs.values_list("service__sectors__name").annotate(n=Count("pk")).order_by()
            )
        by_sector = {name: n for name, n in by_sector.items() if n}
        names = sorted(by_sector)
        return [
            Table(
                slug="par-secteur",
                title=_("Bénéficiaires orientés par le portail, par secteur du service"),
                columns=[Column(_("Secteur"), TEXT), Column(_("Bénéficiaires"), COUNT)],
                rows=[
                    [name, cell]
                    for name, cell in zip(
                        names, secrecy.mask_cells([by_sector[name] for name in names]), strict=True
                    )
                ],
                note=_("Un service de deux secteurs du périmètre compte dans chacun."),
            )
        ]


class UnmetNeeds(Metric):
    key = "unmet_needs"
    label = gettext_lazy("Besoins non couverts signalés")
    method = gettext_lazy(
        "Besoins qu'aucun service du territoire n'a pu couvrir, notés par les conseillers "
        "pendant la période (aucun service, complet, trop loin, horaires, coût, conditions). "
        "Filtre secteur : le secteur du besoin."
    )

    tallies = (UNMET_NEEDS,)

    def series(self, scope: Scope) -> Series:
        return count_series(fold_tally(tally_rows(UNMET_NEEDS, scope)), scope)

    def tables(self, scope: Scope) -> list[Table]:
        period = scope.period
        qs = unmet_rows(scope).filter(period_bounds_q("created_at", period))
        sectors = list(Sector.objects.order_by("position", "name"))
        if scope.sector:
            sectors = [scope.sector]
        matrix = Counter(
            {
                (row["commune__name"], row["need__sector_id"]): row["n"]
                for row in qs.values("commune__name", "need__sector_id")
                .annotate(n=Count("pk"))
                .order_by()
            }
        )
        communes = sorted({name for name, _sector in matrix}, key=lambda n: (n is None, n or ""))
        matrix_rows = []
        for name in communes:
            cells = secrecy.mask_cells([matrix[(name, s.pk)] for s in sectors])
            matrix_rows.append([commune_or_unknown(name), *cells])
        by_need = (
            qs.values("need__name", "need__sector__name", "reason")
            .annotate(n=Count("pk"))
            .order_by()
        )
        need_counts, need_reasons = Counter(), defaultdict(Counter)
        sector_of = {}
        for row in by_need:
            need_counts[row["need__name"]] += row["n"]
            need_reasons[row["need__name"]][row["reason"]] += row["n"]
            sector_of[row["need__name"]] = row["need__sector__name"]
        reasons = UnmetNeed.Reason
        need_rows = [
            [
                name,
                sector_of[name],
                *secrecy.mask_cells([need_reasons[name][code] for code in reasons.values]),
                secrecy.mask_count(need_counts[name]),
            ]
            for name, _n in need_counts.most_common()
        ]
        by_month = fold_tally(tally_rows(UNMET_NEEDS, scope))
        return [
            Table(
                slug="commune-secteur",
                title=_("Besoins non couverts par commune et par secteur"),
                columns=[Column(_("Commune"), TEXT)] + [Column(s.name, COUNT) for s in sectors],
                rows=matrix_rows,
                is_matrix=True,
            ),
            Table(
                slug="par-besoin",
                title=_("Besoins non couverts par besoin et par raison"),
                columns=[
                    Column(_("Besoin"), TEXT),
                    Column(_("Secteur"), TEXT),
                    *[Column(str(label), COUNT) for label in reasons.labels],
                    Column(_("Total"), COUNT),
                ],
                rows=need_rows,
            ),
            Table(
                slug="evolution",
                title=_("Besoins non couverts dans le temps"),
                columns=[Column(_("Période"), TEXT), Column(_("Besoins non couverts"), COUNT)],
                rows=[
                    [
                        period.bucket_long_label(first),
                        secrecy.mask_count(by_month.buckets[first]["n"]),
                    ]
                    for first in period.buckets()
                    if not is_future(scope, first)
                ],
            ),
            coverage_gaps(scope),
        ]


def coverage_gaps(scope: Scope) -> Table:
    """For each need, the communes no published service serves (the directory's rule:
    a service serves the whole territory or the communes it lists)."""
    territory = Territory.objects.current()
    communes = Commune.objects.filter(territory=territory).order_by("name")
    if scope.commune:
        communes = communes.filter(pk=scope.commune.pk)
    communes = list(communes)
    needs = Need.objects.select_related("sector").order_by("sector__position", "position", "name")
    if scope.sector:
        needs = needs.filter(sector=scope.sector)
    needs = list(needs)
    through = Service.needs.through.objects.filter(service__status=Service.Status.PUBLISHED)
    everywhere = set(
        through.filter(service__serves_whole_territory=True)
        .values_list("need_id", flat=True)
        .distinct()
    )
    served = set(
        through.filter(
            service__serves_whole_territory=False, service__communes_served__isnull=False
        )
        .values_list("need_id", "service__communes_served")
        .distinct()
    )
    rows = []
    for need in needs:
        if need.pk in everywhere:
            continue
        missing = [commune.name for commune in communes if (need.pk, commune.pk) not in served]
        if missing:
            rows.append([need.name, need.sector.name, len(missing), ", ".join(missing)])
    return Table(
        slug="communes-sans-service",
        title=_("Communes sans aucun service publié pour un besoin"),
        columns=[
            Column(_("Besoin"), TEXT),
            Column(_("Secteur"), TEXT),
            Column(_("Communes sans service"), COUNT),
            Column(_("Lesquelles"), TEXT),
        ],
        rows=rows,
        note=_(
            "État actuel de l'annuaire, quelle que soit la période. Un service sert tout le "
            "territoire ou les communes qu'il indique."
        ),
    )
