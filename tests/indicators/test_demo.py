import io

from indicators import demo
from indicators.models import Indicator, ManualValue, ProfessionalSurvey


def test_it_loads_the_frame_and_a_few_values_twice_without_duplicates(frozen):
    out = io.StringIO()
    demo.load(out)
    counts = (
        Indicator.objects.count(),
        ManualValue.objects.count(),
        ProfessionalSurvey.objects.count(),
    )
    demo.load(out)

    assert counts == (11, 6, 2)
    assert "Indicateurs : 0 indicateur(s) créé(s)" in out.getvalue()
    assert (
        Indicator.objects.count(),
        ManualValue.objects.count(),
        ProfessionalSurvey.objects.count(),
    ) == counts
