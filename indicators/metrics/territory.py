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
    breakdown_table,
    bucket_values,
    commune_or_unknown,
    is_future,
    past_buckets,
    period_bounds_q,
    protected_grid,
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
        folded = fold_tally(tally_rows(targeted_tally(self._sector_ids(scope)), scope))
        firsts = past_buckets(scope)
        raw_buckets = [folded.buckets[first]["n"] for first in firsts]
        current = folded.current["n"]
        shown = secrecy.mask_count(current)
        series = Series(
            current=shown,
            previous=secrecy.mask_count(folded.previous["n"]),
            buckets=bucket_values(scope, secrecy.protect_breakdown(raw_buckets, shown, current)),
        )
        series.raw = (current, folded.previous["n"], raw_buckets)
        return series

    def tables(self, scope: Scope) -> list[Table]:
        sector_ids = self._sector_ids(scope)
        computed = fold_tally(tally_rows(targeted_tally(sector_ids), scope)).current["n"]
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
        counts = [by_sector[name] for name in names]
        if sum(counts) == computed:
            # Each beneficiary in one sector: the sectors add up to the published total.
            published = secrecy.protect_breakdown(counts, secrecy.mask_count(computed), computed)
        else:
            published = [secrecy.mask_count(n) for n in counts]
        return [
            Table(
                slug="par-secteur",
                title=_("Bénéficiaires orientés par le portail, par secteur du service"),
                columns=[Column(_("Secteur"), TEXT), Column(_("Bénéficiaires"), COUNT)],
                rows=[[name, cell] for name, cell in zip(names, published or [], strict=False)],
                note=_("Un service de deux secteurs du périmètre compte dans chacun."),
                withheld=published is None and bool(names),
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
        folded = fold_tally(tally_rows(UNMET_NEEDS, scope))
        current = folded.current["n"]
        shown = secrecy.mask_count(current)
        firsts = past_buckets(scope)
        by_time = secrecy.protect_breakdown(
            [folded.buckets[first]["n"] for first in firsts], shown, current
        )
        return Series(
            current=shown,
            previous=secrecy.mask_count(folded.previous["n"]),
            buckets=bucket_values(scope, by_time),
        )

    def tables(self, scope: Scope) -> list[Table]:
        observatory = Observatory(scope)
        return [
            observatory.by_commune_table(),
            observatory.by_reason_table(),
            observatory.by_need_table(),
            observatory.time_table(self.series(scope)),
            coverage_by_sector(scope),
            coverage_gaps(scope),
        ]


OTHER_SECTORS = "autres"


class Observatory:
    """Unmet needs broken down for reading: by commune, by reason, by need, in sectors.

    Sectors get their own column when most of their communes count at least 5 needs;
    the others are gathered in « Autres secteurs », and within a sector the needs under 5
    in « Autres besoins », so that few cells are hidden. Every table is a breakdown of the
    period's total, protected by secrecy.py.
    """

    def __init__(self, scope: Scope):
        self.scope = scope
        qs = unmet_rows(scope).filter(period_bounds_q("created_at", scope.period))
        self.rows = list(
            qs.values("commune_id", "need_id", "need__sector_id", "reason")
            .annotate(n=Count("pk"))
            .order_by()
        )
        self.total = sum(row["n"] for row in self.rows)
        self.shown_total = secrecy.mask_count(self.total)
        sectors = {s.pk: s for s in Sector.objects.order_by("position", "name")}
        self.sectors = sectors
        by_sector_commune = Counter()
        for row in self.rows:
            by_sector_commune[(row["need__sector_id"], row["commune_id"])] += row["n"]
        self.groups = []  # (key, label): a sector id, or OTHER_SECTORS
        for pk, sector in sectors.items():
            cells = [n for (s, _c), n in by_sector_commune.items() if s == pk and n]
            if cells and sum(n >= secrecy.THRESHOLD for n in cells) * 2 >= len(cells):
                self.groups.append((pk, sector.name))
        if any(row["need__sector_id"] not in dict(self.groups) for row in self.rows):
            self.groups.append((OTHER_SECTORS, _("Autres secteurs")))
        self.group_of = {pk: (pk if pk in dict(self.groups) else OTHER_SECTORS) for pk in sectors}
        group_totals = Counter()
        for row in self.rows:
            group_totals[self.group_of.get(row["need__sector_id"], OTHER_SECTORS)] += row["n"]
        self.line = secrecy.protect_sub_line(
            [group_totals[key] for key, _label in self.groups], self.shown_total, self.total
        )
        territory = Territory.objects.current()
        self.communes = list(
            Commune.objects.filter(territory=territory).order_by("name")
            if scope.commune is None
            else Commune.objects.filter(pk=scope.commune.pk)
        )
        self._by_commune = None

    def _group_index(self, sector_id) -> int:
        keys = [key for key, _label in self.groups]
        return keys.index(self.group_of.get(sector_id, OTHER_SECTORS))

    def _columns(self) -> list[Column]:
        return [Column(str(label), COUNT) for _key, label in self.groups]

    def by_commune(self):
        """(labels, commune ids, grid): communes × sector groups, with commune totals."""
        if self._by_commune is None:
            keys = [c.pk for c in self.communes]
            if any(row["commune_id"] is None for row in self.rows):
                keys.append(None)
            names = {c.pk: c.name for c in self.communes}
            counts = defaultdict(lambda: [0] * len(self.groups))
            for row in self.rows:
                counts[row["commune_id"]][self._group_index(row["need__sector_id"])] += row["n"]
            grid = None
            if self.line is not None:
                grid = protected_grid([counts[key] for key in keys], self.line)
            labels = [commune_or_unknown(names.get(key)) for key in keys]
            self._by_commune = (labels, keys, grid)
        return self._by_commune

    def commune_totals(self) -> dict:
        """Commune id → its published number of unmet needs (for the map)."""
        labels, keys, grid = self.by_commune()
        if grid is None:
            return dict.fromkeys(keys)
        return dict(zip(keys, grid.row_totals, strict=True))

    def _with_total_row(self, table: Table) -> Table:
        if self.line is not None and table.rows:
            kept = [part for part in self.line.parts if not secrecy.is_masked(part)]
            if len(kept) + 2 == len(table.columns):
                table.rows.append([_("Total"), *kept, self.line.total])
        return table

    def by_commune_table(self) -> Table:
        labels, _keys, grid = self.by_commune()
        table = breakdown_table(
            "commune-secteur",
            _("Besoins non couverts par commune et par secteur"),
            _("Commune"),
            labels if self.total else [],
            grid,
            self._columns(),
            total_column=Column(_("Total"), COUNT),
            note=_(
                "Les secteurs dont la plupart des communes comptent moins de 5 besoins sont "
                "regroupés dans « Autres secteurs »."
            ),
        )
        table.is_matrix = True
        return self._with_total_row(table)

    def by_reason_table(self) -> Table:
        reasons = UnmetNeed.Reason
        counts = defaultdict(lambda: [0] * len(self.groups))
        for row in self.rows:
            counts[row["reason"]][self._group_index(row["need__sector_id"])] += row["n"]
        grid = None
        if self.line is not None and self.total:
            grid = protected_grid([counts[code] for code in reasons.values], self.line)
        table = breakdown_table(
            "par-raison",
            _("Besoins non couverts par raison et par secteur"),
            _("Raison"),
            [str(label) for label in reasons.labels] if self.total else [],
            grid,
            self._columns(),
            total_column=Column(_("Total"), COUNT),
        )
        return self._with_total_row(table)

    def by_need_table(self) -> Table:
        """Needs of 5 or more on their own line; the smaller ones of a sector together."""
        need_names = dict(Need.objects.values_list("pk", "name"))
        rows = []
        withheld = False
        for index, (key, label) in enumerate(self.groups):
            if self.line is None:
                withheld = bool(self.total)
                break
            published_total = self.line.parts[index]
            counts = Counter()
            for row in self.rows:
                if self.group_of.get(row["need__sector_id"], OTHER_SECTORS) == key:
                    counts[row["need_id"]] += row["n"]
            big = sorted(
                (pk for pk, n in counts.items() if n >= secrecy.THRESHOLD),
                key=lambda pk: (-counts[pk], need_names.get(pk, "")),
            )
            small = sum(n for pk, n in counts.items() if pk not in big)
            values = [counts[pk] for pk in big] + ([small] if small else [])
            names = [need_names.get(pk, "") for pk in big] + (
                [_("Autres besoins")] if small else []
            )
            published = secrecy.protect_breakdown(
                values, published_total, self.line.raw_parts[index]
            )
            if published is None:
                rows.append([_("Tous les besoins"), str(label), published_total])
                continue
            rows += [[name, str(label), cell] for name, cell in zip(names, published, strict=True)]
        return Table(
            slug="par-besoin",
            title=_("Besoins non couverts par besoin"),
            columns=[
                Column(_("Besoin"), TEXT),
                Column(_("Secteur"), TEXT),
                Column(_("Besoins non couverts"), COUNT),
            ],
            rows=rows,
            withheld=withheld,
            note=_("Les besoins signalés moins de 5 fois dans un secteur sont regroupés."),
        )

    def time_table(self, series: Series) -> Table:
        period = self.scope.period
        return Table(
            slug="evolution",
            title=_("Besoins non couverts dans le temps"),
            columns=[Column(_("Période"), TEXT), Column(_("Besoins non couverts"), COUNT)],
            rows=[
                [period.bucket_long_label(first), value]
                for first, value in series.buckets
                if not is_future(self.scope, first)
            ],
        )


def _communes(scope: Scope) -> list[Commune]:
    communes = Commune.objects.filter(territory=Territory.objects.current()).order_by("name")
    if scope.commune:
        communes = communes.filter(pk=scope.commune.pk)
    return list(communes)


def _communes_without(through, key: str, pks, communes: list[Commune]) -> dict[int, list[str]]:
    """{id: names of the communes no published service with that sector or need serves},
    for the ids in `pks` with such communes (the directory's rule: a service serves the
    whole territory or the communes it lists). `through` is Service's M2M to `key`."""
    published = through.objects.filter(service__status=Service.Status.PUBLISHED)
    everywhere = set(
        published.filter(service__serves_whole_territory=True)
        .values_list(key, flat=True)
        .distinct()
    )
    served = set(
        published.filter(
            service__serves_whole_territory=False, service__communes_served__isnull=False
        )
        .values_list(key, "service__communes_served")
        .distinct()
    )
    return {
        pk: missing
        for pk in pks
        if pk not in everywhere
        and (missing := [c.name for c in communes if (pk, c.pk) not in served])
    }


COVERAGE_NOTE = _(
    "État actuel de l'annuaire, quelle que soit la période. Un service sert tout le "
    "territoire ou les communes qu'il indique."
)


def coverage_by_sector(scope: Scope) -> Table:
    """For each sector, the communes that no published service of the sector serves."""
    sectors = Sector.objects.order_by("position", "name")
    if scope.sector:
        sectors = sectors.filter(pk=scope.sector.pk)
    sectors = list(sectors)
    gaps = _communes_without(
        Service.sectors.through, "sector_id", [s.pk for s in sectors], _communes(scope)
    )
    return Table(
        slug="communes-sans-service-secteur",
        title=_("Communes sans aucun service publié d'un secteur"),
        columns=[
            Column(_("Secteur"), TEXT),
            Column(_("Communes sans service"), COUNT),
            Column(_("Lesquelles"), TEXT),
        ],
        rows=[
            [sector.name, len(gaps[sector.pk]), ", ".join(gaps[sector.pk])]
            for sector in sectors
            if sector.pk in gaps
        ],
        note=COVERAGE_NOTE,
    )


def coverage_gaps(scope: Scope) -> Table:
    """For each need, the communes no published service serves."""
    needs = Need.objects.select_related("sector").order_by("sector__position", "position", "name")
    if scope.sector:
        needs = needs.filter(sector=scope.sector)
    needs = list(needs)
    gaps = _communes_without(
        Service.needs.through, "need_id", [n.pk for n in needs], _communes(scope)
    )
    return Table(
        slug="communes-sans-service",
        title=_("Communes sans aucun service publié pour un besoin"),
        columns=[
            Column(_("Besoin"), TEXT),
            Column(_("Secteur"), TEXT),
            Column(_("Communes sans service"), COUNT),
            Column(_("Lesquelles"), TEXT),
        ],
        rows=[
            [need.name, need.sector.name, len(gaps[need.pk]), ", ".join(gaps[need.pk])]
            for need in needs
            if need.pk in gaps
        ],
        note=COVERAGE_NOTE,
    )
