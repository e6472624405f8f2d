"""The professionals' feedback: their questionnaire's two notes and its response rate."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import secrecy
from ..models import ProfessionalResponse, ProfessionalSurvey
from ..tables import COUNT, PERCENT, SCORE, TEXT, Column, Table
from .engine import Metric, Scope, Series, is_future


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

    def _surveys(self, scope: Scope) -> list:
        """The period's questionnaires with their answers; `published_n` and the averages
        follow the secrecy of the line of their response counts."""
        surveys = list(
            ProfessionalSurvey.objects.filter(
                opens_on__gte=scope.period.start, opens_on__lte=scope.period.end
            )
            .annotate(
                n=Count("responses"),
                readability=Sum("responses__readability"),
                coordination=Sum("responses__coordination"),
            )
            .order_by("opens_on", "pk")
        )
        line = secrecy.protect_line([survey.n for survey in surveys])
        for survey, published in zip(surveys, line.parts, strict=True):
            survey.published_n = published
        return surveys, line

    def series(self, scope: Scope) -> Series:
        surveys, line = self._surveys(scope)
        previous = ProfessionalResponse.objects.filter(
            survey__opens_on__gte=scope.previous.start, survey__opens_on__lte=scope.previous.end
        ).aggregate(n=Count("pk"), total=Sum("readability") + Sum("coordination"))
        readability = sum(survey.readability or 0 for survey in surveys)
        coordination = sum(survey.coordination or 0 for survey in surveys)
        n = line.raw_total
        buckets = []
        for first in scope.period.buckets():
            inside = [s for s in surveys if scope.period.bucket_of(s.opens_on) == first]
            if is_future(scope, first):
                buckets.append((first, None))
                continue
            # A step shows only what its questionnaires show: nothing to subtract.
            shown = [s.published_n for s in inside]
            buckets.append(
                (
                    first,
                    _score(
                        sum((s.readability or 0) + (s.coordination or 0) for s in inside),
                        sum(s.n for s in inside),
                        *shown,
                    ),
                )
            )
        invited = sum(survey.invited_count or 0 for survey in surveys)
        return Series(
            current=_score(readability + coordination, n, line.total),
            previous=_score(previous["total"] or 0, previous["n"]),
            buckets=buckets,
            base=line.total,
            details=[
                (_("lisibilité"), secrecy.average(readability, n, "0.01", line.total), SCORE),
                (_("coordination"), secrecy.average(coordination, n, "0.01", line.total), SCORE),
                (_("taux de réponse"), _response_rate(n, invited, line.total), PERCENT),
            ],
        )

    def tables(self, scope: Scope) -> list[Table]:
        surveys, _line = self._surveys(scope)
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
                        survey.published_n,
                        _response_rate(survey.n, survey.invited_count, survey.published_n),
                        secrecy.average(
                            survey.readability or 0, survey.n, "0.01", survey.published_n
                        ),
                        secrecy.average(
                            survey.coordination or 0, survey.n, "0.01", survey.published_n
                        ),
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


def _score(total: int, people: int, *parts):
    """Two notes per person: the mean of both, hidden with the number of people."""
    if any(part is None or secrecy.is_masked(part) for part in parts):
        return secrecy.SECRET
    if not people:
        return None
    if people < secrecy.THRESHOLD:
        return secrecy.SECRET
    return secrecy.average(total, 2 * people)


def _response_rate(responses: int, invited: int | None, *parts):
    if not invited:
        return None
    if any(p is None or secrecy.is_masked(p) for p in parts) or 0 < responses < secrecy.THRESHOLD:
        return secrecy.SECRET
    return (Decimal(100 * responses) / Decimal(invited)).quantize(Decimal("0.1"))
