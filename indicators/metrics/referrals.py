"""Metrics of orientations and of the families' answers: outcome, origin, satisfaction,
continuity.

An « orientation suivie », the rupture rule and its three outcomes are those of
`Referral.objects.followed() / without_rupture() / ruptures()`; docs/indicateurs.md
defines each metric. Each metric publishes a line (the card: counts and their total)
and breakdowns of it (by time, origin, commune…), protected together by secrecy.py.
"""

from abc import abstractmethod
from collections import Counter, defaultdict

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
    breakdown_table,
    bucket_values,
    commune_or_unknown,
    local_date,
    past_buckets,
    protected_grid,
)
from .tallies import (
    FAMILY_CLARITY,
    FAMILY_CONTINUITY,
    FAMILY_SATISFACTION,
    FOLLOWED,
    PAGE_ANSWERS,
    ROOTS,
    RUPTURES,
    WITHOUT,
    by_key,
    fold_tally,
    tally_by_commune,
    tally_rows,
)


class AnswerRate(Metric):
    """A share of answers (« Très bien », « Oui »…) among all answers of the period."""

    unit = "percent"
    # The answer kinds, in the order of the table's columns: (name, label).
    kinds: tuple = ()
    rate_label = ""

    @abstractmethod
    def _folds(self, scope: Scope) -> dict[str, Folded]:
        """Folded answers per source (one source for most metrics)."""

    def _line(self, counts: Counter) -> list[int]:
        return [counts[name] for name, _label in self.kinds]

    def _figures(self, scope: Scope):
        folds = self._folds(scope)
        current, previous = Counter(), Counter()
        buckets = defaultdict(Counter)
        for folded in folds.values():
            current += folded.current
            previous += folded.previous
            for first, counts in folded.buckets.items():
                buckets[first] += counts
        line = secrecy.protect_line(self._line(current), current["n"])
        firsts = past_buckets(scope)
        by_time = protected_grid([self._line(buckets[first]) for first in firsts], line)
        return folds, line, previous, firsts, buckets, by_time

    def _rate(self, line_or_row, raw: list[int], total_status, total_raw: int):
        first = line_or_row[0]
        return secrecy.percent(raw[0], total_raw, first, total_status)

    def series(self, scope: Scope) -> Series:
        _folds, line, previous, firsts, _buckets, by_time = self._figures(scope)
        rates = None
        if by_time is not None:
            rates = [
                self._rate(by_time.cells[r], by_time.raw_cells[r], total, raw_total)
                for r, (total, raw_total) in enumerate(
                    zip(by_time.row_totals, by_time.raw_row_totals, strict=True)
                )
            ]
        return Series(
            current=self._rate(line.parts, line.raw_parts, line.total, line.raw_total),
            previous=secrecy.percent(previous[self.kinds[0][0]], previous["n"]),
            buckets=bucket_values(scope, rates),
            base=line.total,
            details=[
                (str(label).lower(), part, COUNT)
                for (_name, label), part in zip(self.kinds, line.parts, strict=True)
            ],
        )

    def _columns(self) -> list[Column]:
        return [Column(str(label), COUNT) for _name, label in self.kinds]

    def _time_table(self, scope: Scope, by_time, firsts) -> Table:
        period = scope.period
        return breakdown_table(
            "evolution",
            _("Réponses dans le temps"),
            _("Période"),
            [period.bucket_long_label(first) for first in firsts],
            by_time,
            self._columns(),
            total_column=Column(_("Réponses"), COUNT),
            extra_columns=(Column(str(self.rate_label), PERCENT),),
            extra=lambda r: [
                self._rate(
                    by_time.cells[r],
                    by_time.raw_cells[r],
                    by_time.row_totals[r],
                    by_time.raw_row_totals[r],
                )
            ],
        )


