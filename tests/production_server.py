"""gunicorn with production settings on a loopback port, for tests of the documented path."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, *, host="news.example.org"):
    """Serve the project; yields ``get(path) -> (status, headers, body)`` once it answers.

    Requests come as if through the TLS proxy (``X-Forwarded-Proto: https``).
    An HTTP error status is returned like any other, never raised.
    """
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "geopolitics.wsgi",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env={**clean, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            headers={"Host": host, "X-Forwarded-Proto": "https"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    try:
        for _ in range(100):  # until it listens; the polling is bounded, not the assertion
            try:
                get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer on /healthz")
        yield get
    finally:
        server.terminate()
        server.wait(timeout=10)
