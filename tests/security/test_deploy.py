"""Production settings, read from the environment as an app server reads them."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import make_territory

ROOT = Path(__file__).resolve().parents[2]
SECURITY_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_ENGINE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


def production_env() -> dict:
    alphabet = string.ascii_letters + string.digits + "!#%&*+-=?@^_"
    # As an app server starts: nothing from the test run (the browser tests' async flag).
    ignored = {"PYTEST_VERSION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="passerelles.example.org",
        HTTPS="1",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:///unused.sqlite3"),
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    return env


@pytest.fixture(scope="module")
def production_settings() -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_host_only_and_https_only(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production_settings["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000


def test_an_https_visit_gets_hsts_and_host_prefixed_cookies(db, production_settings):
    make_territory()
    get_user_model().objects.create_user("coordinatrice", password="Une-phrase-longue-2025")
    overrides = {k: v for k, v in production_settings.items() if k != "DEBUG"}
    with override_settings(**overrides):
        client = Client()
        plain = client.get(reverse("portal:login"))
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")
        page = client.get(reverse("portal:login"), secure=True)
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["X-Frame-Options"] == "DENY"
        csrf = page.cookies["__Host-csrftoken"]
        assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
        logged_in = client.post(
            reverse("portal:login"),
            {"username": "coordinatrice", "password": "Une-phrase-longue-2025"},
            secure=True,
        )
        assert logged_in.status_code == 302
        session = logged_in.cookies["__Host-sessionid"]
        assert session["secure"] and session["httponly"] and session["path"] == "/"
        assert not session["domain"]


def test_sessions_live_in_the_database(client, db):
    get_user_model().objects.create_user("conseillere", password="Une-phrase-longue-2025")
    client.post(
        reverse("portal:login"), {"username": "conseillere", "password": "Une-phrase-longue-2025"}
    )
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("portal:logout"))
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize(
    "password",
    ["court", "12345678901234", "motdepasse", "password123", "conseillere2025"],
)
def test_weak_passwords_are_refused(db, password):
    user = get_user_model()(username="conseillere2025", email="conseillere@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_passphrase_is_accepted(db):
    user = get_user_model()(username="conseillere", email="conseillere@example.org")
    validate_password("cinq pommes vertes sous la pluie", user)


def test_login_is_locked_after_five_failures(client, db):
    """A smoke test: the counter's tests cover the lockout in detail."""
    get_user_model().objects.create_user("conseillere", password="Une-phrase-longue-2025")
    url = reverse("portal:login")
    for _ in range(5):
        client.post(url, {"username": "conseillere", "password": "devine"})
    locked = client.post(url, {"username": "conseillere", "password": "Une-phrase-longue-2025"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_fresh_checkout_can_check_its_migrations_without_a_secret_key(tmp_path):
    # makemigrations signs and serves nothing: it must not need the production key.
    env = production_env()
    del env["SECRET_KEY"]
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
