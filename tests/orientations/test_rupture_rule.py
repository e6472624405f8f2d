"""The rule of docs/indicateurs.md, « Orientation sans rupture »."""

import datetime as dt

import time_machine
from django.utils import timezone

from orientations.models import Actor, Referral
from tests.personas import make_referral


def outcome(referral) -> str:
    referrals = Referral.objects.filter(pk=referral.pk)
    if referrals.ruptures().exists():
        return "rupture"
    if referrals.without_rupture().exists():
        return "sans rupture"
    return "en cours"


def test_an_open_orientation_is_neither(world):
    assert outcome(world.referral) == "en cours"


def test_taken_in_charge_or_succeeded_is_without_rupture(world):
    world.referral.move_to("prise_en_charge", actor=Actor.RECEIVER)
    assert outcome(world.referral) == "sans rupture"
    world.referral.move_to("aboutie", actor=Actor.RECEIVER)
    assert outcome(world.referral) == "sans rupture"


def test_the_family_saying_yes_is_without_rupture(world):
    world.referral.record_family_answer(received="oui")
    assert outcome(world.referral) == "sans rupture"


def test_the_family_saying_no_is_a_rupture_even_if_the_partner_says_succeeded(world):
    world.referral.move_to("aboutie", actor=Actor.RECEIVER)
    world.referral.record_family_answer(received="non")
    assert outcome(world.referral) == "rupture"


def test_a_refusal_becomes_a_rupture_after_15_days_without_reorientation(world):
    world.referral.move_to("refusee", reason="complet", actor=Actor.RECEIVER)
    assert outcome(world.referral) == "en cours"
    assert Referral.objects.at_risk().filter(pk=world.referral.pk).exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=16)):
        assert outcome(world.referral) == "rupture"


def test_expired_and_dropped_count_like_a_refusal(world):
    dropped = make_referral(service=world.service)
    dropped.move_to("sans_suite", reason="renonce", actor=Actor.SENDER)
    world.referral.move_to("expiree", actor=Actor.SYSTEM)
    with time_machine.travel(timezone.now() + dt.timedelta(days=16)):
        assert outcome(world.referral) == "rupture"
        assert outcome(dropped) == "rupture"


def test_a_chain_counts_once_by_its_last_orientation(world):
    world.referral.move_to("refusee", reason="complet", actor=Actor.RECEIVER)
    world.referral.reoriented = True
    world.referral.save()
    second = make_referral(service=world.service, previous=world.referral)
    second.move_to("aboutie", actor=Actor.RECEIVER)
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        chain = Referral.objects.filter(pk__in=[world.referral.pk, second.pk])
        assert chain.followed().count() == 1
        assert chain.ruptures().count() == 0
        assert chain.without_rupture().count() == 1


def test_information_only_is_never_counted(world):
    info = make_referral(service=world.service, kind="information", status="informee")
    info.record_family_answer(received="non")
    assert outcome(info) == "en cours"


def test_expired_then_the_family_says_it_was_received_is_without_rupture_only(world):
    world.referral.move_to("expiree", actor=Actor.SYSTEM)
    with time_machine.travel(timezone.now() + dt.timedelta(days=16)):
        world.referral.record_family_answer(received="oui")
        referrals = Referral.objects.filter(pk=world.referral.pk)
        assert not referrals.ruptures().exists()
        assert referrals.without_rupture().exists()
