"""Metrics of orientations and of the families' answers: outcome, origin, satisfaction.

An « orientation suivie », the rupture rule and its three outcomes are those of
`Referral.objects.followed() / without_rupture() / ruptures()`; docs/indicateurs.md
defines each metric.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orientations.models import FamilyAnswer, Origin
from pathways.models import PathwayFeedback
from services_directory.models import Commune

from .. import secrecy
from ..tables import COUNT, PERCENT, SCORE, TEXT, Column, Table
from .engine import (
    Folded,
    Metric,
    Scope,
    Series,
    commune_or_unknown,
    count_series,
    is_future,
    local_date,
    period_bounds_q,
    rate_series,
)
from .tallies import (
    FAMILY_CONTINUITY,
    FAMILY_SATISFACTION,
    FOLLOWED,
    PAGE_ANSWERS,
    ROOTS,
    RUPTURES,
    WITHOUT,
    by_key,
    family_answers,
    fold_tally,
    tally_by_commune,
    tally_rows,
)


class Satisfaction(Metric):
    key = "satisfaction"
    label = gettext_lazy("Taux de satisfaction des familles et des jeunes")
    unit = "percent"
    method = gettext_lazy(
        "Part des réponses positives : « Très bien » au suivi d'une orientation, « Oui » à "
        "« Cette page vous a-t-elle aidé ? » sur un parcours. « Moyen », « Pas bien », « En "
        "partie » et « Non » comptent comme non satisfaits. Avec un filtre commune, seuls les "
        "suivis d'orientation comptent : les avis des pages parcours sont anonymes et sans "
        "commune."
    )

    tallies = (FAMILY_SATISFACTION, PAGE_ANSWERS)

    def _folded(self, scope: Scope) -> tuple[Folded, Folded]:
        def family_kind(key: str) -> list[str]:
            return {
                FamilyAnswer.Satisfaction.GOOD: ["good"],
                FamilyAnswer.Satisfaction.AVERAGE: ["average"],
            }.get(key, [])

        def page_kind(key: str) -> list[str]:
            return {
                PathwayFeedback.Answer.YES: ["good"],
                PathwayFeedback.Answer.PARTLY: ["average"],
            }.get(key, [])

        family = fold_tally(tally_rows(FAMILY_SATISFACTION, scope), family_kind)
        pages = fold_tally(tally_rows(PAGE_ANSWERS, scope), page_kind)
        return family, pages

    def series(self, scope: Scope) -> Series:
        family, pages = self._folded(scope)
        combined = Folded(
            family.current + pages.current,
            family.previous + pages.previous,
            defaultdict(Counter),
        )
        for first in set(family.buckets) | set(pages.buckets):
            combined.buckets[first] = family.buckets[first] + pages.buckets[first]
        return rate_series(combined, scope, "good", "n")

    def tables(self, scope: Scope) -> list[Table]:
        family, pages = self._folded(scope)
        rows = []
        for label, counts in (
            (_("Suivi des orientations"), family.current),
            (_("Pages parcours"), pages.current),
        ):
            good, average, total = counts["good"], counts["average"], counts["n"]
            cells = secrecy.mask_cells([good, average, total - good - average])
            rows.append([label, *cells, secrecy.mask_count(total), secrecy.percent(good, total)])
        clarity = family_answers(scope).filter(
            period_bounds_q("answered_at", scope.period), clarity__isnull=False
        )
        clarity = clarity.aggregate(total=Sum("clarity"), n=Count("pk"))
        return [
            Table(
                slug="reponses",
                title=_("Réponses pendant la période, par source"),
                columns=[
                    Column(_("Source"), TEXT),
                    Column(_("Très bien / Oui"), COUNT),
                    Column(_("Moyen / En partie"), COUNT),
                    Column(_("Pas bien / Non"), COUNT),
                    Column(_("Réponses"), COUNT),
                    Column(_("Taux de satisfaction"), PERCENT),
                ],
                rows=rows,
            ),
            Table(
                slug="clarte",
                title=_("Clarté de l'information reçue, selon les familles (note de 1 à 5)"),
                columns=[
                    Column(_("Source"), TEXT),
                    Column(_("Note moyenne"), SCORE),
                    Column(_("Réponses"), COUNT),
                ],
                rows=[
                    [
                        _("Suivi des orientations"),
                        secrecy.average(clarity["total"] or 0, clarity["n"]),
                        secrecy.mask_count(clarity["n"]),
                    ]
                ],
            ),
        ]


class Continuity(Metric):
    key = "continuity"
    label = gettext_lazy("Part des familles qui se sont senties suivies")
    unit = "percent"
    method = gettext_lazy(
        "Réponses « Oui » à « Vous êtes-vous senti·e suivi·e ? » (par exemple sans avoir à "
        "répéter sa situation à chaque fois), posée à la famille par le lien de suivi de son "
        "orientation ou notée par son conseiller, parmi toutes les réponses à cette question "
        "reçues pendant la période (« Oui », « En partie », « Non, j'ai dû tout répéter »)."
    )

    tallies = (FAMILY_CONTINUITY,)

    def _folded(self, scope: Scope) -> Folded:
        continuity = FamilyAnswer.Continuity
        kinds = {continuity.YES: ["yes"], continuity.PARTLY: ["partly"], continuity.NO: ["no"]}
        return fold_tally(tally_rows(FAMILY_CONTINUITY, scope), lambda key: kinds.get(key, []))

    def series(self, scope: Scope) -> Series:
        return rate_series(self._folded(scope), scope, "yes", "n")

    def tables(self, scope: Scope) -> list[Table]:
        folded = self._folded(scope)
        period = scope.period
        rows = []
        for first in period.buckets():
            if is_future(scope, first):
                continue
            counts = folded.buckets[first]
            rows.append(
                [
                    period.bucket_long_label(first),
                    *secrecy.mask_cells([counts["yes"], counts["partly"], counts["no"]]),
                    secrecy.percent(counts["yes"], counts["n"]),
                ]
            )
        return [
            Table(
                slug="evolution",
                title=_("Réponses des familles dans le temps"),
                columns=[
                    Column(_("Période"), TEXT),
                    Column(_("Oui"), COUNT),
                    Column(_("En partie"), COUNT),
                    Column(_("Non"), COUNT),
                    Column(_("Part des familles suivies"), PERCENT),
                ],
                rows=rows,
            )
        ]


class WithoutRupture(Metric):
    key = "without_rupture"
    label = gettext_lazy("Situations orientées sans rupture")
    method = gettext_lazy(
        "Orientations suivies (une par chaîne de réorientations, sans les « information "
        "seulement ») créées pendant la période, classées par la règle de l'outil d'accueil : "
        "sans rupture, rupture, ou en cours. La part sans rupture et le taux de rupture se "
        "calculent sur les situations dont l'issue est connue. Une chaîne compte à la date de "
        "sa dernière orientation. Filtre secteur : le service vers lequel la personne est "
        "orientée."
    )

    tallies = (FOLLOWED, WITHOUT, RUPTURES)

    def _folded(self, scope: Scope) -> dict[str, Folded]:
        return {
            name: fold_tally(tally_rows(tally, scope))
            for name, tally in (
                ("followed", FOLLOWED),
                ("without", WITHOUT),
                ("ruptures", RUPTURES),
            )
        }

    @staticmethod
    def _line(followed: int, without: int, ruptures: int) -> list:
        decided = without + ruptures
        pending = max(followed - decided, 0)
        return [
            *secrecy.mask_cells([without, ruptures, pending]),
            secrecy.mask_count(followed),
            secrecy.percent(without, decided),
            secrecy.percent(ruptures, decided),
        ]

    def series(self, scope: Scope) -> Series:
        folded = self._folded(scope)
        series = count_series(folded["without"], scope)
        without, ruptures = folded["without"].current["n"], folded["ruptures"].current["n"]
        followed = folded["followed"].current["n"]
        decided = without + ruptures
        series.base = followed
        series.details = [
            (_("orientations suivies"), secrecy.mask_count(followed), COUNT),
            (_("part sans rupture"), secrecy.percent(without, decided), PERCENT),
            (_("taux de rupture"), secrecy.percent(ruptures, decided), PERCENT),
            (_("en cours"), secrecy.mask_count(max(followed - decided, 0)), COUNT),
        ]
        return series

    def tables(self, scope: Scope) -> list[Table]:
        period = scope.period
        columns = [
            Column(_("Sans rupture"), COUNT),
            Column(_("Rupture"), COUNT),
            Column(_("En cours"), COUNT),
            Column(_("Orientations suivies"), COUNT),
            Column(_("Part sans rupture"), PERCENT),
            Column(_("Taux de rupture"), PERCENT),
        ]
        folded = self._folded(scope)
        by_time = [
            [
                period.bucket_long_label(first),
                *self._line(
                    folded["followed"].buckets[first]["n"],
                    folded["without"].buckets[first]["n"],
                    folded["ruptures"].buckets[first]["n"],
                ),
            ]
            for first in period.buckets()
            if not is_future(scope, first)
        ]
        tables = [
            Table(
                slug="evolution",
                title=_("Issue des orientations dans le temps"),
                columns=[Column(_("Période"), TEXT), *columns],
                rows=by_time,
            )
        ]
        by_origin = {
            name: by_key(tally_rows(tally, scope))
            for name, tally in (
                ("followed", FOLLOWED),
                ("without", WITHOUT),
                ("ruptures", RUPTURES),
            )
        }
        by_commune = {
            name: tally_by_commune(tally, scope)
            for name, tally in (
                ("followed", FOLLOWED),
                ("without", WITHOUT),
                ("ruptures", RUPTURES),
            )
        }
        names = dict(
            Commune.objects.filter(pk__in=list(by_commune["followed"])).values_list("pk", "name")
        )
        for slug, title, heading, counts, label_of in (
            (
                "par-origine",
                _("Issue des orientations par origine"),
                _("Origine"),
                by_origin,
                _origin_label,
            ),
            (
                "par-commune",
                _("Issue des orientations par commune"),
                _("Commune"),
                by_commune,
                lambda pk: commune_or_unknown(names.get(pk)),
            ),
        ):
            keys = sorted(
                (key for key, n in counts["followed"].items() if n),
                key=lambda key: (key is None, str(label_of(key))),
            )
            tables.append(
                Table(
                    slug=slug,
                    title=title,
                    columns=[Column(heading, TEXT), *columns],
                    rows=[
                        [
                            label_of(key),
                            *self._line(
                                counts["followed"].get(key, 0),
                                counts["without"].get(key, 0),
                                counts["ruptures"].get(key, 0),
                            ),
                        ]
                        for key in keys
                    ],
                )
            )
        return tables


def _share(cell, count: int, total: int):
    """The share of a cell in its total, hidden with the cell."""
    return cell if secrecy.is_masked(cell) else secrecy.percent(count, total)


def _origin_label(code) -> str:
    return str(Origin(code).label) if code in Origin.values else _("Inconnue")


class Origins(Metric):
    key = "origins"
    label = gettext_lazy("Origine des orientations")
    method = gettext_lazy(
        "Orientations enregistrées pendant la période (y compris « information seulement »), "
        "sans compter les réorientations d'une même situation, par secteur ou service d'où "
        "vient la personne."
    )

    tallies = (ROOTS,)

    def series(self, scope: Scope) -> Series:
        rows = tally_rows(ROOTS, scope)
        folded = fold_tally(rows)
        series = count_series(folded, scope)
        by_origin = by_key(rows)
        total = folded.current["n"]
        cells = secrecy.mask_cells([by_origin[code] for code in Origin.values])
        series.details = [
            (str(label), _share(cell, by_origin[code], total), PERCENT)
            for (code, label), cell in zip(Origin.choices, cells, strict=True)
        ]
        return series

    def tables(self, scope: Scope) -> list[Table]:
        rows = tally_rows(ROOTS, scope)
        period = scope.period
        by_origin, by_bucket = by_key(rows), defaultdict(Counter)
        for row in rows:
            if row["_cur"]:
                by_bucket[local_date(row["_b"])][row["key"]] += row["n"]
        total = sum(by_origin.values())
        cells = secrecy.mask_cells([by_origin[code] for code in Origin.values])
        summary = [
            [str(label), cell, _share(cell, by_origin[code], total)]
            for (code, label), cell in zip(Origin.choices, cells, strict=True)
        ]
        summary.append([_("Total"), secrecy.mask_count(total), None])
        firsts = [first for first in period.buckets() if not is_future(scope, first)]
        return [
            Table(
                slug="par-origine",
                title=_("Orientations par origine"),
                columns=[
                    Column(_("Origine"), TEXT),
                    Column(_("Orientations"), COUNT),
                    Column(_("Part"), PERCENT),
                ],
                rows=summary,
            ),
            Table(
                slug="evolution",
                title=_("Orientations par origine dans le temps"),
                columns=[
                    Column(_("Période"), TEXT),
                    *[Column(str(label), COUNT) for label in Origin.labels],
                ],
                rows=[
                    [
                        period.bucket_long_label(first),
                        *secrecy.mask_cells([by_bucket[first][code] for code in Origin.values]),
                    ]
                    for first in firsts
                ],
            ),
        ]
