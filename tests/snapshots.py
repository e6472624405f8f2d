"""Expensive data built once per test process, then put back in a fraction of a second.

`load_demo` takes 6 to 10 seconds; about twenty tests (and as many browser tests) start from
the demo territory. The first of them in a process runs the loader for real, then every
table's rows are copied (COPY on PostgreSQL, SELECT on SQLite); the next ones empty the
tables and write the copy back (about 0.3 s): the same rows with the same ids, exactly what
the loader left, whatever the loader does.

A copy is only put back over the tables it was taken from: the row count of each model's
table before the first load is kept, and a test that starts from other rows (a fixture that
created some first) runs the loader itself, as before. The cache table is copied but not
counted: the browser tests' flush leaves it (it is no model's), so it grows from one test
to the next; the loader moves the public pages' version on, so what it held before is
never read again either way.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

# Written by `migrate` only: the same in every test of the process.
NOT_COPIED = {"django_migrations"}


@dataclass
class Snapshot:
    counts_before: dict[str, int]
    rows: dict[str, object]  # table → COPY data (PostgreSQL) or (columns, rows) (SQLite)


_snapshots: dict[str, Snapshot] = {}


def build_once(key: str, build: Callable[[], None]) -> None:
    """Leaves the database as `build()` would, running it only once per process and key."""
    tables = _tables()
    counts = _counts(sorted(connection.introspection.django_table_names(only_existing=True)))
    snapshot = _snapshots.get(key)
    if snapshot is not None and snapshot.counts_before == counts:
        _restore(snapshot)
        return
    build()
    if snapshot is None:
        _snapshots[key] = Snapshot(counts_before=counts, rows=_read(tables))


def _tables() -> list[str]:
    names = connection.introspection.table_names(include_views=False)
    return sorted(name for name in names if name not in NOT_COPIED)


def _counts(tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {quote(table)}" for index, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        by_index = dict(cursor.fetchall())
    return {table: by_index[index] for index, table in enumerate(tables)}


def _read(tables: list[str]) -> dict[str, object]:
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                    rows[table] = b"".join(bytes(block) for block in copy)
            else:
                columns = [
                    column.name
                    for column in connection.introspection.get_table_description(cursor, table)
                ]
                # `+column` is the stored value itself, but an expression: Django's
                # converters (by declared type: bool, date, time…) leave it as stored.
                selected = ", ".join(f"+{quote(column)}" for column in columns)
                cursor.execute(f"SELECT {selected} FROM {quote(table)}")
                rows[table] = (columns, cursor.fetchall())
    return rows


def _restore(snapshot: Snapshot) -> None:
    quote = connection.ops.quote_name
    tables = list(snapshot.rows)
    # One transaction (a savepoint inside a test's own): the foreign keys, deferred, are
    # checked once every table is back.
    with transaction.atomic(), connection.cursor() as cursor:
        # DELETE rather than TRUNCATE: quicker on tables of a few rows, and allowed after
        # the test's own writes (deferred foreign-key checks pending).
        deletes = [f"DELETE FROM {quote(table)}" for table in tables]
        if connection.vendor == "postgresql":
            cursor.execute(";\n".join(deletes))
        else:  # sqlite3 runs one statement per call
            for delete in deletes:
                cursor.execute(delete)
        if connection.vendor == "postgresql":
            for table, data in snapshot.rows.items():
                if data:
                    with cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(data)
            # The sequences past the restored ids, or the test's first new row collides.
            models = apps.get_models(include_auto_created=True)
            statements = connection.ops.sequence_reset_sql(no_style(), models)
            if statements:
                cursor.execute(";\n".join(statements))
        else:
            for table, (columns, rows) in snapshot.rows.items():
                if rows:
                    names = ", ".join(quote(column) for column in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows
                    )
