"""Who may do what: every URL of the portal × every kind of person × GET and each POST.

One row per request a person can make: the URL of one of the world's objects, the method,
a *valid* body for a POST (so that "allowed" means the action was carried out, not that a
form was shown again), and the precise outcome for each persona, in PERSONAS' order:

    200 / 400 / 403 / 404 / 405   the status
    →name                          a redirect to that named URL (→login: the portal's
                                   login page, →admin: the admin's)

Each request runs in a savepoint rolled back afterwards: a row sees the world as built,
whatever the rows before it did. A new URL pattern without a row fails
`test_every_url_pattern_has_its_rows`; removing any access check makes a row fail.
"""

import datetime as dt
import uuid
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from services_directory.models import GroupSession, ItinerantStop
from tests.forms import form_as_shown
from tests.personas import PASSWORD, PERSONAS
from tests.security.crawl import project_routes

GET, POST = "GET", "POST"
#           anon fam   A      B      P      Q      none   coord  admin
EVERYONE = "200 200 200 200 200 200 200 200 200"
NOBODY = "405 405 405 405 405 405 405 405 405"
# Those who orient visitors: advisers, and partners' staff too (they record the passerelles).
COUNTER = "→login →login 200 200 200 200 403 403 403"
COORDINATION = "→login →login 403 403 403 403 403 200 200"
ADMIN_SITE = "→admin →admin →admin →admin →admin →admin →admin 200 200"


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        name = resolve(urlsplit(response["Location"]).path).view_name
        return {"portal:login": "→login", "admin:login": "→admin"}.get(name, f"→{name}")
    return str(response.status_code)


def _referral_url(name):
    return lambda w: reverse(name, args=[w.referral.pk])


def _pathway_url(name):
    return lambda w: reverse(name, args=[w.pathway.slug])


def _new_referral(w) -> dict:
    return {
        "idempotency_key": str(uuid.uuid4()),
        "services": [w.service.pk],
        "needs": [w.need.pk],
        "origin": "france_services",
        "kind": "orientation",
        "situation": "autre",
    }


def _follow_up_url(w, persona):
    # The family holds the printed link; an anonymous visitor can only guess one.
    token = "jeton-invente" if persona == "anonymous" else w.token
    return reverse("orientations:follow_up", args=[token])


def _follow_up_callback_url(w, persona):
    token = "jeton-invente" if persona == "anonymous" else w.token
    return reverse("orientations:follow_up_callback", args=[token])


REPORTED = " ".join(["→services_directory:service"] * 9)
SHEET = "→login →login 404 404 200 404 403 403 403"
SHEET_SAVED = "→login →login 404 404 →services_directory:my_services 404 403 403 403"


def _sheet_url_of(name):
    return lambda w: reverse(name, args=[w.service.pk])


_sheet_url = _sheet_url_of("services_directory:sheet")


def _sheet_as_shown(w) -> dict:
    """The sheet's form posted as its page shows it (the receiving partner's staff)."""
    client = Client()
    client.force_login(w.partner_staff)
    url = _sheet_url(w)
    return form_as_shown(client.get(url).text, action=url)


def _sheet_link_of(name):
    return lambda w: reverse(name, args=[w.sheet_token])


def _sheet_link_as_shown(w) -> dict:
    url = _sheet_link_of("services_directory:sheet_link")(w)
    return form_as_shown(Client().get(url).text, action=url)


def _report_url(w):
    return reverse("services_directory:report_error", args=[w.service.slug])


def _session_of(w):
    """A collective session to come of the world's service."""
    return GroupSession.objects.get_or_create(
        service=w.service,
        topic="Atelier",
        defaults={
            "date": timezone.localdate() + dt.timedelta(days=3),
            "start_time": dt.time(14),
            "end_time": dt.time(16),
        },
    )[0]


def _stop_ics_url(w):
    """The calendar file of a dated stop to come of the world's service."""
    day = timezone.localdate() + dt.timedelta(days=3)
    stop = ItinerantStop.objects.get_or_create(
        service=w.service,
        place=w.service.nearest_place(None).place,
        date=day,
        defaults={"start_time": dt.time(9), "end_time": dt.time(12)},
    )[0]
    return reverse("services_directory:stop_ics", args=[w.service.slug, stop.pk, day.isoformat()])


