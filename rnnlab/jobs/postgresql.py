"""The run store on a PostgreSQL server: the PostgreSQL half of rnnlab.jobs.database.

rnnlab.jobs.database says what differs between the two databases and why writers take turns;
this module is imported only when RNNLAB_DATABASE_URL is set (database.open_database), so psycopg
stays out of a lab on one machine. Connections come from this process's pool
(rnnlab.jobs.pool), rows read like sqlite3.Row, and the store's `?` placeholders become psycopg's.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg.conninfo import conninfo_to_dict

from rnnlab.jobs.pool import pool_of
from rnnlab.jobs.store_error import StoreError


class Row(tuple):
    """A PostgreSQL row read by position (row[0]), by name (row["id"]) or whole (dict(row)),
    as sqlite3.Row is, so the store's code reads rows of both alike."""

    def __new__(cls, values, positions: dict[str, int]):
        row = super().__new__(cls, values)
        row.positions = positions
        return row

    def __getitem__(self, key):
        return super().__getitem__(self.positions[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.positions)


def _row_factory(cursor: psycopg.Cursor):
    positions = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, positions)


class PostgresConnection:
    """A psycopg connection that takes the store's SQL as written: `?` placeholders."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    @staticmethod
    def _placeholders(sql: str) -> str:
        # psycopg's placeholder is %s, so a literal % must be doubled first. The store's SQL
        # has no ? inside a string literal, so every ? is a parameter.
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, parameters=()) -> psycopg.Cursor:
        return self.conn.execute(self._placeholders(sql), parameters)

    def executemany(self, sql: str, rows) -> psycopg.Cursor:
        cursor = self.conn.cursor()
        cursor.executemany(self._placeholders(sql), rows)
        return cursor


class PostgreSQL:
    """The store on a PostgreSQL server, at a libpq URL such as
    postgresql://rnnlab:PASSWORD@db-host:5432/rnnlab (`?options=-csearch_path%3Dname` puts its
    tables in schema `name`)."""

    dialect = "postgresql"
    integrity_error = psycopg.IntegrityError  # a name already in use where it must be unique
    _ADVISORY_LOCK = "SELECT pg_advisory_xact_lock(hashtext('rnnlab ' || current_schema()))"

    def __init__(self, url: str):
        try:
            parts = conninfo_to_dict(url)
        except psycopg.ProgrammingError:
            raise StoreError("RNNLAB_DATABASE_URL is not a PostgreSQL address. Write it as "
                             "postgresql://USER:PASSWORD@HOST:5432/DATABASE.") from None
        self.url = url
        self.password = parts.get("password")
        self.host = parts.get("host") or "localhost"
        self.port = parts.get("port") or "5432"
        self.dbname = parts.get("dbname") or parts.get("user") or "postgres"

    def __str__(self) -> str:
        return f"the PostgreSQL database {self.dbname} on {self.host}:{self.port}"

    @contextmanager
    def connect(self, write: bool = False) -> Iterator[PostgresConnection]:
        """A connection of this process's pool; with write=True, one transaction under the
        writers' lock (committed on success, rolled back on any error).

        Raises:
            StoreError: the server cannot be reached or refuses the connection.
        """
        # No server-side prepared statements (prepare_threshold=None): a pooled connection
        # lives long, and a plan prepared before another process migrated the tables would
        # fail with "cached plan must not change result type".
        pool = pool_of(self.url, lambda: psycopg.connect(
            self.url, autocommit=True, connect_timeout=10, prepare_threshold=None,
            row_factory=_row_factory))
        with self.refusals():
            conn = pool.take()
        try:
            wrapped = PostgresConnection(conn)
            if not write:
                yield wrapped
                return
            conn.execute("BEGIN")
            try:
                conn.execute(self._ADVISORY_LOCK)  # writers take turns: check-then-act is atomic
                yield wrapped
                conn.execute("COMMIT")
            except BaseException:
                if not conn.broken:
                    conn.execute("ROLLBACK")
                raise
        finally:
            pool.give_back(conn)

    @contextmanager
    def migrating(self) -> Iterator[PostgresConnection]:
        """One write transaction for the migrations (PostgreSQL's DDL is transactional, so a
        failed migration leaves nothing half done), with the version table made if new."""
        with self.connect(write=True) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                conn.execute("INSERT INTO schema_version (version) VALUES (0)")
            yield conn

    def read_version(self) -> int:
        """The schema version (0 for a database or schema the lab has not used yet)."""
        with self.connect() as conn:
            if conn.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
                return 0
            return self.version(conn)

    @staticmethod
    def version(conn: PostgresConnection) -> int:
        row = conn.execute("SELECT version FROM schema_version").fetchone()
        return row[0] if row else 0

    @staticmethod
    def set_version(conn: PostgresConnection, number: int) -> None:
        conn.execute("UPDATE schema_version SET version = ?", (number,))

    @staticmethod
    def translate(statement: str) -> str:
        """A migration's SQL, written for SQLite, for PostgreSQL: identity ids, 8-byte integers
        (ids and counts outgrow 4 bytes in a long-lived class) and 8-byte floats for times."""
        statement = statement.replace("INTEGER PRIMARY KEY AUTOINCREMENT",
                                      "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
        statement = re.sub(r"\bINTEGER\b", "BIGINT", statement)
        return re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement)

    @contextmanager
    def refusals(self) -> Iterator[None]:
        """Turn "cannot connect" (no server, wrong password, no such database) into a
        StoreError naming the server and database; the password is never repeated."""
        try:
            yield
        except psycopg.OperationalError as err:
            # libpq's words, without what the message says already (which server, which port).
            reason = " ".join(str(err).split()).removeprefix("connection failed: ")
            reason = re.sub(r'^connection to server at "[^"]*"( \([^)]*\))?, port \d+ failed: '
                            r"(FATAL: )?", "", reason)
            if self.password:
                reason = reason.replace(self.password, "***")
            raise StoreError(
                f"The run store, {self}, could not be opened ({reason}). Check that the server "
                "is running there and that RNNLAB_DATABASE_URL names its host, port, database, "
                "user and password.") from None

    def refusal(self, reason: str) -> str:
        return (f"The run store, {self}, is not a database this version of RNN Lab can read "
                f"({reason}). Point RNNLAB_DATABASE_URL at another database or schema; it was "
                "not changed.")

    def integrity_ok(self) -> bool:
        """PostgreSQL keeps its own files consistent (a killed client loses only its
        uncommitted transaction) and has no whole-database check like SQLite's without an
        extension, so this checks what the lab relies on: every curve and trial row belongs to
        a run that exists."""
        with self.connect() as conn:
            return conn.execute(
                "SELECT (SELECT COUNT(*) FROM metrics WHERE run_id NOT IN (SELECT id FROM runs)) "
                "+ (SELECT COUNT(*) FROM trials WHERE run_id NOT IN (SELECT id FROM runs))"
            ).fetchone()[0] == 0
