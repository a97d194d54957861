"""
Each process hears of a new page-cache generation instead of asking Redis for it on every request.

With Redis, every process subscribes to one channel, and whoever moves the
generation on publishes on it (``announce``). Before each use, a process asks
the kernel whether anything has arrived on its subscription's socket (one
``poll`` with no wait, well under a microsecond) and reads the messages only
then: not a round trip, and not redis-py's parsing machinery on every request
(issue 8: a cached page then costs about what a plain Django view does). A
message makes the next use read the generation from the cache again. Nothing
announced can be missed by a later request: the publisher waits until Redis has
written the message to every subscriber's socket (``publish``), so it is there
before the publisher's own request has even finished.

A connection that died quietly (no reset, say across a broken network) would
hear nothing, so the value is read again at least every ``REREAD_SECONDS``.
Any error means reading the cache every time, as without this module.

Without Redis each process keeps its own cache (local memory), so a change
made in another process (``import_article`` or ``loaddemo`` beside ``make
run``'s server) is announced through a file instead: ``announce`` replaces
``PAGE_CACHE_STAMP_FILE``, and before each use a process compares the file's
inode and modification time with what it saw last (one ``stat``) and, when
they differ, moves its own generation on.
"""

import logging
import os
import select
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CHANNEL = "pages:generation:changed"
REREAD_SECONDS = 1.0
SUBSCRIBE_TIMEOUT = 1.0  # seconds to wait for Redis to confirm the subscription
RETRY_SECONDS = 30.0  # after a failed subscription, read the cache every time until then


class Watcher:
    """One process's subscription; ``current(read)`` is the generation, ``read()`` when in doubt."""

    def __init__(self, client, channel):
        self._client = client
        self._channel = channel
        self._pubsub = None
        self._socket = None
        self._poller = None
        self._current = None
        self._read_at = 0.0
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def current(self, read):
        with self._lock:
            try:
                if self._pubsub is None:
                    if time.monotonic() < self._retry_at:
                        return read()
                    self._subscribe()
                if self._arrived():
                    while (message := self._pubsub.get_message(timeout=0)) is not None:
                        # A change; or redis-py subscribed again after a broken
                        # connection, and changes in between went unheard.
                        if message["type"] in ("message", "subscribe"):
                            self._current = None
                    self._watch_socket()  # a new one, if redis-py connected again
            except Exception as error:
                logger.warning("page generation subscription lost: %s", error)
                self._close()
                self._retry_at = time.monotonic() + RETRY_SECONDS
                return read()
            now = time.monotonic()
            if self._current is None or now - self._read_at > REREAD_SECONDS:
                self._current, self._read_at = read(), now
            return self._current

    def _subscribe(self):
        pubsub = self._client.pubsub()
        pubsub.subscribe(self._channel)
        # Only once Redis has confirmed it does the subscription hear every
        # later change; a value read before that could be missed.
        confirmed = pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT)
        if confirmed is None or confirmed["type"] != "subscribe":
            pubsub.close()
            raise ConnectionError("Redis did not confirm the subscription")
        self._pubsub, self._current = pubsub, None
        self._watch_socket()

    def _arrived(self):
        """True when the subscription's socket has something to read (or a hang-up, an
        error), or when there is no socket to ask: then redis-py is asked every time."""
        return self._poller is None or bool(self._poller.poll(0))

    def _watch_socket(self):
        # redis-py's own attribute (redis==8.1): without it, get_message() on every use.
        sock = getattr(self._pubsub.connection, "_sock", None)
        if sock is self._socket:
            return
        self._socket, self._poller = sock, None
        if sock is not None:
            self._poller = select.poll()
            self._poller.register(sock, select.POLLIN | select.POLLPRI)

    def _close(self):
        if self._pubsub is not None:
            try:
                self._pubsub.close()
            except Exception:  # already broken
                logger.debug("closing a broken subscription", exc_info=True)
        self._pubsub, self._socket, self._poller, self._current = None, None, None, None


class StampWatcher:
    """Without Redis: the processes of one machine share a file that every change replaces."""

    def __init__(self):
        self._seen = self._stamp()

    def changed(self):
        """True once for each replacement of the file since this process last looked."""
        stamp = self._stamp()
        if stamp == self._seen:
            return False
        self._seen = stamp
        return True

    @staticmethod
    def _stamp():
        try:
            found = os.stat(settings.PAGE_CACHE_STAMP_FILE)
        except OSError:
            return None
        # A replacement is a new inode (the old one is still in place while the
        # new one is written), so two changes within one clock tick still differ.
        return found.st_ino, found.st_mtime_ns

    @staticmethod
    def touch():
        path = Path(settings.PAGE_CACHE_STAMP_FILE)
        try:
            descriptor, written = tempfile.mkstemp(dir=path.parent, prefix=path.name)
            os.close(descriptor)
            os.replace(written, path)
        except OSError as error:  # a read-only directory: other processes hear nothing
            logger.warning("could not announce a page-cache change in %s: %s", path, error)
            return
        if _stamps is not None:  # this process moved on itself: its own stamp is no news
            _stamps.changed()


_watcher = None
_stamps = None


def _redis_client():
    """The Redis client of the default cache, or None for another backend."""
    client = getattr(cache, "client", None)
    return client() if callable(client) else None


def watched(read, move_on):
    """The generation as this process's subscription knows it, else ``read()``.

    Without Redis, ``move_on()`` first moves this process's own generation on
    when another process announced a change through the stamp file.
    """
    global _watcher, _stamps
    if _watcher is None:
        client = _redis_client()
        if client is None:
            if _stamps is None:
                _stamps = StampWatcher()
            if _stamps.changed():
                move_on()
            return read()
        _watcher = Watcher(client, _channel(client))
    return _watcher.current(read)


def announce():
    """Tell every process that the generation moved on (after moving it)."""
    client = _redis_client()
    if client is not None:
        publish(client, _channel(client))
    else:
        StampWatcher.touch()


def _channel(client):
    """Channels are server-wide: name the database too, so that other sites sharing the
    server (another database, the same key prefix) are not heard."""
    database = client.connection_pool.connection_kwargs.get("db", 0)
    return f"{cache.make_key(CHANNEL)}:{database}"


def publish(client, channel):
    """Publish, and return only once the message is in every subscriber's socket.

    Redis may answer PUBLISH before it has written the message to the
    subscribers; it answers the next command (PING) only after that pass.
    """
    client.publish(channel, b"1")
    client.ping()
