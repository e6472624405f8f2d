"""The adviser's worklist: /accueil/orientations/ (total, sections, filters, search)."""

import datetime as dt
import uuid

import time_machine
from django.urls import reverse
from django.utils import timezone

from orientations.models import Actor, Referral
from tests.personas import make_partner_staff, make_referral

URL = reverse("orientations:adviser_referrals")


def _section(content: str, title: str) -> str:
    start = content.index(f">{title}")
    return content[start : content.index("</section>", start)]


def test_it_lists_the_partners_orientations_and_the_ruptures_risk(client, world):
    refused = make_referral(service=world.service, from_partner=world.partner_a)
    refused.move_to(Referral.Status.REFUSED, reason="complet", actor=Actor.RECEIVER)
    make_referral(service=world.service, from_partner=world.partner_b)
    client.force_login(world.adviser_a)
    content = client.get(URL).content.decode()
    risk = _section(content, "Risque de rupture")
    assert "Risque de rupture (1)" in content
    assert f"N° {refused.pk}" in risk
    assert f"N° {world.referral.pk}" not in risk
    assert f"?depuis={refused.pk}" in risk  # one click to re-orient
    assert "Toutes les orientations de ma structure (2)" in content
    assert content.count("<tr>") == 1 + 2  # header, then A's two: never partner B's


def test_a_late_reorientation_takes_the_old_one_off_the_list(client, world):
    world.referral.move_to(Referral.Status.REFUSED, reason="complet", actor=Actor.RECEIVER)
    later = timezone.now() + dt.timedelta(days=40)  # far past the 15-day rule
    (new,) = Referral.objects.create_batch(
        batch=uuid.uuid4(),
        by=world.adviser_a,
        from_partner=world.partner_a,
        services=[world.service],
        kind=Referral.Kind.ORIENTATION,
        origin="france_services",
        previous=world.referral,
        now=later,
    )
    world.referral.refresh_from_db()
    assert not world.referral.reoriented  # the indicator still counts it as a rupture
    client.force_login(world.adviser_a)
    content = client.get(URL).content.decode()
    assert "Risque de rupture (0)" in content
    assert f"?depuis={world.referral.pk}" not in content
    # The chain is linked both ways, and the old one offers no second re-orientation.
    detail = client.get(world.referral.get_absolute_url()).content.decode()
    assert f"n° {new.pk} (Relais Petite Enfance)" in detail
    assert "Réorienter la personne" not in detail
    assert (
        f"orientation n° {world.referral.pk}</a>"
        in client.get(new.get_absolute_url()).content.decode()
    )


def test_it_shows_the_total_and_paginates_instead_of_cutting(client, world):
    for _n in range(30):
        make_referral(service=world.service, from_partner=world.partner_a, status="expiree")
    client.force_login(world.adviser_a)
    content = client.get(URL).content.decode()
    assert "Risque de rupture (30)" in content
    assert "Voir les 30" in content
    assert "Toutes les orientations de ma structure (31)" in content
    assert "Page 1 sur 2" in content
    full = client.get(URL, {"liste": "risque", "page": 2}).content.decode()
    assert "Orientations trouvées (30)" in full
    assert full.count("<tr>") == 1 + 5


@time_machine.travel(dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC), tick=False)
def test_it_lists_those_waiting_for_an_answer_for_days(client, world, settings):
    settings.REFERRAL_WAITING_DAYS = 5
    old = make_referral(
        service=world.service,
        from_partner=world.partner_a,
        status="transmise",
        created_at=timezone.now() - dt.timedelta(days=6),
    )
    client.force_login(world.adviser_a)
    content = client.get(URL).content.decode()
    waiting = _section(content, "Sans réponse depuis 5 jours ou plus")
    assert f"N° {old.pk}" in waiting
    assert f"N° {world.referral.pk}" not in waiting  # sent today


def test_a_callback_request_comes_first(client, world):
    world.referral.move_to(Referral.Status.REFUSED, reason="complet", actor=Actor.RECEIVER)
    newer = make_referral(service=world.service, from_partner=world.partner_a)
    world.referral.request_callback()
    client.force_login(world.adviser_a)
    content = client.get(URL).content.decode()
    assert "Rappelez-moi (1)" in content
    assert content.index(f"N° {world.referral.pk}") < content.index("Risque de rupture")
    table = content[content.index("<tbody>") :]
    assert table.index(f">{world.referral.pk}<") < table.index(f">{newer.pk}<")


def test_it_filters_by_status_service_and_date(client, world):
    other = make_referral(from_partner=world.partner_a, status="acceptee")
    client.force_login(world.adviser_a)
    by_status = client.get(URL, {"statut": "acceptee"}).content.decode()
    assert f">{other.pk}</a>" in by_status and f">{world.referral.pk}</a>" not in by_status
    by_service = client.get(URL, {"service": world.service.pk}).content.decode()
    assert f">{world.referral.pk}</a>" in by_service and f">{other.pk}</a>" not in by_service
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "Orientations trouvées (0)" in client.get(URL, {"du": tomorrow}).content.decode()


def test_it_searches_by_number_or_by_name(client, world):
    other = make_referral(from_partner=world.partner_a)
    client.force_login(world.adviser_a)
    by_number = client.get(URL, {"q": f"n° {world.referral.pk}"}).content.decode()
    assert "Orientations trouvées (1)" in by_number
    by_name = client.get(URL, {"q": "camille"}).content.decode()
    assert f">{world.referral.pk}</a>" in by_name and f">{other.pk}</a>" not in by_name


def test_bad_filters_are_ignored_not_a_500(client, world):
    client.force_login(world.adviser_a)
    response = client.get(URL, {"statut": "nimporte", "du": "hier", "service": "x", "page": "z"})
    assert response.status_code == 200
    assert "Toutes les orientations de ma structure (1)" in response.content.decode()


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _n in range(30):
        make_referral(service=world.service, from_partner=world.partner_a, status="expiree")
    client.force_login(world.adviser_a)
    with django_assert_max_num_queries(18):
        response = client.get(URL)
    assert response.status_code == 200
    # The first cards of the risk list, its total, and a link to see them all.
    assert response.text.count('<li class="card risk">') == 10
    assert "Risque de rupture (30)" in response.text
    assert "Voir les 30" in response.text


def test_a_partners_staff_sees_its_own_orientations_not_the_received_ones(client, world):
    # The RPE's staff orients too (its worklist); what it receives stays in its inbox.
    sent = make_referral(from_partner=world.partner_c)
    client.force_login(world.partner_staff)
    content = client.get(URL).content.decode()
    assert f">{sent.pk}</a>" in content
    assert f">{world.referral.pk}</a>" not in content


def test_it_is_for_those_who_orient(client, world):
    client.force_login(world.coordinator)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
    assert make_partner_staff  # staff of any partner may orient (see above)


def test_it_is_never_stored_by_a_browser(client, world):
    client.force_login(world.adviser_a)
    assert "no-store" in client.get(URL)["Cache-Control"]
