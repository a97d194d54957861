"""The embedded SQLite database under concurrent writers (two moderators, a burst of reports).

Each request is a transaction that reads, then writes. SQLite's default
(DEFERRED) transactions fail one of two such writers at once with "database is
locked", which readers saw as a 500; the project's settings make them wait.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

WRITERS = 8


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A second alias on a file database of its own, with the project's SQLite options."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip(
            "SQLite's locking; PostgreSQL has row locks (tests/comments/test_decision_*.py)"
        )
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "race.sqlite3"), "TEST": {}}
    configured = connections.configure_settings({"default": config})["default"]
    connections.settings["race"] = configured
    with django_db_blocker.unblock():
        with connections["race"].cursor() as cursor:
            cursor.execute("CREATE TABLE tally (n integer)")
            cursor.execute("INSERT INTO tally VALUES (0)")
        yield connections["race"]
        connections["race"].close()
    del connections.settings["race"]


def test_writers_that_read_first_wait_their_turn_instead_of_failing(file_database):
    errors = []

    def read_then_write():
        try:
            with transaction.atomic(using="race"), connections["race"].cursor() as cursor:
                cursor.execute("SELECT n FROM tally")
                (seen,) = cursor.fetchone()
                time.sleep(0.02)  # another writer starts meanwhile
                cursor.execute("UPDATE tally SET n = %s", [seen + 1])
        except OperationalError as error:
            errors.append(error)
        finally:
            connections["race"].close()

    threads = [threading.Thread(target=read_then_write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with file_database.cursor() as cursor:
        cursor.execute("SELECT n FROM tally")
        assert cursor.fetchone() == (WRITERS,)  # no update lost either
