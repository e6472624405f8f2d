import pytest
from django.core.management import CommandError, call_command

from indicators.models import DailyCount, RollupState
from orientations.models import FamilyAnswer, Referral


def test_it_generates_orientations_answers_and_the_daily_counts(frozen, place):
    call_command("generate_referrals", referrals=400, feedback=60, days=120, seed=3)

    assert Referral.objects.count() == 400
    assert FamilyAnswer.objects.count() == 60
    assert Referral.objects.filter(family_received="").count() == 340
    assert (
        Referral.objects.filter(previous__isnull=False).count()
        == Referral.objects.filter(reoriented=True).count()
    )
    assert RollupState.objects.filter(series="ruptures").exists()
    assert DailyCount.objects.filter(series="followed").exists()


@pytest.mark.parametrize(
    "options", [{"referrals": 0}, {"referrals": 10, "feedback": 11}, {"referrals": 10, "days": 2}]
)
def test_it_refuses_impossible_sizes(db, options):
    with pytest.raises(CommandError):
        call_command("generate_referrals", **options)


def test_it_refreshes_the_daily_counts_on_demand(frozen, place, capsys):
    call_command("refresh_indicators")

    assert "Indicateurs recomptés" in capsys.readouterr().out
    assert RollupState.objects.count() >= 10


def test_it_rebuilds_indexes_and_foreign_keys_after_a_large_load(frozen, place, monkeypatch):
    from indicators.management.commands import generate_referrals

    monkeypatch.setattr(generate_referrals, "REBUILD_FROM", 1)

    call_command("generate_referrals", referrals=50, feedback=5, days=60)

    assert Referral.objects.count() == 50
