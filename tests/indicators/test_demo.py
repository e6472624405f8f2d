import io

import pytest
from django.core.management import CommandError

from indicators import demo
from indicators.models import Indicator, ManualValue, ProfessionalSurvey
from portal.management.commands.load_demo import read

DATA = read("indicators")


def test_it_loads_the_frame_and_a_few_values_twice_without_duplicates(frozen):
    out = io.StringIO()
    demo.load(DATA, out)
    counts = (
        Indicator.objects.count(),
        ManualValue.objects.count(),
        ProfessionalSurvey.objects.count(),
    )
    demo.load(DATA, out)

    assert counts == (11, 6, 2)
    assert "Indicateurs : 0 indicateur(s) créé(s)" in out.getvalue()
    assert "introuvable" not in out.getvalue()
    assert (
        Indicator.objects.count(),
        ManualValue.objects.count(),
        ProfessionalSurvey.objects.count(),
    ) == counts


def test_a_value_for_an_unknown_indicator_is_reported(frozen):
    data = dict(DATA, quarterly_values=[dict(DATA["quarterly_values"][0], indicator="inconnu")])
    out = io.StringIO()

    demo.load(data, out)

    assert "indicateur « inconnu » introuvable, valeurs ignorées" in out.getvalue()


def test_a_typo_in_a_survey_is_refused_with_the_survey_named(frozen):
    data = dict(DATA, open_survey={**DATA["open_survey"], "closes_in_day": 30})
    del data["open_survey"]["closes_in_days"]

    with pytest.raises(CommandError) as refused:
        demo.load(data, io.StringIO())

    assert str(refused.value) == (
        "Démonstration, campagne en cours : clé inconnue « closes_in_day » (vouliez-vous dire "
        "« closes_in_days » ?) ; clé obligatoire absente « closes_in_days »."
    )
    assert not ProfessionalSurvey.objects.exists()
