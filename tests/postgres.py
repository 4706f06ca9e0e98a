"""A PostgreSQL store of its own for each test: a fresh schema on the test server, dropped after.

CI starts a PostgreSQL server (.ci/services) and exports RNNLAB_TEST_DATABASE_URL, a role that
may create schemas. Each test gets the same URL with `options=-csearch_path=<schema>` added, so
the store's tables land in a schema nobody else uses, and every process given the URL (a
supervisor, a worker, a Ray job) sees the same tables. Without the variable the tests that need
a server are skipped with SKIP_REASON.

    with fresh_database_url() as url:
        store = Store(home, database_url=url)   # or RNNLAB_DATABASE_URL=url for subprocesses
"""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
import pytest

from rnnlab.jobs.pool import close_connections

SKIP_REASON = ("RNNLAB_TEST_DATABASE_URL is not set: the PostgreSQL tests need a server "
               "(.ci/services starts one in CI)")


def server_url() -> str:
    """The test server's URL; skips the calling test when there is none."""
    url = os.environ.get("RNNLAB_TEST_DATABASE_URL")
    if not url:
        pytest.skip(SKIP_REASON)
    return url


def with_schema(url: str, schema: str) -> str:
    """`url` with the schema search path set to `schema` (libpq's `options`, URL-encoded)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query) + [("options", f"-csearch_path={schema}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def fresh_database_url(url: str | None = None) -> Iterator[str]:
    """A URL whose store lives in a new, empty schema, dropped with everything in it after.

    Args:
        url: the server (default: RNNLAB_TEST_DATABASE_URL; the test is skipped without it).
    Yields:
        The URL to give Store(database_url=...) or RNNLAB_DATABASE_URL.
    """
    url = url or server_url()
    schema = f"rnnlab_test_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(url, schema)
    finally:
        close_connections(with_schema(url, schema))  # the store's pool in this process
        with psycopg.connect(url, autocommit=True) as conn:
            # A process the test left behind may still hold a lock: give up after a while
            # rather than hang the test session (the schema's name says what it was).
            conn.execute("SET lock_timeout = '30s'")
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
