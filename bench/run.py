"""``make bench``: the performance harness of issue 8. Never part of CI pass/fail.

Builds (or reuses) a large data set in the PostgreSQL database ``bench``,
serves the project and a hello-world app of the same payload under gunicorn
(2 sync workers each, loopback only), alternates them under wrk for several
rounds, and prints each target beside its figure. The run is appended to
bench/RESULTS.md. Every subprocess has a timeout; servers are stopped in a
``finally``. Quick run: ``make bench BENCH_ARGS="--articles 2000 --comments 20000 --seconds 5"``.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from bench import report

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
MARKER = "bench_dataset"
# Comment forms prepared per second of a POST run: well above what 2 workers can take,
# so a run ends on time; if they do run out, post.lua stops rather than send one twice.
POSTS_PER_SECOND = 2000
# Different searches prepared per second of an uncached search run (at most 6,006 in all).
SEARCHES_PER_SECOND = 200
# gunicorn's workers: the search measured at this many connections waits for no other.
WORKERS = 2


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--database", default="bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--note", action="append", default=[], help="a line for RESULTS.md")
    args = parser.parse_args(argv)
    # A TERM (a timeout around make) still runs the finally that stops the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: terminated"))
    OUT.mkdir(parents=True, exist_ok=True)
    database_url = f"{args.pg}/{args.database}"
    env = bench_env(database_url, args.redis)

    generated_seconds = ensure_dataset(args, database_url, env)
    step("collectstatic")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, timeout=300)
    step("prepare: URLs, query counts, POST bodies")
    per_round = [POSTS_PER_SECOND * args.seconds, SEARCHES_PER_SECOND * args.seconds]
    command = [PYTHON, "-m", "bench.prepare", str(OUT), str(args.rounds), *map(str, per_round)]
    run(command, env=env, timeout=600)
    prepared = json.loads((OUT / "prepare.json").read_text())
    payload = prepared["sizes"]["article"]

    servers = []
    try:
        django_port, hello_port = free_port(), free_port()
        servers.append(gunicorn("geopolitics.wsgi:application", django_port, env))
        hello_env = {**env, "BENCH_PAYLOAD_BYTES": str(payload)}
        servers.append(gunicorn("bench.hello:application", hello_port, hello_env))
        wait_until_up(f"http://127.0.0.1:{django_port}/healthz")
        wait_until_up(f"http://127.0.0.1:{hello_port}/")
        measured = measure(args, prepared, django_port, hello_port, database_url)
        measured["rss_mb"] = worker_rss_mb(servers[0].pid)
    finally:
        for server in servers:
            stop(server)

    rows = judge(prepared, measured, generated_seconds)
    print()
    print(report.markdown_table(rows))
    section = report.results_section(
        title=f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        machine=machine(args, database_url, env),
        notes=notes(args, prepared, measured) + args.note,
        rows=rows,
    )
    report.append_results(args.results, section)
    print(f"\nAppended to {args.results}")


# --- Environment and processes ------------------------------------------------------


def bench_env(database_url, redis_url):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        # As behind one reverse proxy: post.lua gives each comment its own reader address
        # in X-Forwarded-For, and the rate limits keep their production defaults.
        "TRUSTED_PROXY_HOPS": "1",
        # The generated articles were published up to three years ago: keep their
        # comment forms open, so the article page measured carries one.
        "COMMENTS_CLOSE_AFTER_DAYS": "0",
        "MEDIA_ROOT": str(OUT / "media"),
        "LOG_LEVEL": "WARNING",
        "CACHE_KEY_PREFIX": "bench",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if redis_reachable(redis_url):
        env["REDIS_URL"] = redis_url
    return env


def redis_reachable(url):
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2)
        client.flushdb()  # only the benchmark's own database number
        return True
    except Exception:
        return False


def run(command, *, env, timeout, capture=False):
    result = subprocess.run(
        command, cwd=ROOT, env=env, timeout=timeout, text=True, capture_output=capture
    )
    if result.returncode:
        detail = (result.stderr or "")[-2000:] if capture else ""
        sys.exit(f"bench: {' '.join(command[:4])} failed ({result.returncode}) {detail}")
    return result.stdout


def step(text):
    print(f"==> {datetime.datetime.now():%H:%M:%S} {text}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(app, port, env):
    command = [GUNICORN, app, "--workers", str(WORKERS), "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"]
    # Two servers would otherwise fight over the one control socket in ~/.gunicorn/.
    command += ["--no-control-socket"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_until_up(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"bench: {url} did not answer within {timeout} s")


def settle(url, timeout=120):
    """Wait until the server has worked off requests that wrk gave up on, so that one
    page's backlog is not charged to the next. Gives up quietly after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310 (http only)
                pass
        except urllib.error.HTTPError:
            pass  # an answer all the same: the ceiling has no /healthz (a quick 404)
        except OSError:
            time.sleep(0.5)
            continue
        if time.monotonic() - started < 0.5:
            return


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def worker_rss_mb(master_pid):
    """The largest VmRSS among the gunicorn master's children, in MB."""
    largest = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            largest = max(largest, int(fields["VmRSS"].split()[0]))
    return largest / 1024


