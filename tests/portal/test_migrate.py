"""`migrate` on an empty database, as an operator runs it: no error, no traceback."""

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from portal.settings import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def manage(database_url: str, *args: str) -> str:
    """Output of manage.py in a production environment (the page cache on, DEBUG off)."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG"}}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(40),
        CACHE_URL="db://",
        PUBLIC_CACHE_SECONDS="300",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args, *(["--noinput"] if args[0] == "migrate" else [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.fixture
def empty_database(tmp_path):
    """(URL, query function) of a new, empty database of the kind the suite runs on."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"

        def query(sql: str) -> list:
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return
    # Named after the suite's own database (e.g. passerelles_ci_fresh_migrate), on its server.
    params = database_from_url(os.environ["DATABASE_URL"])
    name = f"{params['NAME']}_fresh_migrate"
    server = {
        "user": params["USER"],
        "password": params["PASSWORD"],
        "host": params["HOST"],
        "port": params["PORT"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    connection_string = psycopg.conninfo.make_conninfo(dbname=name, **server)

    def query(sql: str) -> list:
        with psycopg.connect(connection_string) as db:
            return db.execute(sql).fetchall()

    try:
        yield os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}", query
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize(
    "commands",
    [["migrate"], ["createcachetable", "migrate"], ["migrate", "createcachetable"]],
    ids=["migrate-alone", "cache-table-first", "cache-table-after"],
)
def test_migrate_on_an_empty_database_logs_no_error(empty_database, commands):
    url, query = empty_database
    output = "".join(manage(url, command) for command in commands)
    assert "Traceback" not in output
    assert "ERROR" not in output
    assert "does not exist" not in output and "no such table" not in output
    # The seeded sectors are there, and the public pages' version was set once at the end.
    assert query("SELECT count(*) FROM services_directory_sector")[0][0] > 0
    assert query("SELECT cache_key FROM passerelles_cache") == [(":1:public-pages:version",)]
