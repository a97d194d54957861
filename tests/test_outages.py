"""When a service the site depends on is down, readers get an honest answer, not a 500."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .test_settings import PRODUCTION_ENV, ROOT, manage


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_pages_answer_503_with_retry_after_while_the_database_is_unreachable(tmp_path):
    """gunicorn with production settings and a PostgreSQL address where nothing listens."""
    env = {
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{free_port()}/nowhere",
    }
    assert manage("collectstatic", "--noinput", **env).returncode == 0
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
            headers={"Host": "news.example.org", "X-Forwarded-Proto": "https"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    try:
        for _ in range(100):
            try:
                health = get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        pages = {path: get(path) for path in ["/", "/articles/any/", "/search/?q=oil"]}
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert health[0] == 503
    for path, (status, headers, body) in pages.items():
        assert status == 503, path
        assert headers["Retry-After"].isdigit(), path
        assert "back in a moment" in body, path
