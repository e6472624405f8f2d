"""Every form any persona can see, filled with whatever hypothesis can think of: never a 5xx.

The forms are found by crawling, so a new form is fuzzed without editing this file.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import logged_in, start_urls
from tests.security.crawl import crawl, parse

EXAMPLES_PER_FORM = 10
# Logging out ends the crawl's session; login attempts lock accounts (tested apart).
NOT_FUZZED = ("/deconnexion/", "/connexion/")

awkward_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "0",
            "-1",
            "99999999999999999999",
            "1e309",
            "NaN",
            "2025-02-30",
            "31/12/1899",
            "../../etc/passwd",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "é" * 5000,
            "inconnu",
        ]
    ),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
)


def field_values(fields) -> st.SearchStrategy:
    """The values the page offers (options, radio and checkbox values) or anything."""
    offered = {value for field in fields for value in [*field.options, field.attrs.get("value")]}
    known = sorted(value for value in offered if value)
    if known:
        return st.one_of(st.sampled_from(known), awkward_text)
    return awkward_text


def form_data(form) -> st.SearchStrategy:
    """A dict of field name → value; any field may be missing or sent twice."""
    by_name = {}
    for field in form["fields"]:
        by_name.setdefault(field.name, []).append(field)
    strategies = {
        name: st.one_of(
            st.none(),
            field_values(fields),
            st.lists(field_values(fields), min_size=2, max_size=3),
        )
        for name, fields in by_name.items()
    }
    return st.fixed_dictionaries(strategies).map(
        lambda data: {name: value for name, value in data.items() if value is not None}
    )


def forms_seen(client, starts) -> list[tuple[str, dict]]:
    """(page URL, form) for each distinct form (by method and action) the crawl met."""
    found, keys = [], set()
    for url, response in crawl(client, starts, by="route", per=1).items():
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for form in parse(response.content.decode()).forms:
            action = urlsplit(urljoin(url, form["action"] or url)).path
            key = (form["method"], action)
            if action.startswith(NOT_FUZZED) or key in keys or not form["fields"]:
                continue
            keys.add(key)
            found.append((action, form))
    return found


def fuzz(client, action: str, form: dict) -> None:
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=form_data(form))
    def submit(data):
        if form["method"] == "post":
            response = client.post(action, data)
        else:
            response = client.get(action, data)
        assert response.status_code < 500, f"{form['method'].upper()} {action} {data!r}"

    submit()


@pytest.fixture(scope="module")
def fuzzed() -> set:
    """Forms already fuzzed in this module: the search forms every persona sees, once."""
    return set()


@pytest.mark.parametrize("persona", ["anonymous", "adviser_a", "partner_staff", "coordinator"])
def test_no_form_answers_a_server_error(client, everything, persona, fuzzed):
    client = logged_in(client, everything, persona)
    forms = forms_seen(client, start_urls(everything))
    assert forms, f"no form found as {persona}"
    for action, form in forms:
        if (form["method"], action) in fuzzed:
            continue
        fuzz(client, action, form)
        fuzzed.add((form["method"], action))
