"""The professionals' feedback: their questionnaire's two notes and its response rate."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import secrecy
from ..models import ProfessionalResponse, ProfessionalSurvey
from ..tables import COUNT, PERCENT, SCORE, TEXT, Column, Table
from .engine import Metric, Scope, Series, fold, grouped, is_future


class ProfessionalFeedback(Metric):
    key = "professional_feedback"
    label = gettext_lazy("Retours des professionnels sur la lisibilité et la coordination")
    unit = "score"
    filters = frozenset()
    method = gettext_lazy(
        "Moyenne des deux notes de 1 à 5 (lisibilité des parcours, coordination entre "
        "services) des questionnaires ouverts pendant la période, avec le taux de réponse : "
        "réponses reçues sur professionnels interrogés."
    )

    def series(self, scope: Scope) -> Series:
        rows = grouped(
            ProfessionalResponse.objects.all(),
            "survey__opens_on",
            scope,
            is_date=True,
            n=Count("pk"),
            readability=Sum("readability"),
            coordination=Sum("coordination"),
        )
        folded = fold(rows, ["n", "readability", "coordination"])

        def score(counts: Counter):
            # Two notes per person: the mean of both, masked by the number of people.
            return _score(counts["readability"] + counts["coordination"], counts["n"])

        buckets = [
            (first, None if is_future(scope, first) else score(folded.buckets[first]))
            for first in scope.period.buckets()
        ]
        invited = ProfessionalSurvey.objects.filter(
            opens_on__gte=scope.period.start, opens_on__lte=scope.period.end
        ).aggregate(n=Sum("invited_count"))["n"]
        n = folded.current["n"]
        return Series(
            current=score(folded.current),
            previous=score(folded.previous),
            buckets=buckets,
            base=n,
            details=[
                (_("lisibilité"), secrecy.average(folded.current["readability"], n), SCORE),
                (_("coordination"), secrecy.average(folded.current["coordination"], n), SCORE),
                (_("taux de réponse"), _response_rate(n, invited), PERCENT),
            ],
        )

    def tables(self, scope: Scope) -> list[Table]:
        surveys = (
            ProfessionalSurvey.objects.filter(
                opens_on__gte=scope.period.start, opens_on__lte=scope.period.end
            )
            .annotate(
                n=Count("responses"),
                readability=Sum("responses__readability"),
                coordination=Sum("responses__coordination"),
            )
            .order_by("opens_on")
        )
        surveys = list(surveys)
        readable = [survey.pk for survey in surveys if survey.n >= secrecy.THRESHOLD]
        comments = (
            ProfessionalResponse.objects.filter(survey_id__in=readable)
            .exclude(comment="")
            .select_related("survey")
            .order_by("survey__opens_on", "pk")
        )
        return [
            Table(
                slug="questionnaires",
                title=_("Questionnaires de la période"),
                columns=[
                    Column(_("Questionnaire"), TEXT),
                    Column(_("Ouvert le"), TEXT),
                    Column(_("Interrogés"), COUNT),
                    Column(_("Réponses"), COUNT),
                    Column(_("Taux de réponse"), PERCENT),
                    Column(_("Lisibilité (sur 5)"), SCORE),
                    Column(_("Coordination (sur 5)"), SCORE),
                ],
                rows=[
                    [
                        survey.title,
                        survey.opens_on,
                        survey.invited_count,
                        secrecy.mask_count(survey.n),
                        _response_rate(survey.n, survey.invited_count),
                        secrecy.average(survey.readability or 0, survey.n),
                        secrecy.average(survey.coordination or 0, survey.n),
                    ]
                    for survey in surveys
                ],
            ),
            Table(
                slug="commentaires",
                title=_("Commentaires des professionnels"),
                columns=[Column(_("Questionnaire"), TEXT), Column(_("Commentaire"), TEXT)],
                rows=[[response.survey.title, response.comment] for response in comments],
                note=_(
                    "Commentaires sans nom, publiés seulement pour les questionnaires qui ont "
                    "reçu au moins %(n)s réponses."
                )
                % {"n": secrecy.THRESHOLD},
            ),
        ]


def _score(total: int, people: int):
    if not people:
        return None
    if people < secrecy.THRESHOLD:
        return secrecy.MASKED
    return secrecy.average(total, 2 * people)


def _response_rate(responses: int, invited: int | None):
    if not invited:
        return None
    if responses and responses < secrecy.THRESHOLD:
        return secrecy.MASKED
    return (Decimal(100 * responses) / Decimal(invited)).quantize(Decimal("0.1"))