class Satisfaction(AnswerRate):
    key = "satisfaction"
    label = gettext_lazy("Taux de satisfaction des familles et des jeunes")
    method = gettext_lazy(
        "Part des réponses positives : « Très bien » au suivi d'une orientation, « Oui » à "
        "« Cette page vous a-t-elle aidé ? » sur un parcours. « Moyen », « Pas bien », « En "
        "partie » et « Non » comptent comme non satisfaits. Avec un filtre commune, seuls les "
        "suivis d'orientation comptent : les avis des pages parcours sont anonymes et sans "
        "commune."
    )
    kinds = (
        ("good", gettext_lazy("Très bien / Oui")),
        ("average", gettext_lazy("Moyen / En partie")),
        ("bad", gettext_lazy("Pas bien / Non")),
    )
    rate_label = gettext_lazy("Taux de satisfaction")

    tallies = (FAMILY_SATISFACTION, PAGE_ANSWERS, FAMILY_CLARITY)

    def _folds(self, scope: Scope) -> dict[str, Folded]:
        def family_kind(key: str) -> list[str]:
            return {
                FamilyAnswer.Satisfaction.GOOD: ["good"],
                FamilyAnswer.Satisfaction.AVERAGE: ["average"],
                FamilyAnswer.Satisfaction.BAD: ["bad"],
            }.get(key, [])

        def page_kind(key: str) -> list[str]:
            return {
                PathwayFeedback.Answer.YES: ["good"],
                PathwayFeedback.Answer.PARTLY: ["average"],
                PathwayFeedback.Answer.NO: ["bad"],
            }.get(key, [])

        return {
            "family": fold_tally(tally_rows(FAMILY_SATISFACTION, scope), family_kind),
            "pages": fold_tally(tally_rows(PAGE_ANSWERS, scope), page_kind),
        }

    def tables(self, scope: Scope) -> list[Table]:
        folds, line, _previous, firsts, _buckets, by_time = self._figures(scope)
        sources = [_("Suivi des orientations"), _("Pages parcours")]
        by_source = protected_grid(
            [self._line(folds[name].current) for name in ("family", "pages")], line
        )
        # Notes from 1 to 5, counted per note: their sum and their number.
        notes = by_key(tally_rows(FAMILY_CLARITY, scope))
        clarity = {
            "total": sum(int(note) * n for note, n in notes.items()),
            "n": sum(notes.values()),
        }
        return [
            breakdown_table(
                "reponses",
                _("Réponses pendant la période, par source"),
                _("Source"),
                sources,
                by_source,
                self._columns(),
                total_column=Column(_("Réponses"), COUNT),
                extra_columns=(Column(_("Taux de satisfaction"), PERCENT),),
                extra=lambda r: [
                    self._rate(
                        by_source.cells[r],
                        by_source.raw_cells[r],
                        by_source.row_totals[r],
                        by_source.raw_row_totals[r],
                    )
                ],
            ),
            self._time_table(scope, by_time, firsts),
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


class Continuity(AnswerRate):
    key = "continuity"
    label = gettext_lazy("Part des familles qui se sont senties suivies")
    method = gettext_lazy(
        "Réponses « Oui » à « Vous êtes-vous senti·e suivi·e ? » (par exemple sans avoir à "
        "répéter sa situation à chaque fois), posée à la famille par le lien de suivi de son "
        "orientation ou notée par son conseiller, parmi toutes les réponses à cette question "
        "reçues pendant la période (« Oui », « En partie », « Non, j'ai dû tout répéter »)."
    )
    kinds = (
        ("yes", gettext_lazy("Oui")),
        ("partly", gettext_lazy("En partie")),
        ("no", gettext_lazy("Non")),
    )
    rate_label = gettext_lazy("Part des familles suivies")

    tallies = (FAMILY_CONTINUITY,)

    def _folds(self, scope: Scope) -> dict[str, Folded]:
        continuity = FamilyAnswer.Continuity
        kinds = {continuity.YES: ["yes"], continuity.PARTLY: ["partly"], continuity.NO: ["no"]}
        rows = tally_rows(FAMILY_CONTINUITY, scope)
        return {"family": fold_tally(rows, lambda key: kinds.get(key, []))}

    def tables(self, scope: Scope) -> list[Table]:
        _folds, _line, _previous, firsts, _buckets, by_time = self._figures(scope)
        return [self._time_table(scope, by_time, firsts)]


OUTCOMES = (("without", WITHOUT), ("ruptures", RUPTURES), ("followed", FOLLOWED))


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

    @staticmethod
    def _parts(without: int, ruptures: int, followed: int) -> list[int]:
        """Without rupture, rupture, in progress: they add up to the followed ones."""
        return [without, ruptures, max(followed - without - ruptures, 0)]

    @staticmethod
    def _rates(shown: list, raw: list[int]) -> list:
        without, ruptures = raw[0], raw[1]
        return [
            secrecy.percent(without, without + ruptures, shown[0], shown[1]),
            secrecy.percent(ruptures, without + ruptures, shown[0], shown[1]),
        ]

    def _figures(self, scope: Scope):
        folded = {name: fold_tally(tally_rows(tally, scope)) for name, tally in OUTCOMES}

        def parts(pick) -> list[int]:
            return self._parts(*(pick(folded[name])["n"] for name, _tally in OUTCOMES))

        line = secrecy.protect_line(parts(lambda f: f.current))
        firsts = past_buckets(scope)
        by_time = protected_grid(
            [parts(lambda f, first=first: f.buckets[first]) for first in firsts], line
        )
        previous = folded["without"].previous["n"]
        return line, previous, firsts, by_time

    def series(self, scope: Scope) -> Series:
        line, previous, _firsts, by_time = self._figures(scope)
        rates = self._rates(line.parts, line.raw_parts)
        return Series(
            current=line.parts[0],
            previous=secrecy.mask_count(previous),
            buckets=bucket_values(scope, by_time.column(0) if by_time else None),
            base=line.total,
            details=[
                (_("orientations suivies"), line.total, COUNT),
                (_("part sans rupture"), rates[0], PERCENT),
                (_("taux de rupture"), rates[1], PERCENT),
                (_("en cours"), line.parts[2], COUNT),
            ],
        )

    def _columns(self) -> list[Column]:
        return [
            Column(_("Sans rupture"), COUNT),
            Column(_("Rupture"), COUNT),
            Column(_("En cours"), COUNT),
        ]

    def _table(self, slug, title, heading, labels, grid) -> Table:
        return breakdown_table(
            slug,
            title,
            heading,
            labels,
            grid,
            self._columns(),
            total_column=Column(_("Orientations suivies"), COUNT),
            extra_columns=(
                Column(_("Part sans rupture"), PERCENT),
                Column(_("Taux de rupture"), PERCENT),
            ),
            extra=lambda r: self._rates(grid.cells[r], grid.raw_cells[r]),
        )

    def tables(self, scope: Scope) -> list[Table]:
        line, _previous, firsts, by_time = self._figures(scope)
        period = scope.period
        tables = [
            self._table(
                "evolution",
                _("Issue des orientations dans le temps"),
                _("Période"),
                [period.bucket_long_label(first) for first in firsts],
                by_time,
            )
        ]
        by_origin = {name: by_key(tally_rows(tally, scope)) for name, tally in OUTCOMES}
        by_commune = {name: tally_by_commune(tally, scope) for name, tally in OUTCOMES}
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
            rows = [
                self._parts(*(counts[name].get(key, 0) for name, _tally in OUTCOMES))
                for key in keys
            ]
            grid = protected_grid(rows, line)
            tables.append(self._table(slug, title, heading, [label_of(k) for k in keys], grid))
        return tables


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

    def _figures(self, scope: Scope):
        rows = tally_rows(ROOTS, scope)
        folded = fold_tally(rows)
        by_origin, by_bucket = by_key(rows), defaultdict(Counter)
        for row in rows:
            if row["_cur"]:
                by_bucket[local_date(row["_b"])][row["key"]] += row["n"]
        line = secrecy.protect_line([by_origin[code] for code in Origin.values])
        firsts = past_buckets(scope)
        by_time = protected_grid(
            [[by_bucket[first][code] for code in Origin.values] for first in firsts], line
        )
        return line, folded.previous["n"], firsts, by_time

    @staticmethod
    def _shares(line) -> list:
        return [
            secrecy.percent(raw, line.raw_total, cell, line.total)
            for cell, raw in zip(line.parts, line.raw_parts, strict=True)
        ]

    def series(self, scope: Scope) -> Series:
        line, previous, _firsts, by_time = self._figures(scope)
        return Series(
            current=line.total,
            previous=secrecy.mask_count(previous),
            buckets=bucket_values(scope, by_time.row_totals if by_time else None),
            details=[
                (str(label), share, PERCENT)
                for label, share in zip(Origin.labels, self._shares(line), strict=True)
            ],
        )

    def tables(self, scope: Scope) -> list[Table]:
        line, _previous, firsts, by_time = self._figures(scope)
        period = scope.period
        summary = [
            [str(label), cell, share]
            for label, cell, share in zip(
                Origin.labels, line.parts, self._shares(line), strict=True
            )
        ]
        summary.append([_("Total"), line.total, None])
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
            breakdown_table(
                "evolution",
                _("Orientations par origine dans le temps"),
                _("Période"),
                [period.bucket_long_label(first) for first in firsts],
                by_time,
                [Column(str(label), COUNT) for label in Origin.labels],
                total_column=Column(_("Total"), COUNT),
            ),
        ]