# --- The data set ---------------------------------------------------------------------------


def ensure_dataset(args, database_url, env):
    """Reuse the data set when its marker matches the arguments; else build it afresh.

    Returns generate_bench_data's wall time in seconds, or None when reused.
    """
    # "data": bump when generate_bench_data fills new fields (2: search vectors; 3: notes
    # kept apart, vectors in the row, workflow states).
    wanted = json.dumps(
        {"articles": args.articles, "comments": args.comments, "seed": args.seed, "data": 3}
    )
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone()
        if not exists:
            step(f"create database {args.database}")
            conn.execute(f'CREATE DATABASE "{args.database}"')
    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
        has_marker = conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]
        current = has_marker and conn.execute(f"SELECT params FROM {MARKER}").fetchone()  # noqa: S608
        has_articles = conn.execute("SELECT to_regclass('articles_article')").fetchone()[0]
    if current and current[0] == wanted:
        step(f"reuse the data set in {args.database} ({wanted}); migrate, analyze")
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=600)
        # Fresh planner statistics: an index a migration just added, the comments
        # earlier runs posted, and sets made before generate_bench_data analyzed
        # after the search vectors (their statistics said every vector was NULL).
        # Every table is vacuumed first, as autovacuum would in time (it is off on
        # some machines): a migration that rewrites the article rows (0010) leaves as
        # many dead ones behind, and rows not yet marked visible to all make an
        # index-only count read a heap page per comment.
        with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("VACUUM (ANALYZE)")
        return None
    if has_articles:
        step(f"drop database {args.database}: it holds another data set")
        with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.database}"')
    step("migrate")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, timeout=600)
    step(f"generate_bench_data {wanted}")
    started = time.monotonic()
    command = [PYTHON, "manage.py", "generate_bench_data", "--articles", str(args.articles)]
    command += ["--comments", str(args.comments), "--seed", str(args.seed), "-v2"]
    print(run(command, env=env, timeout=1800, capture=True), end="")
    seconds = time.monotonic() - started
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {MARKER} (params text, seconds float, made_at timestamptz)")
        conn.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, now())", [wanted, seconds])  # noqa: S608
    return seconds


# --- Measuring ------------------------------------------------------------------------------


def wrk(args, url, script, *script_args, seconds=None, connections=None):
    """One wrk run, after the server has settled (see ``settle``)."""
    settle(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/healthz")
    seconds = seconds or args.seconds
    connections = connections or args.connections
    threads = min(args.threads, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "5s", "-s", str(BENCH / script), url]
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    return report.parse_wrk(output.stdout)


def pending_count(database_url):
    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM comments_comment WHERE status = 'pending'"
        ).fetchone()[0]


