"""When a service the site depends on is down, readers get an honest answer, not a 500."""

from .production_server import free_port, gunicorn
from .test_settings import PRODUCTION_ENV, manage


def test_pages_answer_503_with_retry_after_while_the_database_is_unreachable(tmp_path):
    """gunicorn with production settings and a PostgreSQL address where nothing listens."""
    env = {
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{free_port()}/nowhere",
    }
    assert manage("collectstatic", "--noinput", **env).returncode == 0
    with gunicorn(env) as get:
        health = get("/healthz")
        pages = {path: get(path) for path in ["/", "/articles/any/", "/search/?q=oil"]}

    assert health[0] == 503
    for path, (status, headers, body) in pages.items():
        assert status == 503, path
        assert headers["Retry-After"].isdigit(), path
        assert "back in a moment" in body, path
