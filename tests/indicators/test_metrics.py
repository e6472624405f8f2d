"""Each computed indicator against a hand-built data set with known numbers."""

import datetime as dt
from decimal import Decimal

import pytest

from indicators import metrics, rollup
from indicators.metrics import METRICS, Scope
from indicators.models import Indicator, ManualValue, ProfessionalResponse, ProfessionalSurvey
from indicators.periods import Period
from indicators.secrecy import MASKED, SECRET
from orientations.models import FamilyAnswer, Origin, Referral, UnmetNeed
from pathways.models import Pathway, PathwayFeedback, PathwayStat
from services_directory.models import Referent
from tests.factories import make_need, make_referent
from tests.pathways.factories import make_pathway

from .conftest import at, orient

S = Referral.Status
Q2 = "2026-T2"


def _period(code) -> Period:
    return code if isinstance(code, Period) else Period.parse(code)


def series(key: str, code=Q2, **scope):
    return METRICS[key].series(Scope(_period(code), **scope))


def indicator_series(slug: str, code: str = Q2, **scope):
    indicator = Indicator.objects.get(slug=slug)
    return metrics.indicator_series(indicator, Scope(Period.parse(code), **scope))


def tables(key: str, code=Q2, indicator=None, **scope) -> dict:
    scope = Scope(_period(code), indicator=indicator, **scope)
    return {table.slug: table for table in METRICS[key].tables(scope)}


@pytest.fixture
def outcomes(frozen, place):
    """Seven situations, five times each, all oriented in the 2nd quarter of 2026.

    A succeeded, B taken in charge, C expired long ago (rupture), D refused 5 days ago
    (not yet a rupture), E information only, F expired then re-oriented in time to G which
    succeeded (one chain), H taken in charge but the family says it was not received.
    """
    good, average, bad = FamilyAnswer.Satisfaction
    orient(
        place,
        times=5,
        service=place.alsh,
        origin=Origin.PETITE_ENFANCE,
        status=S.SUCCEEDED,
        closed_at=at(2026, 6, 3),
        created=at(2026, 5, 20),
        answer={"received": "oui", "satisfaction": good, "clarity": 5, "continuity": "oui"},
    )
    orient(
        place,
        times=5,
        service=place.creche,
        origin=Origin.PETITE_ENFANCE,
        status=S.TAKEN,
        created=at(2026, 5, 21),
        answer={
            "received": "oui",
            "satisfaction": average,
            "clarity": 3,
            "continuity": "en_partie",
        },
    )
    orient(
        place,
        times=5,
        service=place.pij,
        origin=Origin.ENFANCE,
        status=S.EXPIRED,
        closed_at=at(2026, 5, 20),
        created=at(2026, 4, 15),
    )
    orient(
        place,
        times=5,
        service=place.passerelle,
        origin=Origin.ENFANCE,
        status=S.REFUSED,
        status_reason="complet",
        closed_at=at(2026, 6, 10),
        created=at(2026, 6, 8),
        answer={"received": "pas_encore"},
    )
    orient(
        place,
        times=5,
        origin=Origin.PARENTALITE,
        kind=Referral.Kind.INFORMATION,
        status=S.INFORMED,
        closed_at=at(2026, 6, 2),
        created=at(2026, 6, 2),
    )
    for first in orient(
        place,
        times=5,
        origin=Origin.JEUNESSE,
        status=S.EXPIRED,
        reoriented=True,
        closed_at=at(2026, 5, 10),
        created=at(2026, 4, 5),
    ):
        orient(
            place,
            service=place.bus,
            origin=Origin.JEUNESSE,
            status=S.SUCCEEDED,
            previous=first,
            closed_at=at(2026, 5, 30),
            created=at(2026, 5, 12),
        )
    orient(
        place,
        times=5,
        service=place.bus,
        origin=Origin.FRANCE_SERVICES,
        status=S.TAKEN,
        created=at(2026, 5, 2),
        answer={"received": "non", "satisfaction": bad, "clarity": 1, "continuity": "non"},
    )
    return place


# --- orientations sans rupture ------------------------------------------------------------


def test_it_counts_situations_without_rupture_once_per_chain(outcomes):
    result = series("without_rupture")

    assert result.current == 15  # A, B and G (F re-oriented into G counts once, as G)
    details = {label: value for label, value, _kind in result.details}
    assert details["orientations suivies"] == 30
    assert details["part sans rupture"] == Decimal("60.0")
    assert details["taux de rupture"] == Decimal("40.0")  # C and H over 25 settled
    assert details["en cours"] == 5  # D, refused 5 days ago