# name → [(method, url(world[, persona]), body(world) or None, outcomes)]
MATRIX = {
    # --- portal
    "portal:home": [(GET, lambda w: "/", None, EVERYONE)],
    "portal:legal_notice": [(GET, lambda w: reverse("portal:legal_notice"), None, EVERYONE)],
    "portal:accessibility": [(GET, lambda w: reverse("portal:accessibility"), None, EVERYONE)],
    "portal:personal_data": [(GET, lambda w: reverse("portal:personal_data"), None, EVERYONE)],
    "portal:healthz": [(GET, lambda w: reverse("portal:healthz"), None, EVERYONE)],
    "portal:login": [
        (
            GET,
            lambda w: reverse("portal:login"),
            None,
            "200 200 →orientations:staff_home →orientations:staff_home →orientations:staff_home "
            "→orientations:staff_home →orientations:staff_home →orientations:staff_home "
            "→orientations:staff_home",
        ),
        (
            POST,
            lambda w: reverse("portal:login"),
            lambda w: {"username": w.adviser_a.username, "password": PASSWORD},
            " ".join(["→orientations:staff_home"] * 9),
        ),
    ],
    "portal:logout": [
        (GET, lambda w: reverse("portal:logout"), None, NOBODY),
        (POST, lambda w: reverse("portal:logout"), lambda w: {}, " ".join(["→portal:home"] * 9)),
    ],
    # --- the directory
    "services_directory:search": [
        (GET, lambda w: reverse("services_directory:search") + "?q=relais", None, EVERYONE)
    ],
    "services_directory:service": [(GET, lambda w: w.service.get_absolute_url(), None, EVERYONE)],
    "services_directory:partner": [
        (GET, lambda w: w.partner_c.get_absolute_url(), None, EVERYONE)
    ],
    # Open data (data·inclusion v1) and the widget other sites frame.
    # « Signaler une erreur », and the calendar files of a session and of a stop.
    "services_directory:report_error": [
        (GET, _report_url, None, EVERYONE),
        (POST, _report_url, lambda w: {"topic": "hours", "comment": ""}, REPORTED),
    ],
    "services_directory:session_ics": [
        (GET, lambda w: _session_of(w).get_ics_url(), None, EVERYONE)
    ],
    "services_directory:stop_ics": [(GET, _stop_ics_url, None, EVERYONE)],
    "services_directory:open_data": [
        (GET, lambda w: reverse("services_directory:open_data"), None, EVERYONE)
    ],
    "services_directory:open_data_file": [
        (
            GET,
            lambda w: reverse("services_directory:open_data_file", args=["services", "json"]),
            None,
            EVERYONE,
        )
    ],
    "services_directory:widget": [
        (GET, lambda w: reverse("services_directory:widget"), None, EVERYONE)
    ],
    # A partner's own sheets: its staff (the world's service is partner_staff's structure's,
    # partner C's); advisers keep their own structure's.
    "services_directory:my_services": [
        (
            GET,
            lambda w: reverse("services_directory:my_services"),
            None,
            "→login →login 200 200 200 200 403 403 403",
        )
    ],
    "services_directory:sheet": [
        (GET, _sheet_url, None, SHEET),
        (POST, _sheet_url, _sheet_as_shown, SHEET_SAVED),
    ],
    "services_directory:sheet_confirm": [
        (GET, _sheet_url_of("services_directory:sheet_confirm"), None, NOBODY),
        (
            POST,
            _sheet_url_of("services_directory:sheet_confirm"),
            lambda w: {},
            SHEET_SAVED,
        ),
    ],
    # The signed link of a freshness request opens that one sheet to whoever holds it.
    "services_directory:sheet_link": [
        (GET, _sheet_link_of("services_directory:sheet_link"), None, EVERYONE),
        (POST, _sheet_link_of("services_directory:sheet_link"), _sheet_link_as_shown, EVERYONE),
    ],
    "services_directory:sheet_link_confirm": [
        (GET, _sheet_link_of("services_directory:sheet_link_confirm"), None, NOBODY),
        (POST, _sheet_link_of("services_directory:sheet_link_confirm"), lambda w: {}, EVERYONE),
    ],
    # --- pathways
    "pathways:list": [(GET, lambda w: reverse("pathways:list"), None, EVERYONE)],
    "pathways:detail": [(GET, lambda w: w.pathway.get_absolute_url(), None, EVERYONE)],
    "pathways:seen": [(GET, _pathway_url("pathways:seen"), None, EVERYONE)],
    "pathways:print": [(GET, _pathway_url("pathways:print"), None, EVERYONE)],
    "pathways:feedback": [
        (GET, _pathway_url("pathways:feedback"), None, NOBODY),
        (
            POST,
            _pathway_url("pathways:feedback"),
            lambda w: {"answer": "yes"},
            " ".join(["→pathways:detail"] * 9),
        ),
    ],
    "pathways:preview": [
        (GET, _pathway_url("pathways:preview"), None, "→admin →admin 403 403 403 403 403 200 200")
    ],
    "pathways:orient": [(GET, lambda w: reverse("pathways:orient"), None, EVERYONE)],
    # --- the professionals' space
    "orientations:staff_home": [
        (
            GET,
            lambda w: reverse("orientations:staff_home"),
            None,
            "→login →login →orientations:counter →orientations:counter →orientations:inbox "
            "→orientations:inbox 403 →indicators:dashboard →admin:index",
        )
    ],
    "orientations:referral": [
        (
            GET,
            _referral_url("orientations:referral"),
            None,
            "→login →login 200 404 200 404 403 200 200",
        )
    ],
    "orientations:referral_move": [
        (GET, _referral_url("orientations:referral_move"), None, NOBODY),
        # A move of the receiving partner's (the world's orientation is « acceptée »).
        (
            POST,
            _referral_url("orientations:referral_move"),
            lambda w: {"status": "prise_en_charge"},
            "→login →login 403 404 →orientations:referral 404 403 403 403",
        ),
        # A move of the sender's.
        (
            POST,
            _referral_url("orientations:referral_move"),
            lambda w: {"status": "sans_suite", "reason": "renonce"},
            "→login →login →orientations:referral 404 403 404 403 403 403",
        ),
    ],
    "orientations:referral_answer": [
        (GET, _referral_url("orientations:referral_answer"), None, NOBODY),
        (
            POST,
            _referral_url("orientations:referral_answer"),
            lambda w: {"received": "oui"},
            "→login →login →orientations:referral 404 403 404 403 403 403",
        ),
    ],
    "orientations:referral_callback_done": [
        (GET, _referral_url("orientations:referral_callback_done"), None, NOBODY),
        (
            POST,
            _referral_url("orientations:referral_callback_done"),
            lambda w: {},
            "→login →login →orientations:referral 404 403 404 403 403 403",
        ),
    ],
    # --- the counter
    "orientations:counter": [
        (GET, lambda w: reverse("orientations:counter") + "?q=relais", None, COUNTER)
    ],
    "orientations:referral_new": [
        (
            GET,
            lambda w: reverse("orientations:referral_new") + f"?service={w.service.pk}",
            None,
            COUNTER,
        ),
        (
            POST,
            lambda w: reverse("orientations:referral_new"),
            _new_referral,
            "→login →login →orientations:handout →orientations:handout →orientations:handout "
            "→orientations:handout 403 403 403",
        ),
    ],
    "orientations:unmet_need_new": [
        (GET, lambda w: reverse("orientations:unmet_need_new"), None, COUNTER),
        (
            POST,
            lambda w: reverse("orientations:unmet_need_new"),
            lambda w: {
                "idempotency_key": str(uuid.uuid4()),
                "need": w.need.pk,
                "reason": "trop_loin",
            },
            "→login →login →orientations:counter →orientations:counter →orientations:counter "
            "→orientations:counter 403 403 403",
        ),
    ],
    # The visit basket: several needs, one sheet.
    "orientations:visit_add": [
        (GET, lambda w: reverse("orientations:visit_add"), None, NOBODY),
        (
            POST,
            lambda w: reverse("orientations:visit_add"),
            lambda w: {"service": w.service.pk, "q": "relais"},
            "→login →login " + " ".join(["→orientations:counter"] * 4) + " 403 403 403",
        ),
    ],
    "orientations:visit_remove": [
        (GET, lambda w: reverse("orientations:visit_remove"), None, NOBODY),
        (
            POST,
            lambda w: reverse("orientations:visit_remove"),
            lambda w: {"service": "tout"},
            "→login →login " + " ".join(["→orientations:counter"] * 4) + " 403 403 403",
        ),
    ],
    "orientations:adviser_referrals": [
        (GET, lambda w: reverse("orientations:adviser_referrals"), None, COUNTER)
    ],
    "orientations:handout": [
        (
            GET,
            lambda w: reverse("orientations:handout", args=[w.referral.batch]),
            None,
            "→login →login 200 404 404 404 403 403 403",
        )
    ],
    "orientations:handout_send": [
        (
            GET,
            lambda w: reverse("orientations:handout_send", args=[w.referral.batch]),
            None,
            NOBODY,
        ),
        (
            POST,
            lambda w: reverse("orientations:handout_send", args=[w.referral.batch]),
            lambda w: {"email": "famille@example.org"},
            "→login →login →orientations:handout 404 404 404 403 403 403",
        ),
    ],
    "orientations:handout_language": [
        (
            GET,
            lambda w: reverse("orientations:handout_language", args=[w.referral.batch]),
            None,
            NOBODY,
        ),
        (
            POST,
            lambda w: reverse("orientations:handout_language", args=[w.referral.batch]),
            lambda w: {"langue": "ar"},
            "→login →login →orientations:handout 404 404 404 403 403 403",
        ),
    ],
    # --- the receiving partner, and the family's link
    "orientations:inbox": [
        (
            GET,
            lambda w: reverse("orientations:inbox"),
            None,
            "→login →login 403 403 200 200 403 403 403",
        )
    ],
    "orientations:inbox_notify": [
        (GET, lambda w: reverse("orientations:inbox_notify"), None, NOBODY),
        (
            POST,
            lambda w: reverse("orientations:inbox_notify"),
            lambda w: {"notify": "digest"},
            "→login →login 403 403 →orientations:inbox →orientations:inbox 403 403 403",
        ),
    ],
    # The e-mailed answer link opens to whoever holds it, as a letter does; without its
    # signature (an altered one), to nobody.
    "orientations:answer_link": [
        (GET, lambda w: w.referral.answer_link_path(), None, EVERYONE),
        (
            POST,
            lambda w: w.referral.answer_link_path(),
            lambda w: {"answer": "pris_en_charge"},
            EVERYONE,
        ),
        (
            GET,
            lambda w: reverse("orientations:answer_link", args=[w.referral.pk, "x"]),
            None,
            " ".join(["404"] * 9),
        ),
    ],
    "orientations:follow_up": [
        (GET, _follow_up_url, None, "404 200 200 200 200 200 200 200 200"),
        (
            POST,
            _follow_up_url,
            lambda w: {"received": "pas_encore"},
            "404 " + " ".join(["→orientations:follow_up"] * 8),
        ),
    ],
    # « Rappelez-moi » from the family's page, for the orientation that failed.
    "orientations:follow_up_callback": [
        (
            GET,
            lambda w, p: reverse("orientations:follow_up_callback", args=[w.token]),
            None,
            NOBODY,
        ),
        (
            POST,
            _follow_up_callback_url,
            lambda w: {"orientation": w.referral.pk, "phone": "06 12 34 56 78"},
            "404 " + " ".join(["→orientations:follow_up"] * 8),
        ),
    ],
    # --- the evaluation
    "indicators:dashboard": [(GET, lambda w: reverse("indicators:dashboard"), None, COORDINATION)],
    "indicators:dashboard_export": [
        (GET, lambda w: reverse("indicators:dashboard_export", args=["csv"]), None, COORDINATION)
    ],
    "indicators:synthesis": [(GET, lambda w: reverse("indicators:synthesis"), None, COORDINATION)],
    "indicators:report": [(GET, lambda w: reverse("indicators:report"), None, COORDINATION)],
    "indicators:observatory": [
        (GET, lambda w: reverse("indicators:observatory"), None, COORDINATION)
    ],
    "indicators:observatory_export": [
        (
            GET,
            lambda w: reverse("indicators:observatory_export", args=["commune-secteur", "xlsx"]),
            None,
            COORDINATION,
        )
    ],
    "indicators:indicator": [
        (GET, lambda w: reverse("indicators:indicator", args=["sans-rupture"]), None, COORDINATION)
    ],
    "indicators:indicator_export": [
        (
            GET,
            lambda w: reverse(
                "indicators:indicator_export", args=["sans-rupture", "serie", "csv"]
            ),
            None,
            COORDINATION,
        )
    ],
    # The questionnaire is for those who orient and receive visitors.
    "indicators:survey": [
        (
            GET,
            lambda w: reverse("indicators:survey"),
            None,
            "→login →login 200 200 200 200 403 403 403",
        ),
        (
            POST,
            lambda w: reverse("indicators:survey"),
            lambda w: {"readability": "4", "coordination": "3"},
            "→login →login →indicators:survey →indicators:survey →indicators:survey "
            "→indicators:survey 403 403 403",
        ),
    ],
    # --- the admin: Django's URLs, with the coordination's limits
    "admin": [
        (GET, lambda w: reverse("admin:index"), None, ADMIN_SITE),
        (GET, lambda w: reverse("admin:auth_user_changelist"), None, ADMIN_SITE),
        # Nobody but an admin may open an admin's account (its password, its rights).
        (
            GET,
            lambda w: reverse("admin:auth_user_change", args=[w.admin.pk]),
            None,
            "→admin →admin →admin →admin →admin →admin →admin →admin:index 200",
        ),
        (
            GET,
            lambda w: reverse("admin:orientations_referral_change", args=[w.referral.pk]),
            None,
            ADMIN_SITE,
        ),
        (
            GET,
            lambda w: reverse("admin:services_directory_outgoingmessage_changelist"),
            None,
            ADMIN_SITE,
        ),
    ],
}


