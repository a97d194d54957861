"""In-process timings of the article page beside the ceiling, measured the same way.

Each case is N WSGI calls made directly on the application (no server, no
network), so the figures are CPU cost per request and hold up on a shared
machine better than wrk's. The ceiling (``bench/hello.py``) has settings of
its own, so it is timed in a child process. Needs the benchmark's
environment (``DATABASE_URL`` of a generated data set, ``REDIS_URL``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_page \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python -m bench.profile_page

Collect static files first (``STATIC_ROOT=… manage.py collectstatic``) with
DEBUG off. ``--profile CASE`` prints that case's cProfile instead.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import subprocess
import sys
import time


def environ(path, query=""):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def application(**settings):
    """The project's WSGI application in this process, configured as bench/run.py serves it
    (production settings on loopback); ``settings`` add environment defaults of their own."""
    defaults = {
        "DJANGO_SETTINGS_MODULE": "geopolitics.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def call(app, path, query=""):
    status = []
    body = b"".join(app(environ(path, query), lambda s, h, *a: status.append(s)))
    return status[0], body


def timed(app, path, requests, unique):
    """Milliseconds per request over ``requests`` calls (after a few warm-up calls): wall
    clock, and this process's CPU time (which leaves out waiting for Redis and PostgreSQL,
    and most of the noise of a shared machine)."""
    for n in range(5):
        call(app, path, f"warm={n}" if unique else "")
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(requests):
        status, _ = call(app, path, f"r={n}" if unique else "")
        if not status.startswith("200"):
            raise SystemExit(f"{path}: {status}")
    wall_ms = (time.perf_counter() - started) * 1000 / requests
    return wall_ms, (time.process_time() - cpu) * 1000 / requests


def ceiling(requests, payload):
    os.environ["BENCH_PAYLOAD_BYTES"] = str(payload)
    from bench.hello import application

    return timed(application, "/", requests, unique=False)


def pages():
    from bench.prepare import measured_articles

    article, long_article = measured_articles()
    return article.get_absolute_url(), long_article.get_absolute_url()


def query_counts(app, url):
    """Queries for one request with every cache empty, then with the fragments warm."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles import page_cache

    counts = {}
    page_cache.content_changed()
    cache.delete(page_cache.NEXT_CHANGE_KEY.format(generation=page_cache.generation()))
    for name in ("cold", "warm"):
        with CaptureQueriesContext(connection) as captured:
            call(app, url, f"count={secrets.token_hex(4)}")
        counts[name] = len(captured)
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", choices=["cached", "unique", "long"])
    parser.add_argument("--ceiling-only", type=int, metavar="PAYLOAD", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ceiling_only:
        print(json.dumps(ceiling(args.requests, args.ceiling_only)))
        return

    app = application()
    article, long_article = pages()
    payload = len(call(app, article)[1])
    cases = {
        "cached": (article, False),
        "unique": (article, True),
        "long": (long_article, True),
    }
    if args.profile:
        path, unique = cases[args.profile]
        call(app, path)
        with cProfile.Profile() as profiler:
            timed(app, path, args.requests, unique)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return

    child = [sys.executable, "-m", "bench.profile_page", "--requests", str(args.requests * 4)]
    child += ["--ceiling-only", str(payload)]
    hello_ms = json.loads(subprocess.run(child, capture_output=True, check=True).stdout)
    print(f"article {article} ({payload:,} bytes), long discussion {long_article}")
    print(f"{'case':<10} {'wall ms':>9} {'ratio':>7} {'CPU ms':>9} {'ratio':>7}")
    row = "{:<10} {:>9.3f} {:>7.3f} {:>9.3f} {:>7.3f}"
    print(row.format("ceiling", *hello_ms[:1], 1, hello_ms[1], 1))
    for name, (path, unique) in cases.items():
        wall, cpu = timed(app, path, args.requests, unique)
        print(row.format(name, wall, hello_ms[0] / wall, cpu, hello_ms[1] / cpu))
    for name, url in (("article", article), ("long", long_article)):
        print(f"queries, {name}: {query_counts(app, url)}")


if __name__ == "__main__":
    main()
