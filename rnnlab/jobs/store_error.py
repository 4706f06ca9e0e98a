"""The one error a run store that cannot be used raises, whichever database holds it.

A file that is not a database this lab can read, a schema from a newer lab, a PostgreSQL server
that cannot be reached or refuses the password: each is a `StoreError` whose message names the
store (never a password) and says what to do. Pages show it instead of a traceback, and the
supervisor prints it and exits with status 2. rnnlab.jobs.database (SQLite) and
rnnlab.jobs.postgresql raise it; callers catch it from rnnlab.jobs.schema.
"""


class StoreError(ValueError):
    """A store this code cannot read or reach; the message names it and says what to do."""
