"""Configuration comes from the environment; production refuses to guess."""

import os
import subprocess
import sys
from pathlib import Path

from .production_server import gunicorn

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Rq9vLp2Kd8Zm4Tw6Yb" * 2,
    "ALLOWED_HOSTS": "news.example.org",
}


def manage(*args, **env):
    return run_python("manage.py", *args, **env)


def start_wsgi_application(**env):
    """What gunicorn (and runserver) do first: import the WSGI application."""
    return run_python("-c", "import geopolitics.wsgi", **env)


def run_python(*args, **env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}

    result = start_wsgi_application(**env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}

    result = start_wsgi_application(**env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_commands_that_need_no_secret_run_with_no_environment_at_all():
    result = manage("makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_a_malformed_boolean_is_a_clear_error():
    result = manage("check", **{**PRODUCTION_ENV, "DEBUG": "perhaps"})

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_redis_url_switches_the_cache_to_redis():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )

    assert result.stdout.strip().splitlines()[-1] == "geopolitics.cache.RedisCache"


def test_database_url_selects_postgresql():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DEBUG="true",
        DATABASE_URL="postgres://someone@db.example.org:5432/news",
    )

    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql"


def test_production_serves_with_gunicorn_and_hashed_static_files(tmp_path):
    """The documented production path: collectstatic, migrate, gunicorn behind a TLS proxy."""
    env = {
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    assert manage("collectstatic", "--noinput", **env).returncode == 0
    assert manage("migrate", "--noinput", **env).returncode == 0
    with gunicorn(env) as get:
        status, _, body = get("/healthz")
        home_status, _, home = get("/")
        stylesheet = home.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        css_status, _, css = get(stylesheet)

    assert (status, body) == (200, "ok")
    assert home_status == 200
    assert stylesheet.startswith("/static/css/site.") and stylesheet != "/static/css/site.css"
    assert css_status == 200 and "--accent" in css


def test_make_run_on_another_port_mails_links_to_that_port():
    """`make run PORT=…`: the verification and unsubscribe links in comment mail lead back to it."""
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for command in ("runserver 127.0.0.1:8123", "db_worker"):
        line = next(line for line in plan.splitlines() if command in line)
        assert "COMMENTS_SITE_URL=${COMMENTS_SITE_URL:-http://127.0.0.1:8123}" in line


def test_postgresql_connections_prepare_statements_unless_a_pooler_cannot_keep_them():
    show = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS'];"
        " print(o['server_side_binding'], o['prepare_threshold'])"
    )
    url = "postgres://someone@db.example.org:5432/news"
    default = manage("shell", "-c", show, DEBUG="true", DATABASE_URL=url)
    pooled = manage(
        "shell", "-c", show, DEBUG="true", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false"
    )

    assert default.stdout.strip().splitlines()[-1] == "True 5"
    assert pooled.stdout.strip().splitlines()[-1] == "True None"
