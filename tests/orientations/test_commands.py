import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from indicators.models import ProfessionalResponse, ProfessionalSurvey
from orientations.models import Actor, AuditLog, Referral, ReferralContact
from services_directory import outbox
from services_directory.models import OutgoingMessage, Role, StaffProfile
from tests.personas import make_partner_staff


def later(days: int):
    return time_machine.travel(timezone.now() + dt.timedelta(days=days))


def test_it_reminds_once_after_10_days(world, mailoutbox):
    call_command("send_referral_reminders")
    outbox.send_due()
    assert mailoutbox == []
    with later(11):
        call_command("send_referral_reminders")
        call_command("send_referral_reminders")
        outbox.send_due()
    # One to the partner's staff, one to the family who gave its address with consent.
    assert sorted(message.to[0] for message in mailoutbox) == [
        "camille@example.org",
        world.partner_staff.email,
    ]
    to_partner = next(m for m in mailoutbox if m.to == [world.partner_staff.email])
    # The single-use answer link (the world's orientation has one, as create_batch gives).
    assert "/partenaire/reponse/" in to_partner.body
    assert "Camille" not in to_partner.body
    world.referral.refresh_from_db()
    assert world.referral.reminded_at is not None


def test_a_reminder_carries_the_partners_answer_link(world, mailoutbox):
    world.referral.answer_nonce = "nonce-de-test"
    world.referral.save()
    with later(11):
        call_command("send_referral_reminders")
        outbox.send_due()
    to_partner = next(m for m in mailoutbox if m.to == [world.partner_staff.email])
    assert f"/partenaire/reponse/{world.referral.pk}/" in to_partner.body


def test_it_does_not_remind_an_answered_orientation(world, mailoutbox):
    world.referral.move_to("acceptee", by=world.partner_staff)
    with later(11):
        call_command("send_referral_reminders")
    assert mailoutbox == []


def test_it_expires_after_30_days(world):
    with later(29):
        call_command("expire_referrals")
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SENT
    with later(31):
        call_command("expire_referrals")
        call_command("expire_referrals")
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.EXPIRED
    assert world.referral.events.filter(to_status="expiree").count() == 1
    assert world.referral.events.get(to_status="expiree").by is None


def test_it_purges_contact_details_after_the_retention_period(world):
    world.referral.move_to("aboutie", note="Rappeler Camille au 06", actor=Actor.RECEIVER)
    with later(89):
        call_command("purge_personal_data")
    assert ReferralContact.objects.exists()
    with later(91):
        call_command("purge_personal_data")
        call_command("purge_personal_data")
    world.referral.refresh_from_db()
    assert not ReferralContact.objects.exists()
    assert world.referral.contact_purged_at is not None
    assert not world.referral.events.exclude(note="").exists()
    # The orientation stays, anonymised, for the indicators.
    assert world.referral.status == Referral.Status.SUCCEEDED
    assert AuditLog.objects.filter(action="purge").count() == 1


def test_it_purges_never_closed_ones_eventually(world):
    with later(90 + 30 + 1):
        call_command("purge_personal_data")
    assert not ReferralContact.objects.exists()


def test_create_account_provisions_an_adviser(world, capsys):
    call_command(
        "create_account",
        role="adviser",
        partner=world.partner_b.slug,
        email="Nouvelle@Example.org",
    )
    profile = StaffProfile.objects.get(user__username="nouvelle@example.org")
    assert (profile.role, profile.partner) == (Role.ADVISER, world.partner_b)
    assert "Mot de passe provisoire" in capsys.readouterr().out
    # Idempotent: a second run keeps the password.
    call_command(
        "create_account",
        role="adviser",
        partner=world.partner_b.slug,
        email="nouvelle@example.org",
    )
    assert "Mot de passe provisoire" not in capsys.readouterr().out
    assert StaffProfile.objects.filter(user__username="nouvelle@example.org").count() == 1


def test_create_account_gives_the_coordinator_the_admin(world):
    call_command("create_account", role="coordinator", email="cm@example.org")
    user = StaffProfile.objects.get(user__username="cm@example.org").user
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("services_directory.change_service")
    assert user.has_perm("auth.add_user")


def test_create_account_refuses_an_unknown_partner(world):
    with pytest.raises(CommandError, match="Aucun partenaire"):
        call_command(
            "create_account", role="partner_staff", partner="inconnu", email="x@example.org"
        )
    with pytest.raises(CommandError, match="obligatoire"):
        call_command("create_account", role="adviser", email="x@example.org")


def test_reminders_fall_back_to_the_partners_address(world, mailoutbox):
    world.partner_staff.delete()
    world.partner_c.email = "accueil@rpe.example.org"
    world.partner_c.save()
    make_partner_staff()  # someone elsewhere: never reminded
    with later(11):
        call_command("send_referral_reminders")
        outbox.send_due()
    assert "accueil@rpe.example.org" in [message.to[0] for message in mailoutbox]


def test_a_reminder_written_while_the_mail_server_is_down_leaves_once_it_is_back(
    world, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.orientations.test_handout.BrokenMailServer"
    with later(11):
        call_command("send_referral_reminders")
        outbox.send_due()
    world.referral.refresh_from_db()
    assert world.referral.reminded_at is not None  # written, waiting in the outbox
    assert OutgoingMessage.objects.unsent().count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with later(12):
        call_command("send_referral_reminders")  # nothing new
        outbox.send_due()
        outbox.send_due()
    assert len(mailoutbox) == 2


def test_the_daily_summary_lists_yesterdays_orientations_once(world):
    profile = world.partner_staff.staff_profile
    profile.notify = StaffProfile.Notify.DAILY
    profile.save()
    world.referral.answer_nonce = "nonce-de-test"
    world.referral.save()
    with later(0.5):
        call_command("send_daily_digest")
        call_command("send_daily_digest")
    (message,) = OutgoingMessage.objects.filter(kind="referral_digest")
    assert message.to == world.partner_staff.email
    assert "1 nouvelle orientation depuis hier" in message.body
    assert f"/partenaire/reponse/{world.referral.pk}/" in message.body
    assert "Camille" not in message.body
    with later(2):
        call_command("send_daily_digest")  # nothing new: no summary
    assert OutgoingMessage.objects.filter(kind="referral_digest").count() == 1


def test_an_expiry_is_told_to_the_adviser(world):
    with later(31):
        call_command("expire_referrals")
    message = OutgoingMessage.objects.get(kind="referral_failed")
    assert message.to == world.adviser_a.email
    assert "à réorienter" in message.subject


def test_the_questionnaire_invites_each_professional_once(world):
    today = timezone.localdate()
    survey = ProfessionalSurvey.objects.create(
        title="Parcours 2026", opens_on=today, closes_on=today + dt.timedelta(days=30)
    )
    ProfessionalResponse.objects.create(
        survey=survey, respondent=world.adviser_b, readability=4, coordination=3
    )
    call_command("invite_survey")
    call_command("invite_survey")
    invited = set(
        OutgoingMessage.objects.filter(kind="survey_invitation").values_list("to", flat=True)
    )
    # Advisers and partners' staff, not those who answered, nor the coordination.
    assert invited == {world.adviser_a.email, world.partner_staff.email, world.other_staff.email}
    assert "/indicateurs/questionnaire/" in OutgoingMessage.objects.first().body
