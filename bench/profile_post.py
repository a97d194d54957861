"""In-process cost of one accepted comment POST, through the whole middleware stack.

Each post is one WSGI call made directly on the application (no server, no
network) with a form as ``bench/prepare.py`` makes them: its own single-use
token, its own reader address in ``X-Forwarded-For`` (``TRUSTED_PROXY_HOPS=1``,
as ``make bench`` runs), so every post is accepted into the moderation queue.
Prints the wall and CPU time per post, then what one post sends to PostgreSQL
(every statement, with BEGIN/COMMIT/ROLLBACK and savepoints, counted at the
driver) and to Redis (commands and round trips), and where the time goes.
Needs the benchmark's environment (``DATABASE_URL`` of a generated data set,
``REDIS_URL`` on the benchmark's Redis database)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python -m bench.profile_post

Each run stores its comments as pending (``--posts`` of them, plus a few to
warm up) in that database, like a ``make bench`` POST run does.
``--profile`` prints the cProfile of the timed posts instead.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import sys
import time

from bench.profile_page import application

# What a post spends its time in: (label, file name ending, function name), cumulative.
PARTS = [
    ("the view (post_comment)", "comments/views.py", "post_comment"),
    ("  the article query", "django/shortcuts.py", "get_object_or_404"),
    ("  the form (is_valid)", "django/forms/forms.py", "is_valid"),
    ("  posting.post_comment", "comments/posting.py", "post_comment"),
    ("    rate limit (Redis)", "comments/client.py", "allow_comment_from"),
    ("    the transaction (_store)", "comments/posting.py", "_store"),
    # Queued with on_commit, so run as the transaction ends (_after_storing).
    ("    surge check, after the commit", "comments/surge.py", "check_after_commit"),
    ("    tasks queued, after the commit", "django_tasks/base.py", "enqueue"),
    ("    moderators' digest, after", "comments/tasks.py", "schedule_moderator_digest"),
    ("  messages added", "django/contrib/messages/api.py", "add_message"),
    ("messages stored (response)", "django/contrib/messages/middleware.py", "process_response"),
    ("session (response)", "django/contrib/sessions/middleware.py", "process_response"),
    ("template rendering", "django/template/base.py", "render"),
]


def environ(path, body, address, origin):
    payload = body.encode("ascii")
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(payload)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ORIGIN": origin,
        "HTTP_REFERER": origin + path,
        "HTTP_X_FORWARDED_FOR": address,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(payload),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


class Poster:
    """Sends prepared comment forms to the application, one WSGI call each."""

    def __init__(self, app, post_url):
        from bench.prepare import post_bodies

        self.app, self.post_url = app, post_url
        self.origin = "http://127.0.0.1"
        # Readers no earlier run of this script used: their own rate-limit counters.
        start = random.randrange(0, 4_000_000)
        self.lines = iter(post_bodies(20_000, start=start, stamp=int(time.time()) - 5))

    def post(self):
        address, body = next(self.lines).split("\t", 1)
        status, headers = [], []

        def start_response(line, response_headers, *args):
            status.append(line)
            headers.extend(response_headers)

        response = self.app(environ(self.post_url, body, address, self.origin), start_response)
        b"".join(response)
        if hasattr(response, "close"):
            response.close()
        if not status[0].startswith("302"):
            raise SystemExit(f"POST {self.post_url}: {status[0]}")
        return headers


@contextlib.contextmanager
def counting_round_trips():
    """What reaches PostgreSQL (statements and transaction commands) and Redis (commands
    and round trips), counted where the drivers send them."""
    import psycopg
    import redis.connection
    from psycopg import _connection_base

    sent = {"sql": [], "redis_commands": [], "redis_round_trips": 0}
    execute, exec_command = psycopg.Cursor.execute, _connection_base.BaseConnection._exec_command
    connection_class = redis.connection.AbstractConnection
    one, many = connection_class.send_command, connection_class.pack_commands
    send = connection_class.send_packed_command

    def counted_execute(cursor, query, *args, **kwargs):
        try:
            return execute(cursor, query, *args, **kwargs)
        finally:  # after any BEGIN that psycopg sent first
            sent["sql"].append(query.decode() if isinstance(query, bytes) else str(query))

    def counted_command(connection, command, *args, **kwargs):
        sent["sql"].append(command.decode() if isinstance(command, bytes) else str(command))
        return (yield from exec_command(connection, command, *args, **kwargs))

    def name(args):
        return (args[0].decode() if isinstance(args[0], bytes) else str(args[0])).upper()

    def counted_one(connection, *args, **kwargs):
        sent["redis_commands"].append(name(args))
        return one(connection, *args, **kwargs)

    def counted_many(connection, commands):
        sent["redis_commands"].extend(name(args) for args in commands)
        return many(connection, commands)

    def counted_send(connection, *args, **kwargs):
        sent["redis_round_trips"] += 1
        return send(connection, *args, **kwargs)

    psycopg.Cursor.execute = counted_execute
    _connection_base.BaseConnection._exec_command = counted_command
    connection_class.send_command, connection_class.pack_commands = counted_one, counted_many
    connection_class.send_packed_command = counted_send
    try:
        yield sent
    finally:
        psycopg.Cursor.execute = execute
        _connection_base.BaseConnection._exec_command = exec_command
        connection_class.send_command, connection_class.pack_commands = one, many
        connection_class.send_packed_command = send


def timed(poster, posts):
    """Milliseconds per accepted post: wall clock, this process's CPU time, and the CPU
    time of the PostgreSQL server process that answered it (None when /proc cannot say)."""
    server = server_cpu_seconds()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(posts):
        poster.post()
    wall_ms = (time.perf_counter() - started) * 1000 / posts
    cpu_ms = (time.process_time() - cpu) * 1000 / posts
    after = server_cpu_seconds()
    server_ms = None if None in (server, after) else (after - server) * 1000 / posts
    return wall_ms, cpu_ms, server_ms


def server_cpu_seconds():
    """User and system CPU seconds of this connection's PostgreSQL backend (same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parts(profiler, posts):
    """Cumulative milliseconds per post in each of ``PARTS``."""
    stats = pstats.Stats(profiler).stats
    found = {}
    for (filename, _, function), (_, _, _, cumulative, _) in stats.items():
        for label, ending, name in PARTS:
            if function == name and filename.endswith(ending):
                found[label] = found.get(label, 0) + cumulative * 1000 / posts
    return [(label, found.get(label, 0.0)) for label, _, _ in PARTS]


