"""Playwright driving Debian's Chromium against pytest-django's live server.

One browser for the session, a fresh context (cookies, storage) per test. Every
page is watched: a Content-Security-Policy violation or a JavaScript error fails
the test, so a page that only works with an inline script cannot pass.
"""

import os
from pathlib import Path

import pytest
from django.test import override_settings

from portal import caching

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# An offline machine: no first-run, no background traffic, no QUIC probing.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def migrations_data(django_db_setup):
    """What the migrations seed (sectors, needs, life moments), serialized by Django
    when the test database was created, read before Playwright starts."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


def hand_over(migrations_data) -> None:
    """Under Playwright the test code gets its own database connection object (its
    greenlet has its own context), on which Django would not find the serialized
    rows to restore: hand them over."""
    from django.db import connection

    if migrations_data is not None:
        connection._test_serialized_contents = migrations_data


@pytest.fixture(scope="session")
def browser(migrations_data):
    if not CHROMIUM.exists():
        message = (
            f"Chromium is missing at {CHROMIUM}: the browser tests need it "
            "(apt-get install -y chromium)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message + " Skipped outside CI.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls
    # the tests make are still plain synchronous calls. Only while the browser runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            hand_over(migrations_data)
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def hand_over_migrations_data(migrations_data):
    hand_over(migrations_data)


@pytest.fixture
def empty_tables(django_db_setup, django_db_blocker):
    """Another module's transactional test may have emptied the tables and let
    post_migrate recreate the content types: restoring the seeded rows over them
    would collide. Start from empty tables, as after one of our own tests."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


@pytest.fixture
def transactional_db(empty_tables, _django_db_helper):
    """pytest-django's, on empty tables (the live server asks for it first)."""


@pytest.fixture(autouse=True)
def seeded_data(hand_over_migrations_data, django_db_serialized_rollback):
    """Each test starts with the seeded rows: a live server's test empties the tables.

    The rows come back with their ids but PostgreSQL's sequences stay where the flush
    put them (1): set them past the restored rows, or the test's first new sector
    would collide with a seeded one."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor == "postgresql":
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def public_cache_on():
    # The browser sees the portal as in production: anonymous pages come from the cache.
    # The live server shares this process, so its in-memory copy starts empty each time.
    caching.local.clear()
    with override_settings(PUBLIC_CACHE_SECONDS=300):
        yield
    caching.local.clear()


class PageProblems:
    """What the browser reported while the test ran: CSP violations, script errors."""

    def __init__(self):
        self.items: list[str] = []

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.items.append(f"JavaScript error: {error}"))
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.items.append(f"CSP: {text}")


def _new_page(browser, live_server, *, javascript: bool, width: int, height: int):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": width, "height": height},
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    problems = PageProblems()
    page = context.new_page()
    problems.watch(page)
    return context, page, problems


@pytest.fixture
def page(browser, live_server):
    context, page, problems = _new_page(
        browser, live_server, javascript=True, width=1280, height=900
    )
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


@pytest.fixture
def nojs_page(browser, live_server):
    context, page, problems = _new_page(
        browser, live_server, javascript=False, width=1280, height=900
    )
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)


@pytest.fixture
def phone_page(browser, live_server):
    """The smallest phone people still use: 320 CSS pixels wide."""
    context, page, problems = _new_page(
        browser, live_server, javascript=True, width=320, height=640
    )
    yield page
    context.close()
    assert not problems.items, "\n".join(problems.items)
