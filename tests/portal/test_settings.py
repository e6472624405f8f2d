"""DATABASE_URL, CACHE_URL and the logging variables, as portal/settings.py reads them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import cache_from_url, database_from_url

ROOT = Path(__file__).resolve().parents[2]


def test_a_unix_socket_host_is_unquoted():
    config = database_from_url("postgres://u:p%40ss@%2Fvar%2Frun%2Fpostgresql/passerelles")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "/var/run/postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("passerelles", "u", "p@ss")


def test_postgres_gets_our_options_and_keeps_the_urls():
    config = database_from_url("postgresql://u@db.internal:6432/passerelles?sslmode=require")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "6432")
    assert config["OPTIONS"] == {
        "sslmode": "require",
        "options": "-c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1",
    }
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] == 60
    # An explicit `options` in the URL wins over ours.
    config = database_from_url("postgres://u@h/db?options=-c%20statement_timeout%3D5000")
    assert config["OPTIONS"]["options"] == "-c statement_timeout=5000"


def test_sqlite_writers_queue_at_begin():
    config = database_from_url("sqlite:////tmp/passerelles.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/passerelles.sqlite3"
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}
    assert database_from_url("sqlite:///db.sqlite3")["NAME"] == "db.sqlite3"


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "oracle://u@h/db", "nonsense://x", "postgres://u@h:port/db"]
)
def test_an_unsupported_database_url_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_cache_urls():
    assert cache_from_url("db://") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "passerelles_cache",
    }
    assert cache_from_url("redis://:secret@cache.internal:6379/2") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:secret@cache.internal:6379/2",
    }
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1:11211")


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="1", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("name", "value"), [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "loud"), ("LOG_REQUESTS", "maybe")]
)
def test_a_bad_logging_variable_stops_the_start(name, value):
    result = _python("import django; django.setup()", **{name: value})
    assert result.returncode == 1
    assert f"ImproperlyConfigured: {name} must be" in result.stderr


def test_log_format_json_writes_one_json_object_per_line():
    result = _python(
        "import django, logging; django.setup(); "
        "logging.getLogger('passerelles.jobs').warning('one %s', 'line', extra={'job': 'x'})",
        LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip())
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "passerelles.jobs"
    assert entry["message"] == "one line"
    assert entry["job"] == "x"


@pytest.mark.django_db
def test_postgresql_prices_an_index_read_as_memory():
    """The search reads its GIN index rather than every document (portal/settings.py)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
