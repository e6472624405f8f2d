import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Indicator, ManualValue
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


def test_it_checks_that_a_computed_indicator_names_its_calculation(db):
    indicator = Indicator.objects.get(slug="passerelles")
    indicator.metric = "inconnu"

    with pytest.raises(ValidationError, match="Choisissez le calcul de cet indicateur."):
        indicator.full_clean()


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