def measure(args, prepared, django_port, hello_port, database_url):
    django = f"http://127.0.0.1:{django_port}"
    pages = prepared["pages"]
    names = ["hello", "article", "cached", "long", "search", "search_unique"]
    names += ["search_unique_alone", "post"]
    runs = {name: [] for name in names}
    accepted, post_seconds = 0, 0.0
    step("warm up")
    wrk(args, django + pages["article"], "unique.lua")
    for number in range(1, args.rounds + 1):
        step(f"round {number} of {args.rounds}")
        runs["hello"].append(wrk(args, f"http://127.0.0.1:{hello_port}/", "fixed.lua"))
        runs["article"].append(wrk(args, django + pages["article"], "unique.lua"))
        runs["cached"].append(wrk(args, django + pages["article"], "fixed.lua"))
        runs["long"].append(wrk(args, django + pages["long_discussion"], "unique.lua"))
        searches = [str(OUT / "searches.txt"), str(args.threads), "cycle"]
        runs["search"].append(wrk(args, django + "/search/", "search.lua", *searches))
        searches = [str(OUT / f"searches-unique-{number}.txt"), str(args.threads), "once"]
        runs["search_unique"].append(wrk(args, django + "/search/", "search.lua", *searches))
        # As many connections as workers: no search waits behind another, so this is
        # what one search costs; at 16 connections most of the time is the queue.
        searches = [str(OUT / f"searches-alone-{number}.txt"), str(min(args.threads, WORKERS))]
        result = wrk(
            args, django + "/search/", "search.lua", *searches, "once", connections=WORKERS
        )
        runs["search_unique_alone"].append(result)
        before = pending_count(database_url)
        result = wrk(
            args,
            django + prepared["post_url"],
            "post.lua",
            str(OUT / f"post-bodies-{number}.txt"),
            str(args.threads),
            django,
            prepared["pages"]["article"],
        )
        accepted += pending_count(database_url) - before
        post_seconds += result.seconds
        runs["post"].append(result)
    served = sum(r.requests for name, rs in runs.items() if name != "hello" for r in rs)
    # The RSS target is "after 10,000 requests": more of the article page until then,
    # within three minutes in all (the rate of the rounds is only an estimate).
    rate = max(report.combine(runs["article"]).rps, 1.0)
    deadline = time.monotonic() + 180
    while served < 10_000 and (left := int(deadline - time.monotonic())) >= 5:
        seconds = min(left, int((10_000 - served) / rate * 1.25) + 2)
        step(f"{served:,} requests served; {seconds} s more for the RSS figure")
        more = wrk(args, django + pages["article"], "unique.lua", seconds=seconds)
        served += more.requests
        rate = max(more.rps, 1.0)
    combined = {name: report.combine(results) for name, results in runs.items()}
    combined["accepted_per_second"] = accepted / post_seconds if post_seconds else 0.0
    combined["accepted"] = accepted
    combined["served"] = served
    return combined


# --- Judging and describing -----------------------------------------------------------------


def p99(result):
    return result.p99_ms if report.latency_known(result) else None


