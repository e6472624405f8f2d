import pytest

from tests.personas import world  # noqa: F401  (the named personas, as a fixture)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Logins in these tests check a known password: a fast hasher keeps them quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