def _url(url_of, world, persona: str) -> str:
    takes_persona = url_of.__code__.co_argcount == 2
    return url_of(world, persona) if takes_persona else url_of(world)


def test_every_url_pattern_has_its_rows():
    routes = {route.name: route for route in project_routes()}
    assert routes.keys() - MATRIX.keys() == set(), "URL patterns without rows in the matrix"
    assert MATRIX.keys() - routes.keys() - {"admin"} == set(), "rows for URLs that are gone"
    for name, rows in MATRIX.items():
        methods = {method for method, _url, _body, _expected in rows}
        assert GET in methods, f"{name}: what does a GET do?"
        for method, _url, body, expected in rows:
            assert len(expected.split()) == len(PERSONAS), f"{name}: one outcome per persona"
            assert (body is None) == (method == GET), f"{name}: a POST needs a valid body"
        # A URL that only answers GET with 405 must say what a POST does.
        if all(e == NOBODY for m, _u, _b, e in rows if m == GET):
            assert POST in methods, f"{name}: POST-only, give it a POST row"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_gets_exactly_what_the_matrix_says(everything, persona):
    column = PERSONAS.index(persona)
    client = Client()
    if persona not in ("anonymous", "family"):
        client.force_login(getattr(everything, persona))
    wrong = []
    for name, rows in MATRIX.items():
        for method, url_of, body, expected in rows:
            url = _url(url_of, everything, persona)
            with transaction.atomic():
                response = client.get(url) if method == GET else client.post(url, body(everything))
                transaction.set_rollback(True)
            want = expected.split()[column]
            if _outcome(response) != want:
                wrong.append(f"{method} {url} ({name}): {_outcome(response)}, expected {want}")
            # Logging out or in changes the session: start again from this persona's.
            if name in ("portal:logout", "portal:login") and method == POST:
                client = Client()
                if persona not in ("anonymous", "family"):
                    client.force_login(getattr(everything, persona))
    assert not wrong, "\n".join(wrong)