def test_it_turns_a_recent_refusal_into_a_rupture_after_15_days(outcomes, frozen):
    frozen.move_to(at(2026, 6, 26))

    details = {label: value for label, value, _kind in series("without_rupture").details}

    assert details["taux de rupture"] == Decimal("50.0")  # C, D and H over 30
    assert details["en cours"] == 0


def test_it_counts_an_expired_then_successful_chain_by_its_last_orientation(outcomes):
    table = tables("without_rupture")["par-origine"]
    rows = {row[0]: row for row in table.rows}

    assert "Jeunesse" in rows  # G, the successful re-orientation
    assert rows["Jeunesse"][1:4] == [5, 0, 0]  # without rupture, rupture, in progress


def test_it_hides_fewer_than_five_situations(frozen, place):
    orient(place, times=3, status=S.SUCCEEDED, closed_at=at(2026, 5, 3), created=at(2026, 5, 1))

    result = series("without_rupture")

    assert result.current is MASKED
    assert {label: v for label, v, _k in result.details}["part sans rupture"] is SECRET


# --- origine, passerelles -----------------------------------------------------------------


def test_it_counts_origins_without_re_orientations(outcomes):
    result = series("origins")

    assert result.current == 35  # every orientation but the 5 re-orientations
    shares = {label: value for label, value, _kind in result.details}
    assert shares["Petite Enfance"] == Decimal("28.6")
    assert shares["Parentalité"] == Decimal("14.3")
    assert shares["Autre"] is None or shares["Autre"] == 0


def test_it_counts_passerelles_between_child_stages(outcomes, sectors):
    assert series("passerelles").current == 15

    matrix = tables("passerelles")["matrice-orientations"]
    rows = {row[0]: row[1:] for row in matrix.rows}
    names = [column.label for column in matrix.columns[1:]]
    cell = {
        (origin, name): value
        for origin, values in rows.items()
        for name, value in zip(names, values, strict=True)
    }
    assert cell[("Petite Enfance", "Enfance")] == 5  # A: to the accueil de loisirs
    assert cell[("Enfance", "Jeunesse")] == 5  # C, even though it ended in a rupture
    assert cell[("Enfance", "Petite Enfance")] == 5  # D: a service of both stages
    assert cell[("Petite Enfance", "Petite Enfance")] is None  # the diagonal is not a passerelle


def test_it_counts_pathways_that_link_child_stages(frozen, sectors):
    make_pathway(
        steps=0,
        sectors=[sectors.petite_enfance, sectors.enfance, sectors.jeunesse],
        validated_on=dt.date(2026, 1, 5),
        validated_by="La chargée de mission",
    )
    make_pathway(
        steps=0,
        sectors=[sectors.enfance, sectors.parentalite],
        validated_on=dt.date(2026, 1, 5),
        validated_by="La chargée de mission",
    )

    matrix = tables("passerelles")["matrice-parcours"]
    rows = {row[0]: row[1:] for row in matrix.rows}

    assert rows["Petite Enfance"] == [None, 1, 1]
    assert rows["Enfance"] == [None, None, 1]


# --- satisfaction, retours des familles ------------------------------------------------------


def test_it_rates_satisfaction_from_families_and_pathway_pages(outcomes):
    pathway = make_pathway(steps=0)
    for answer in ["yes"] * 5 + ["partly"] * 5:
        feedback = PathwayFeedback.objects.create(pathway=pathway, answer=answer)
        PathwayFeedback.objects.filter(pk=feedback.pk).update(created_at=at(2026, 6, 1))

    result = series("satisfaction")

    assert result.base == 25  # 15 family answers and 10 page answers
    assert result.current == Decimal("40.0")  # 5 « Très bien » and 5 « Oui »
    rows = {row[0]: row for row in tables("satisfaction")["reponses"].rows}
    assert rows["Pages parcours"][1:] == [5, 5, 0, 10, Decimal("50.0")]


def test_it_counts_page_feedback_that_no_orientation_followed(frozen, place):
    pathway = make_pathway(steps=0)
    for answer in ["yes"] * 8 + ["no"] * 5:
        feedback = PathwayFeedback.objects.create(pathway=pathway, answer=answer)
        PathwayFeedback.objects.filter(pk=feedback.pk).update(created_at=at(2026, 5, 4))

    assert series("satisfaction").current == Decimal("61.5")
    assert series("without_rupture").current == 0
    # Pathway pages have no commune: under a commune filter, only family answers count.
    assert series("satisfaction", commune=place.commune).current is None