def judge(prepared, measured, generated_seconds):
    served = measured["served"]
    ceiling = measured["hello"]
    rows = [
        report.Row("Ceiling: hello world, same payload", "—", report.page_detail(ceiling), None)
    ]
    article = measured["article"]
    rows.append(
        report.at_least(
            "Article page, unique query strings: ratio",
            0.20,
            report.ratio(article, ceiling),
            detail=report.page_detail(article),
        )
    )
    rows.append(report.under("Article page, unique query strings: p99", 50, p99(article), " ms"))
    cached = measured["cached"]
    rows.append(
        report.at_least(
            "Article page, anonymous, cache on: ratio",
            0.85,
            report.ratio(cached, ceiling),
            detail=report.page_detail(cached),
        )
    )
    long = measured["long"]
    rows.append(
        report.at_least(
            f"Article with {prepared['approved_on_long_discussion']:,} approved comments: ratio",
            0.10,
            report.ratio(long, ceiling),
            detail=report.page_detail(long),
        )
    )
    for name, what in [
        ("search", "Search: p95, the same 12 searches again and again"),
        ("search_unique", "Search: p95, every search new (no cache can answer), queued"),
        ("search_unique_alone", "Search: p95, every search new, one per worker (its own time)"),
    ]:
        search = measured[name]
        rows.append(
            report.under(
                what,
                100,
                search.p95_ms if report.latency_known(search) else None,
                " ms",
                detail=report.answers_detail(search),
            )
        )
    rows.append(
        report.at_least(
            "Comment POST: accepted into moderation per second",
            300,
            measured["accepted_per_second"],
            fmt="{:.0f}",
            detail=f"{measured['accepted']:,} accepted; {report.answers_detail(measured['post'])}",
        )
    )
    queries = prepared["queries"]
    cold = queries.get("article_cold", queries["article"])
    rows.append(
        report.Row(
            "SQL queries per article page (every cache off)",
            "≤ 4",
            f"{cold} (rendered once: {queries['article']})",
            cold <= 4,
        )
    )
    long_cold = queries.get("long_discussion_cold", queries["long_discussion"])
    rows.append(
        report.Row(
            "SQL queries: long discussion page (every cache off)",
            "≤ 4",
            f"{long_cold} (rendered once: {queries['long_discussion']})",
            long_cold <= 4,
        )
    )
    for name in ["home", "tag", "author", "search"]:
        rows.append(
            report.Row(
                f"SQL queries: {name.replace('_', ' ')} page",
                "constant (pinned by tests)",
                str(queries[name]),
                None,
            )
        )
    rss = report.under(
        "gunicorn worker RSS", 150, measured["rss_mb"], " MB", detail=f"after {served:,} requests"
    )
    if served < 10_000:  # too slow to reach the count in the time allowed: no verdict
        rss = report.Row(rss.what, "< 150 MB after 10,000 requests", rss.figure, None)
    rows.append(rss)
    if generated_seconds is None:
        rows.append(report.Row("generate_bench_data", "< 300 s", "data set reused", None))
    else:
        rows.append(report.under("generate_bench_data", 300, generated_seconds, " s"))
    return rows


def machine(args, database_url, env):
    def first(path, prefix):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    with psycopg.connect(database_url, autocommit=True) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout.strip()
    return {
        "Machine": f"{os.cpu_count()} CPUs ({first('/proc/cpuinfo', 'model name')}), "
        f"{first('/proc/meminfo', 'MemTotal')} memory, load average at the end "
        f"{os.getloadavg()[0]:.1f}",
        "Software": f"Python {platform.python_version()}, PostgreSQL {pg_version}, "
        f"cache {'Redis' if 'REDIS_URL' in env else 'local memory'}",
        "Commit": commit or "unknown",
        "Data set": f"{args.articles:,} articles, {args.comments:,} comments, seed {args.seed}",
        "Load": f"wrk -t{args.threads} -c{args.connections}, {args.rounds} rounds × "
        f"{args.seconds} s per page, pages alternated with the ceiling; gunicorn 2 sync workers",
    }


def notes(args, prepared, measured):
    found = []
    bad = {name: code for name, code in prepared["statuses"].items() if code != 200}
    if bad:
        found.append(f"Pages that did not answer 200 in the query count: {bad}")
    found.append(
        f"Article page: {prepared['pages']['article']} ({prepared['sizes']['article']:,} bytes); "
        f"ceiling payload the same size."
    )
    found.append(
        f'New searches: "queued" at {args.connections} connections, where each waits behind '
        f'the others for one of the {WORKERS} workers; "one per worker" at {WORKERS} '
        f"connections, where none waits: the search's own latency."
    )
    return found


if __name__ == "__main__":
    main()
