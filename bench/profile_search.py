"""In-process timings of new searches: what one costs with no queueing and no cache able to answer.

Each search is one WSGI call made directly on the application (no server, no
network), with a two-word query from ``bench.prepare.unique_searches`` that
this process has not sent before, so the figure is a search's own service
time. Needs the benchmark's environment (``DATABASE_URL`` of a generated data
set, ``REDIS_URL`` when the cache is on)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python -m bench.profile_search

Collect static files first (``STATIC_ROOT=… manage.py collectstatic``) with
DEBUG off. ``--profile`` prints a cProfile of the searches instead;
``--explain`` the plans of the first search's queries.
"""

import argparse
import cProfile
import pstats
import statistics
import time

from bench.profile_page import application, call


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * share) - 1)]


def explain(query):
    """EXPLAIN (ANALYZE, BUFFERS) of every query one search runs."""
    from urllib.parse import unquote_plus

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.views import SearchView

    app_call = SearchView.as_view()
    from django.test import RequestFactory

    request = RequestFactory().get("/search/", {"q": unquote_plus(query)})
    with CaptureQueriesContext(connection) as captured:
        app_call(request).render()
    with connection.cursor() as cursor:
        for number, executed in enumerate(captured.captured_queries, 1):
            sql = executed["sql"]
            print(f"\n== query {number} ({executed['time']} s): {sql[:300]}")
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or "set_config" in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--skip", type=int, default=0, help="start this far into the list")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (--profile)")
    parser.add_argument("--lines", type=int, default=45, help="cProfile lines (--profile)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each search this many times, rendered afresh each time, and keep the "
        "fastest: the search's own cost, without what other work on a shared machine adds",
    )
    args = parser.parse_args(argv)

    app = application()
    from bench.prepare import unique_searches

    # A different start each run, unless asked: none of these was searched in this
    # generation of the cache, so none is answered from it.
    queries = unique_searches()[args.skip :][: args.searches + 5]
    if args.explain:
        explain(queries[0])
        return
    for query in queries[:5]:  # templates, connections
        call(app, "/search/", f"q={query}")
    queries = queries[5:]
    if args.profile:
        with cProfile.Profile() as profiler:
            for query in queries:
                call(app, "/search/", f"q={query}")
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        return
    from django.db import connection

    wall, cpu, database = [], [], []
    waited = []

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited.append(time.perf_counter() - started)

    if args.repeat > 1:
        from articles import search

        search.asked_before = lambda key: False  # each time rendered afresh, as a new search is
    with connection.execute_wrapper(timed_sql):
        for query in queries:
            tries = []
            for _ in range(args.repeat):
                waited.clear()
                started, cpu_started = time.perf_counter(), time.process_time()
                status, body = call(app, "/search/", f"q={query}")
                tries.append(
                    (
                        (time.perf_counter() - started) * 1000,
                        (time.process_time() - cpu_started) * 1000,
                        sum(waited) * 1000,
                    )
                )
                if not status.startswith("200") or b"took too long" in body:
                    raise SystemExit(f"q={query}: {status}")
            fastest = min(tries)
            wall.append(fastest[0])
            cpu.append(fastest[1])
            database.append(fastest[2])
    print(f"{len(queries)} new two-word searches, ms per search (in-process, one at a time)")
    if args.repeat > 1:
        print(f"each the fastest of {args.repeat} runs")
    print(f"{'':8} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    rows = (("wall", wall), ("CPU", cpu), ("SQL", database))
    for name, values in rows:
        cells = [statistics.median(values), percentile(values, 0.95), percentile(values, 0.99)]
        print(f"{name:8} " + " ".join(f"{v:8.1f}" for v in [*cells, max(values)]))
    print("CPU: this process's own time (Python); SQL: waiting for PostgreSQL's answers.")


if __name__ == "__main__":
    main()
