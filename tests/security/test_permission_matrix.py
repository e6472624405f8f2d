"""Who may open what: every URL pattern of the portal, for every kind of person.

A new URL pattern without a row here fails `test_every_url_pattern_has_a_row`: the
person adding it has to decide who may use it.

Outcomes: ok (the page, a form with its errors, or a redirect elsewhere than the
login), login (sent to the login page), admin (sent to the admin login), 403, 404, 405.
The family is the anonymous holder of the follow-up link: same column as anonymous.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from services_directory.models import GroupSession, ItinerantStop
from tests.security.conftest import logged_in
from tests.security.crawl import project_routes

COLUMNS = ["anonymous", "adviser_a", "adviser_b", "partner_staff", "coordinator", "admin"]
EVERYONE = "ok ok ok ok ok ok"
PUBLIC_ONLY = "ok ok ok ok ok ok"
NOBODY = "405 405 405 405 405 405"
ADVISERS = "login ok ok 403 403 403"
ADVISER_A = "login ok 404 403 403 403"
COORDINATION = "login 403 403 403 ok ok"
PROFESSIONALS = "login ok ok ok 403 403"


def session_of(world):
    """A collective session to come of the world's service."""
    return GroupSession.objects.get_or_create(
        service=world.service,
        topic="Atelier",
        defaults={
            "date": timezone.localdate() + dt.timedelta(days=3),
            "start_time": dt.time(14),
            "end_time": dt.time(16),
        },
    )[0]


def stop_url_of(world):
    """The calendar file of a dated stop to come of the world's service."""
    day = timezone.localdate() + dt.timedelta(days=3)
    stop = ItinerantStop.objects.get_or_create(
        service=world.service,
        place=world.service.first_place.place,
        date=day,
        defaults={"start_time": dt.time(9), "end_time": dt.time(12)},
    )[0]
    return reverse("services_directory:stop_ics", args=[world.service.slug, stop.pk, day])