def test_it_averages_the_clarity_families_give(outcomes):
    table = tables("satisfaction")["clarte"]

    assert table.rows[0][1:] == [Decimal("3.00"), 15]  # (5×5 + 5×3 + 5×1) / 15


def test_it_rates_families_who_felt_followed_from_the_continuity_question(outcomes):
    result = series("continuity")

    # 5 « Oui », 5 « En partie », 5 « Non » (received or not: not the proxy any more).
    assert result.current == Decimal("33.3")
    assert result.base == 15


# --- bénéficiaires d'actions ciblées -----------------------------------------------------------


def test_it_adds_targeted_beneficiaries_oriented_and_entered_by_hand(outcomes):
    indicator = Indicator.objects.get(slug="beneficiaires-actions-ciblees")
    ManualValue.objects.create(
        indicator=indicator,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 6, 30),
        value=12,
        comment="Ateliers du bus",
    )

    result = metrics.indicator_series(indicator, Scope(Period.parse(Q2)))

    # G reached the France Services bus (in the scope); H was not received.
    assert result.current == 17
    assert indicator_series("beneficiaires-actions-ciblees", "2026-T1").current == 0


def test_it_masks_a_small_sum_of_beneficiaries(frozen, place):
    indicator = Indicator.objects.get(slug="beneficiaires-actions-ciblees")
    ManualValue.objects.create(
        indicator=indicator,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 4, 30),
        value=3,
    )

    assert metrics.indicator_series(indicator, Scope(Period.parse(Q2))).current is MASKED


# --- parcours ---------------------------------------------------------------------------------


def test_it_counts_pathways_formalised_at_the_end_of_the_period(frozen, sectors):
    make_pathway(steps=0, validated_on=dt.date(2026, 2, 1), validated_by="Chargée de mission")
    make_pathway(steps=0, validated_on=dt.date(2026, 5, 1), validated_by="Chargée de mission")
    make_pathway(steps=0)  # published, not validated
    make_pathway(
        steps=0,
        status=Pathway.Status.DRAFT,
        validated_on=dt.date(2026, 1, 1),
        validated_by="Chargée de mission",
    )

    assert series("pathways_formalised", "2026-T1").current == 1
    assert series("pathways_formalised", "2026-T2").current == 2
    assert series("pathways_formalised", "2026-T2").previous == 1


def test_it_counts_formalised_pathways_diffused_during_the_period(frozen):
    diffused = make_pathway(steps=0, validated_on=dt.date(2026, 1, 1), validated_by="CM")
    silent = make_pathway(steps=0, validated_on=dt.date(2026, 1, 1), validated_by="CM")
    draft = make_pathway(steps=0)
    PathwayStat.objects.create(pathway=diffused, day=dt.date(2026, 5, 2), views=40, handouts=2)
    PathwayStat.objects.create(pathway=diffused, day=dt.date(2026, 6, 2), prints=1)
    PathwayStat.objects.create(pathway=silent, day=dt.date(2026, 3, 2), views=3)
    PathwayStat.objects.create(pathway=draft, day=dt.date(2026, 5, 2), views=9)

    result = series("pathways_diffused")

    assert (result.current, result.previous) == (1, 1)
    rows = tables("pathways_diffused")["par-parcours"].rows
    assert rows == [[diffused.title, 40, 1, 2]]


# --- référents, professionnels, observatoire ---------------------------------------------


def test_it_counts_relay_people_and_referents_mobilised(frozen, place):
    make_referent()
    make_referent(is_relay_person=True, theme=Referent.Theme.PRECARITE)
    elsewhere = make_referent(covers_whole_territory=False, mobilised_since=dt.date(2026, 1, 10))
    elsewhere.communes.set([place.other])
    make_referent(mobilised_since=dt.date(2026, 7, 1))  # not yet
    make_referent(is_active=False)

    assert series("referents").current == 3
    assert series("referents", commune=place.commune).current == 2
    assert series("referents", "2025").current == 2


