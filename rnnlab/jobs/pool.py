"""A process's idle PostgreSQL connections, reused instead of opened for every operation.

Opening a PostgreSQL connection costs tens of milliseconds (a TCP handshake and SCRAM's password
hashing on both sides; 25 ms measured on the test server) and the store opens one per operation:
a page rerun makes several, a worker one per heartbeat. So a connection that has finished its
operation waits here for the next one instead of closing (2 ms per operation measured).

The store's rule, "a connection per use, never shared between threads", still holds: a
connection is taken out while in use, so one thread has it at a time. At most Pool.IDLE wait;
the rest are closed. A connection the server dropped (a restart) fails a cheap query when it is
taken, and is replaced. One pool per process and URL: a forked child gets copies of its
parent's pools, whose sockets are the parent's, and leaves them alone (closing one would end the
parent's session too); it makes its own under its own process id.
"""
from __future__ import annotations

import os
import threading
from typing import Callable

import psycopg


class Pool:
    """The idle connections of one process to one URL."""

    IDLE = 4  # idle connections kept; a burst of page reruns opens more and closes them after

    def __init__(self, open_connection: Callable[[], psycopg.Connection]):
        self.open_connection = open_connection
        self.lock = threading.Lock()
        self.idle: list[psycopg.Connection] = []

    def take(self) -> psycopg.Connection:
        """An idle connection that still answers, else a new one.

        Raises:
            psycopg.OperationalError: a new connection could not be opened.
        """
        while True:
            with self.lock:
                conn = self.idle.pop() if self.idle else None
            if conn is None:
                return self.open_connection()
            try:
                conn.execute("SELECT 1")
                return conn
            except psycopg.Error:
                conn.close()

    def give_back(self, conn: psycopg.Connection) -> None:
        """Keep `conn` for the next operation if it is healthy, outside any transaction, and
        fewer than IDLE wait; else close it."""
        idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with self.lock:
            if idle and not conn.closed and len(self.idle) < self.IDLE:
                self.idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        """Close the idle connections, and any taken now when it is given back."""
        with self.lock:
            idle, self.idle, self.IDLE = self.idle, [], 0
        for conn in idle:
            conn.close()


_POOLS: dict[tuple[int, str], Pool] = {}
_POOLS_LOCK = threading.Lock()


def pool_of(url: str, open_connection: Callable[[], psycopg.Connection]) -> Pool:
    """This process's pool for `url`, made with `open_connection` the first time."""
    with _POOLS_LOCK:
        key = (os.getpid(), url)
        if key not in _POOLS:
            _POOLS[key] = Pool(open_connection)
        return _POOLS[key]


def close_connections(url: str) -> None:
    """Close this process's idle connections to `url` (a store it no longer uses, e.g. a test's
    schema about to be dropped)."""
    with _POOLS_LOCK:
        pool = _POOLS.pop((os.getpid(), url), None)
    if pool is not None:
        pool.close()
