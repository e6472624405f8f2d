import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.forms import model_to_dict

from indicators.admin import IndicatorAdminForm
from indicators.models import ActionSheet, Axis, Indicator, ManualValue
from tests.personas import make_admin


def test_it_records_who_entered_a_value_by_hand(client, db):
    admin = make_admin()
    client.force_login(admin)
    indicator = Indicator.objects.get(slug="evaluation-qualitative")

    response = client.post(
        "/admin/indicators/manualvalue/add/",
        {
            "indicator": indicator.pk,
            "period_start": "01/01/2025",
            "period_end": "31/12/2025",
            "value": "3,5",
            "comment": "Bilan du comité technique",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ManualValue.objects.get().entered_by == admin


def test_it_refuses_an_inverted_period_or_an_impossible_score(db):
    indicator = Indicator.objects.get(slug="evaluation-qualitative")
    value = ManualValue(
        indicator=indicator,
        period_start=dt.date(2025, 12, 31),
        period_end=dt.date(2025, 1, 1),
        value=7,
    )

    with pytest.raises(ValidationError) as error:
        value.full_clean()

    assert "La fin de la période doit suivre son début." in str(error.value)
    assert "Une note est comprise entre 1 et 5." in str(error.value)


def _indicator_form(slug: str, **changes) -> IndicatorAdminForm:
    """The admin form of a frame indicator, posted back with a few changes."""
    indicator = Indicator.objects.get(slug=slug)
    data = model_to_dict(indicator) | {"sectors": [s.pk for s in indicator.sectors.all()]}
    return IndicatorAdminForm(data=data | changes, instance=indicator)


def test_it_accepts_a_frame_indicator_as_it_is(db):
    assert _indicator_form("beneficiaires-actions-ciblees").is_valid()


@pytest.mark.parametrize(
    ("slug", "changes", "field", "message"),
    [
        ("passerelles", {"metric": ""}, "metric", "Choisissez le calcul de cet indicateur."),
        (
            "evaluation-qualitative",
            {"metric": "passerelles"},
            "metric",
            "Un indicateur saisi à la main n'a pas de calcul.",
        ),
        (
            "retours-habitants",
            {"source": "mixed"},
            "source",
            "Seul un nombre peut additionner calcul et saisies à la main.",
        ),
        ("retours-habitants", {"unit": "count"}, "unit", "Ce calcul donne un(e) pourcentage."),
    ],
)
def test_it_checks_that_a_computed_indicator_names_a_fitting_calculation(
    db, slug, changes, field, message
):
    form = _indicator_form(slug, **changes)

    assert not form.is_valid()
    assert form.errors == {field: [message]}


def test_it_checks_the_calculation_of_an_indicator_added_to_its_fiche(client, db):
    client.force_login(make_admin())
    sheet = ActionSheet.objects.create(axis=Axis.objects.first(), title="Fiche d'essai")

    response = client.post(
        f"/admin/indicators/actionsheet/{sheet.pk}/change/",
        {
            "axis": sheet.axis_id,
            "title": sheet.title,
            "position": 0,
            "indicators-TOTAL_FORMS": 1,
            "indicators-INITIAL_FORMS": 0,
            "indicators-0-name": "Nouvel indicateur",
            "indicators-0-source": "computed",
            "indicators-0-metric": "",
            "indicators-0-unit": "count",
            "indicators-0-periodicity": "year",
            "indicators-0-position": 1,
        },
    )

    assert response.status_code == 200
    assert "Choisissez le calcul de cet indicateur." in response.content.decode()
    assert not sheet.indicators.exists()


def test_it_lists_the_frame_in_the_admin(client, db):
    client.force_login(make_admin())

    response = client.get("/admin/indicators/indicator/")

    assert response.status_code == 200
    assert "Nombre de passerelles entre les services" in response.content.decode()
    assert (
        client.get(
            f"/admin/indicators/indicator/{Indicator.objects.first().pk}/change/"
        ).status_code
        == 200
    )
