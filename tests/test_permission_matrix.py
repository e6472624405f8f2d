"""Every URL of the project × every persona → the expected status of a GET.

A new URL pattern without an entry in MATRIX fails `test_every_url_has_an_entry`:
add one line below. POST-only views answer 405 to a GET for everyone (no side effect on
GET); what they do on POST is tested in each app's own view tests.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pathways.models import Pathway
from tests.personas import PERSONAS, login_as, make_world
from tests.security.test_permission_matrix import session_of, stop_url_of

ANON, FAMILY, ADV_A, ADV_B, STAFF, COORD, ADMIN = PERSONAS


def everyone(status: int) -> dict:
    return dict.fromkeys(PERSONAS, status)


def logged_in(**statuses) -> dict:
    """Anonymous visitors (with or without a family link) are sent to the login page."""
    expected = {ANON: 302, FAMILY: 302, ADV_A: 403, ADV_B: 403, STAFF: 403, COORD: 403}
    expected[ADMIN] = 403
    return expected | statuses


ADVISERS_ONLY = logged_in(adviser_a=200, adviser_b=200)
PUBLIC = everyone(200)
POST_ONLY = everyone(405)


def _pathway(w):
    return w.pathway.slug


def _token(w, persona):
    # Only the family (and whoever holds its printed link) knows the real token.
    return w.token if persona != ANON else "jeton-invente"


# name → (function(world, persona) → path, {persona: expected status})
MATRIX = {
    # portal
    "portal:home": (lambda w, p: reverse("portal:home"), PUBLIC),
    "portal:legal_notice": (lambda w, p: reverse("portal:legal_notice"), PUBLIC),
    "portal:accessibility": (lambda w, p: reverse("portal:accessibility"), PUBLIC),
    "portal:personal_data": (lambda w, p: reverse("portal:personal_data"), PUBLIC),
    "portal:healthz": (lambda w, p: reverse("portal:healthz"), PUBLIC),
    "portal:login": (
        lambda w, p: reverse("portal:login"),
        everyone(302) | {ANON: 200, FAMILY: 200},
    ),
    "portal:logout": (lambda w, p: reverse("portal:logout"), POST_ONLY),
    # services_directory
    "services_directory:search": (lambda w, p: reverse("services_directory:search"), PUBLIC),
    "services_directory:service": (
        lambda w, p: reverse("services_directory:service", args=[w.service.slug]),
        PUBLIC,
    ),
    "services_directory:partner": (
        lambda w, p: reverse("services_directory:partner", args=[w.partner_c.slug]),
        PUBLIC,
    ),
    "services_directory:report_error": (
        lambda w, p: reverse("services_directory:report_error", args=[w.service.slug]),
        PUBLIC,
    ),
    "services_directory:session_ics": (lambda w, p: session_of(w).get_ics_url(), PUBLIC),
    "services_directory:stop_ics": (lambda w, p: stop_url_of(w), PUBLIC),
    # pathways
    "pathways:list": (lambda w, p: reverse("pathways:list"), PUBLIC),
    "pathways:detail": (lambda w, p: reverse("pathways:detail", args=[_pathway(w)]), PUBLIC),
    "pathways:seen": (lambda w, p: reverse("pathways:seen", args=[_pathway(w)]), PUBLIC),
    "pathways:print": (lambda w, p: reverse("pathways:print", args=[_pathway(w)]), PUBLIC),
    "pathways:feedback": (
        lambda w, p: reverse("pathways:feedback", args=[_pathway(w)]),
        POST_ONLY,
    ),
    "pathways:preview": (
        lambda w, p: reverse("pathways:preview", args=[_pathway(w)]),
        logged_in(**{COORD: 200, ADMIN: 200}),
    ),
    "pathways:orient": (lambda w, p: reverse("pathways:orient"), PUBLIC),
    # orientations
    "orientations:staff_home": (lambda w, p: reverse("orientations:staff_home"), everyone(302)),
    "orientations:counter": (lambda w, p: reverse("orientations:counter"), ADVISERS_ONLY),
    "orientations:referral_new": (
        lambda w, p: reverse("orientations:referral_new"),
        ADVISERS_ONLY,
    ),
    "orientations:unmet_need_new": (
        lambda w, p: reverse("orientations:unmet_need_new"),
        ADVISERS_ONLY,
    ),
    "orientations:adviser_referrals": (
        lambda w, p: reverse("orientations:adviser_referrals"),
        ADVISERS_ONLY,
    ),
    "orientations:referral": (
        lambda w, p: reverse("orientations:referral", args=[w.referral.pk]),
        logged_in(adviser_a=200, adviser_b=404, partner_staff=200, coordinator=200, admin=200),
    ),
    "orientations:referral_move": (
        lambda w, p: reverse("orientations:referral_move", args=[w.referral.pk]),
        POST_ONLY,
    ),
    "orientations:referral_answer": (
        lambda w, p: reverse("orientations:referral_answer", args=[w.referral.pk]),
        POST_ONLY,
    ),
    "orientations:handout": (
        lambda w, p: reverse("orientations:handout", args=[w.referral.batch]),
        logged_in(adviser_a=200, adviser_b=404),
    ),
    "orientations:handout_send": (
        lambda w, p: reverse("orientations:handout_send", args=[w.referral.batch]),
        POST_ONLY,
    ),
    "orientations:inbox": (
        lambda w, p: reverse("orientations:inbox"),
        logged_in(partner_staff=200),
    ),
    "orientations:follow_up": (
        lambda w, p: reverse("orientations:follow_up", args=[_token(w, p)]),
        everyone(200) | {ANON: 404},
    ),
    # indicators
    "indicators:dashboard": (
        lambda w, p: reverse("indicators:dashboard"),
        logged_in(coordinator=200, admin=200),
    ),
    "indicators:dashboard_export": (
        lambda w, p: reverse("indicators:dashboard_export", args=["csv"]),
        logged_in(coordinator=200, admin=200),
    ),
    "indicators:report": (
        lambda w, p: reverse("indicators:report"),
        logged_in(coordinator=200, admin=200),
    ),
    "indicators:observatory": (
        lambda w, p: reverse("indicators:observatory"),
        logged_in(coordinator=200, admin=200),
    ),
    "indicators:observatory_export": (
        lambda w, p: reverse("indicators:observatory_export", args=["par-besoin", "csv"]),
        logged_in(coordinator=200, admin=200),
    ),
    "indicators:indicator": (
        lambda w, p: reverse("indicators:indicator", args=["sans-rupture"]),
        logged_in(coordinator=200, admin=200),
    ),
    "indicators:indicator_export": (
        lambda w, p: reverse(
            "indicators:indicator_export", args=["sans-rupture", "evolution", "csv"]
        ),
        logged_in(coordinator=200, admin=200),
    ),
    "indicators:survey": (
        lambda w, p: reverse("indicators:survey"),
        logged_in(adviser_a=200, adviser_b=200, partner_staff=200),
    ),
    # The whole admin (every admin/… route): checked through its index.
    "admin/": (
        lambda w, p: reverse("admin:index"),
        everyone(302) | {COORD: 200, ADMIN: 200},
    ),
}


def project_urls():
    """(key, route) of every URL pattern: 'namespace:name', or 'admin/' for the admin."""

    def walk(resolver, prefix="", namespace=None):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                space = pattern.namespace
                if space and namespace:
                    space = f"{namespace}:{space}"
                yield from walk(pattern, route, space or namespace)
            elif isinstance(pattern, URLPattern):
                if route.startswith("admin/"):
                    yield "admin/", route
                elif namespace and pattern.name:
                    yield f"{namespace}:{pattern.name}", route
                else:
                    yield pattern.name or route, route

    return list(walk(get_resolver()))


def test_every_url_has_an_entry():
    missing = sorted({f"{key} ({route})" for key, route in project_urls() if key not in MATRIX})
    assert not missing, "Add these URLs to tests/test_permission_matrix.py: " + ", ".join(missing)


def test_no_entry_is_stale():
    keys = {key for key, _route in project_urls()}
    assert set(MATRIX) <= keys, f"Entries for URLs that no longer exist: {set(MATRIX) - keys}"


@pytest.fixture
def matrix_world(db):
    world = make_world()
    world.pathway = Pathway.objects.create(
        title="Faire garder son enfant",
        slug="faire-garder-son-enfant",
        summary="Trouver un mode de garde.",
        audience="Parents",
        status=Pathway.Status.PUBLISHED,
    )
    return world


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_each_persona_gets_the_expected_status(client, matrix_world, settings, key):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build, expected = MATRIX[key]
    assert set(expected) == set(PERSONAS), f"{key}: give a status for every persona"
    got = {}
    for persona in PERSONAS:
        client.logout()
        login_as(client, matrix_world, persona)
        got[persona] = client.get(build(matrix_world, persona)).status_code
    assert got == expected, key