def strict(article):
    from comments.models import StrictMode

    return "on" if StrictMode.objects.active().filter(article=article).exists() else "off"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (--profile)")
    parser.add_argument("--lines", type=int, default=45, help="cProfile lines (--profile)")
    parser.add_argument(
        "--article", help="slug of the article to post to (default: the one make bench posts to)"
    )
    args = parser.parse_args(argv)
    # As bench/run.py serves the project under gunicorn for its POST runs.
    app = application(
        SECURE_HSTS_SECONDS="0",
        TRUSTED_PROXY_HOPS="1",
        COMMENTS_CLOSE_AFTER_DAYS="0",
        CACHE_KEY_PREFIX="bench",
    )
    from bench.prepare import measured_articles

    article, _ = measured_articles()
    if args.article:
        from articles.models import Article

        article = Article.objects.published().get(slug=args.article)
    poster = Poster(app, f"/comments/post/{article.slug}/")
    for _ in range(5):  # connections, templates, content types: once per process
        poster.post()
    if args.profile:
        with cProfile.Profile() as profiler:
            timed(poster, args.posts)
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        return

    wall, cpu, server = timed(poster, args.posts)
    print(f"article {article.slug}: {args.posts} accepted posts, strict mode {strict(article)}")
    print(f"per post: {wall:.2f} ms wall, {cpu:.2f} ms CPU (this process)", end="")
    print(f", {server:.2f} ms CPU (its PostgreSQL backend)" if server is not None else "")

    with counting_round_trips() as sent:
        headers = poster.post()
    print(f"\nPostgreSQL round trips for one post: {len(sent['sql'])}")
    for sql in sent["sql"]:
        print(f"  {sql[:110]}")
    print(
        f"Redis: {len(sent['redis_commands'])} commands in {sent['redis_round_trips']} "
        f"round trips: {' '.join(sent['redis_commands'])}"
    )
    cookies = [value.split("=", 1)[0] for name, value in headers if name == "Set-Cookie"]
    print(f"cookies set: {', '.join(cookies) or 'none'}")

    with cProfile.Profile() as profiler:
        timed(poster, min(args.posts, 100))
    print("\nWhere a post's time goes (cumulative ms per post, under cProfile):")
    for label, ms in parts(profiler, min(args.posts, 100)):
        print(f"  {label:<34} {ms:7.2f}")


if __name__ == "__main__":
    main()