def test_it_averages_the_professionals_answers_with_their_response_rate(frozen):
    survey = ProfessionalSurvey.objects.create(
        title="Questionnaire 2026",
        opens_on=dt.date(2026, 5, 2),
        closes_on=dt.date(2026, 5, 31),
        invited_count=10,
    )
    for readability, coordination in [(4, 3), (4, 3), (3, 4), (5, 4), (2, 2), (4, 3)]:
        ProfessionalResponse.objects.create(
            survey=survey, readability=readability, coordination=coordination
        )

    result = series("professional_feedback")

    assert result.current == Decimal("3.42")  # (22 + 19) / 12
    details = {label: value for label, value, _kind in result.details}
    assert details["lisibilité"] == Decimal("3.67")
    assert details["taux de réponse"] == Decimal("60.0")


def test_it_hides_the_answers_of_fewer_than_five_professionals(frozen):
    survey = ProfessionalSurvey.objects.create(
        title="Petit questionnaire",
        opens_on=dt.date(2026, 5, 2),
        closes_on=dt.date(2026, 5, 31),
        invited_count=10,
    )
    for _n in range(4):
        ProfessionalResponse.objects.create(
            survey=survey, readability=5, coordination=5, comment="Très bien"
        )

    assert series("professional_feedback").current is SECRET
    assert tables("professional_feedback")["commentaires"].rows == []


def test_it_observes_unmet_needs_and_coverage_gaps(frozen, place, sectors):
    need = make_need(name="Garde en horaires décalés", sector=sectors.petite_enfance)
    for _n in range(5):
        unmet = UnmetNeed.objects.create(
            partner=place.counter, commune=place.commune, need=need, reason="horaires"
        )
        UnmetNeed.objects.filter(pk=unmet.pk).update(created_at=at(2026, 5, 5))

    assert series("unmet_needs").current == 5
    found = tables("unmet_needs")
    assert found["par-besoin"].rows[0][0] == "Garde en horaires décalés"
    gaps = {row[0]: row for row in found["communes-sans-service"].rows}
    assert "Pont-sur-Yonne" in gaps["Garde en horaires décalés"][3]


# --- périodes et fuseau horaire ------------------------------------------------------------------


def test_it_counts_at_local_midnight_not_utc(frozen, place):
    # 23:30 in Paris on 31 March is 21:30 UTC; 00:30 on 1 April is still 31 March in UTC.
    orient(place, times=5, created=at(2026, 3, 31, 23, 30), origin=Origin.ENFANCE)
    orient(place, times=6, created=at(2026, 4, 1, 0, 30), origin=Origin.ENFANCE)

    assert series("origins", "2026-03").current == 5
    assert series("origins", "2026-04").current == 6
    assert series("origins", "2026-04").previous == 5
    assert series("origins", "2026-T1").current == 5


# --- décomptes quotidiens ----------------------------------------------------------------


PERIODS = [Q2, "2026-05", "2026", Period.custom(dt.date(2026, 4, 10), dt.date(2026, 6, 20))]


@pytest.mark.parametrize(
    "key",
    ["without_rupture", "origins", "passerelles", "satisfaction", "continuity", "unmet_needs"],
)
def test_it_gives_the_same_figures_from_the_nightly_counts(outcomes, sectors, key):
    pathway = make_pathway(steps=0, sectors=[sectors.enfance])
    PathwayFeedback.objects.create(pathway=pathway, answer="yes")
    scopes = [
        {},
        {"commune": outcomes.commune},
        {"sector": sectors.enfance},
        {"commune": outcomes.commune, "sector": sectors.enfance},
    ]

    def figures():
        found = []
        for code in PERIODS:
            for scope in scopes:
                result = series(key, code, **scope)
                found.append((result.current, result.previous, result.buckets, result.details))
                found.append({slug: t.rows for slug, t in tables(key, code, **scope).items()})
        return found

    live = figures()
    rollup.refresh()

    # Every period kind (quarter, month by day, year, two dates), with and without filters
    # (a commune and a sector together are kept by whole months).
    assert figures() == live


def test_it_gives_the_same_beneficiaries_from_the_nightly_counts(outcomes):
    indicator = Indicator.objects.get(slug="beneficiaires-actions-ciblees")
    live = tables("targeted_beneficiaries", indicator=indicator)["par-secteur"].rows

    rollup.refresh()

    assert tables("targeted_beneficiaries", indicator=indicator)["par-secteur"].rows == live
    assert live == [["France Services", 5]]


def test_it_counts_today_live_after_the_nightly_counts(outcomes, place):
    rollup.refresh()
    orient(
        place,
        times=5,
        status=S.SUCCEEDED,
        closed_at=at(2026, 6, 15, 9),
        created=at(2026, 6, 15, 8),
    )

    assert series("without_rupture").current == 20