# (method, URL of the world's objects, outcomes in COLUMNS order). adviser_a oriented the
# world's referral to the partner of partner_staff; adviser_b works for another partner.
GET, POST = "GET", "POST"
MATRIX = {
    # portal
    "portal:home": [(GET, lambda w: "/", EVERYONE)],
    "portal:legal_notice": [(GET, lambda w: reverse("portal:legal_notice"), EVERYONE)],
    "portal:accessibility": [(GET, lambda w: reverse("portal:accessibility"), EVERYONE)],
    "portal:personal_data": [(GET, lambda w: reverse("portal:personal_data"), EVERYONE)],
    "portal:healthz": [(GET, lambda w: reverse("portal:healthz"), EVERYONE)],
    "portal:login": [
        (GET, lambda w: reverse("portal:login"), EVERYONE),
        (POST, lambda w: reverse("portal:login"), EVERYONE),
    ],
    "portal:logout": [
        (GET, lambda w: reverse("portal:logout"), NOBODY),
        (POST, lambda w: reverse("portal:logout"), EVERYONE),
    ],
    # directory
    "services_directory:search": [(GET, lambda w: reverse("services_directory:search"), EVERYONE)],
    "services_directory:service": [(GET, lambda w: w.service.get_absolute_url(), EVERYONE)],
    "services_directory:partner": [(GET, lambda w: w.partner_c.get_absolute_url(), EVERYONE)],
    "services_directory:report_error": [
        (
            GET,
            lambda w: reverse("services_directory:report_error", args=[w.service.slug]),
            EVERYONE,
        ),
        (
            POST,
            lambda w: reverse("services_directory:report_error", args=[w.service.slug]),
            EVERYONE,
        ),
    ],
    "services_directory:session_ics": [(GET, lambda w: session_of(w).get_ics_url(), EVERYONE)],
    "services_directory:stop_ics": [(GET, lambda w: stop_url_of(w), EVERYONE)],
    # pathways
    "pathways:list": [(GET, lambda w: reverse("pathways:list"), EVERYONE)],
    "pathways:detail": [(GET, lambda w: w.pathway.get_absolute_url(), EVERYONE)],
    "pathways:seen": [(GET, lambda w: reverse("pathways:seen", args=[w.pathway.slug]), EVERYONE)],
    "pathways:print": [
        (GET, lambda w: reverse("pathways:print", args=[w.pathway.slug]), EVERYONE)
    ],
    "pathways:feedback": [
        (GET, lambda w: reverse("pathways:feedback", args=[w.pathway.slug]), NOBODY),
        (POST, lambda w: reverse("pathways:feedback", args=[w.pathway.slug]), EVERYONE),
    ],
    "pathways:preview": [
        (
            GET,
            lambda w: reverse("pathways:preview", args=[w.pathway.slug]),
            "admin 403 403 403 ok ok",
        )
    ],
    "pathways:orient": [(GET, lambda w: reverse("pathways:orient"), EVERYONE)],
    # orientations: the professionals' space
    "orientations:staff_home": [
        (GET, lambda w: reverse("orientations:staff_home"), "login ok ok ok ok ok")
    ],
    "orientations:referral": [
        (
            GET,
            lambda w: reverse("orientations:referral", args=[w.referral.pk]),
            "login ok 404 ok ok ok",
        )
    ],
    "orientations:referral_move": [
        (GET, lambda w: reverse("orientations:referral_move", args=[w.referral.pk]), NOBODY),
        (
            POST,
            lambda w: reverse("orientations:referral_move", args=[w.referral.pk]),
            "login ok 404 ok ok ok",
        ),
    ],
    "orientations:referral_answer": [
        (GET, lambda w: reverse("orientations:referral_answer", args=[w.referral.pk]), NOBODY),
        (
            POST,
            lambda w: reverse("orientations:referral_answer", args=[w.referral.pk]),
            ADVISER_A,
        ),
    ],
    # orientations: the adviser's counter
    "orientations:counter": [(GET, lambda w: reverse("orientations:counter"), ADVISERS)],
    "orientations:referral_new": [
        (GET, lambda w: reverse("orientations:referral_new"), ADVISERS),
        (POST, lambda w: reverse("orientations:referral_new"), ADVISERS),
    ],
    "orientations:unmet_need_new": [
        (GET, lambda w: reverse("orientations:unmet_need_new"), ADVISERS),
        (POST, lambda w: reverse("orientations:unmet_need_new"), ADVISERS),
    ],
    "orientations:adviser_referrals": [
        (GET, lambda w: reverse("orientations:adviser_referrals"), ADVISERS)
    ],
    "orientations:handout": [
        (GET, lambda w: reverse("orientations:handout", args=[w.referral.batch]), ADVISER_A)
    ],
    "orientations:handout_send": [
        (GET, lambda w: reverse("orientations:handout_send", args=[w.referral.batch]), NOBODY),
        (POST, lambda w: reverse("orientations:handout_send", args=[w.referral.batch]), ADVISER_A),
    ],
    # orientations: the receiving partner, and the family's link (the token is the key)
    "orientations:inbox": [
        (GET, lambda w: reverse("orientations:inbox"), "login 403 403 ok 403 403")
    ],
    "orientations:follow_up": [
        (GET, lambda w: reverse("orientations:follow_up", args=[w.token]), PUBLIC_ONLY),
        (POST, lambda w: reverse("orientations:follow_up", args=[w.token]), PUBLIC_ONLY),
    ],
    # indicators: the coordination
    "indicators:dashboard": [(GET, lambda w: reverse("indicators:dashboard"), COORDINATION)],
    "indicators:dashboard_export": [
        (GET, lambda w: reverse("indicators:dashboard_export", args=["csv"]), COORDINATION)
    ],
    "indicators:report": [(GET, lambda w: reverse("indicators:report"), COORDINATION)],
    "indicators:observatory": [(GET, lambda w: reverse("indicators:observatory"), COORDINATION)],
    "indicators:observatory_export": [
        (
            GET,
            lambda w: reverse("indicators:observatory_export", args=["commune-secteur", "xlsx"]),
            COORDINATION,
        )
    ],
    "indicators:indicator": [
        (GET, lambda w: reverse("indicators:indicator", args=["sans-rupture"]), COORDINATION)
    ],
    "indicators:indicator_export": [
        (
            GET,
            lambda w: reverse(
                "indicators:indicator_export", args=["sans-rupture", "serie", "csv"]
            ),
            COORDINATION,
        )
    ],
    # indicators: the questionnaire the professionals answer
    "indicators:survey": [
        (GET, lambda w: reverse("indicators:survey"), PROFESSIONALS),
        (POST, lambda w: reverse("indicators:survey"), PROFESSIONALS),
    ],
}


def outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("portal:login")):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin"
        return "ok"
    return "ok" if response.status_code in (200, 400) else str(response.status_code)


def test_every_url_pattern_has_a_row():
    declared = {route.name for route in project_routes()}
    assert declared - MATRIX.keys() == set(), "URL patterns without a row in the matrix"
    assert MATRIX.keys() - declared == set(), "rows for URL patterns that no longer exist"
    for name, rows in MATRIX.items():
        assert GET in [method for method, _url, _expected in rows], f"{name}: no GET row"
        for _method, _url, expected in rows:
            assert len(expected.split()) == len(COLUMNS), f"{name}: one outcome per column"


@pytest.mark.parametrize("persona", COLUMNS)
def test_each_person_opens_exactly_what_the_matrix_says(everything, persona):
    column = COLUMNS.index(persona)
    wrong = []
    session = logged_in(Client(), everything, persona)
    for name, rows in MATRIX.items():
        for method, url_of, expected in rows:
            # Logging out must not log the following rows out.
            logging_out = name == "portal:logout"
            client = logged_in(Client(), everything, persona) if logging_out else session
            url = url_of(everything)
            response = client.get(url) if method == GET else client.post(url, {})
            want = expected.split()[column]
            if outcome(response) != want:
                wrong.append(f"{method} {url} ({name}): {outcome(response)}, expected {want}")
    assert not wrong, "\n".join(wrong)
