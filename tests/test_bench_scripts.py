"""The benchmark's requests are what it says they are (bench/prepare.py, bench/*.lua).

The comment POSTs are what real readers would send, each form once: refused
posts would make the figure meaningless. The uncached searches are each sent
once, so that no cache of results can answer them.
"""

import http.server
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from bench import report
from bench.prepare import post_bodies, unique_search_files, unique_searches
from comments.models import Comment

from .factories import ArticleFactory

BENCH = Path(__file__).resolve().parent.parent / "bench"


def split(line):
    address, _, form = line.partition("\t")
    return address, {key: values[0] for key, values in parse_qs(form).items()}


def test_each_prepared_form_has_its_own_token_and_reader_across_rounds():
    rounds = [post_bodies(300, start=n * 300, stamp=1_800_000_000) for n in range(3)]
    lines = [line for lines in rounds for line in lines]
    addresses = [split(line)[0] for line in lines]
    tokens = [split(line)[1]["token"] for line in lines]
    assert len(set(addresses)) == len(lines) == 900
    assert len(set(tokens)) == len(lines)


@pytest.mark.django_db
def test_prepared_forms_are_accepted_under_production_rate_limits(client, settings):
    """Seven comments from seven readers in a second: the limit is 5 per reader a minute."""
    settings.TRUSTED_PROXY_HOPS = 1
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert settings.COMMENTS_RATE_LIMIT == 5
    assert settings.COMMENTS_MIN_SUBMIT_SECONDS == 3
    article = ArticleFactory(published=True)
    url = reverse("comments:post", args=[article.slug])
    origin = "http://testserver"
    for line in post_bodies(7):
        address, form = split(line)
        response = client.post(
            url,
            form,
            HTTP_X_FORWARDED_FOR=address,
            HTTP_ORIGIN=origin,
            HTTP_REFERER=origin + article.get_absolute_url(),
        )
        assert response.status_code == 302, response.content.decode()[:500]
        client.cookies.clear()  # each reader is a different browser
    assert Comment.objects.pending().count() == 7


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every POST with a redirect, as the comment view does, and keeps what came."""

    protocol_version = "HTTP/1.1"
    received = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.received.append((dict(self.headers), body))
        self._answer(302)

    def do_GET(self):  # noqa: N802
        self.received.append(({}, self.path))
        self._answer(200)

    def _answer(self, status):
        self.send_response(status)
        self.send_header("Location", "/articles/a/#main")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_post_lua_sends_every_form_once_from_its_reader_then_stops(tmp_path):
    assert shutil.which("wrk"), "needs Debian's wrk: make test installs it"
    lines = post_bodies(120, stamp=1_800_000_000)
    bodies = tmp_path / "bodies.txt"
    bodies.write_text("\n".join(lines) + "\n", encoding="ascii")
    Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    try:
        command = ["wrk", "-t2", "-c4", "-d3s", "--latency", "-s", str(BENCH / "post.lua")]
        command += [f"{origin}/comments/post/a/", "--", str(bodies), "2", origin, "/articles/a/"]
        output = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    finally:
        server.shutdown()
        server.server_close()

    result = report.parse_wrk(output.stdout)
    sent = [body for _, body in Recorder.received if not body.startswith("/")]
    assert len(sent) == len(set(sent)), "no form is sent twice"
    # wrk calls request() once to check the script before the run: that form is never sent.
    assert len(sent) >= len(lines) - 1
    by_body = {body: headers for headers, body in Recorder.received if headers}
    for line in lines:
        address, _, body = line.partition("\t")
        headers = by_body.get(body)
        if headers is None:
            continue
        assert headers["X-Forwarded-For"] == address
        assert headers["Origin"] == origin
        assert headers["Referer"] == f"{origin}/articles/a/"
        assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    # A thread that ran out asks for /healthz once per connection and stops; wrk may not
    # read the last answers of a stopped thread, so at most all 120 are counted.
    assert 100 <= result.statuses["302"] <= 120
    assert result.statuses["spare"] <= 4


def run_wrk(tmp_path, script, path, *args):
    Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}{path}"
    try:
        command = ["wrk", "-t2", "-c4", "-d2s", "--latency", "-s", str(BENCH / script), url]
        output = subprocess.run(
            [*command, "--", *args], capture_output=True, text=True, timeout=60, check=True
        )
    finally:
        server.shutdown()
        server.server_close()
    return report.parse_wrk(output.stdout), [path for _, path in Recorder.received]


@pytest.mark.django_db
def test_uncached_searches_are_each_sent_once_and_the_repeated_ones_go_round(tmp_path):
    assert shutil.which("wrk"), "needs Debian's wrk: make test installs it"
    unique = unique_searches()
    assert len(set(unique)) == len(unique) > 2000
    queries = tmp_path / "queries.txt"
    queries.write_text("\n".join(unique[:80]) + "\n", encoding="ascii")

    result, paths = run_wrk(tmp_path, "search.lua", "/search/", str(queries), "2", "once")
    searched = [path for path in paths if path.startswith("/search/")]
    assert len(searched) == len(set(searched)) >= 79, "each at most once (wrk checks one)"
    assert set(searched) <= {f"/search/?q={query}" for query in unique[:80]}
    assert result.statuses["spare"] <= 4

    queries.write_text("energy\nsanctions\n", encoding="ascii")
    _, paths = run_wrk(tmp_path, "search.lua", "/search/", str(queries), "2", "cycle")
    assert set(paths) == {"/search/?q=energy", "/search/?q=sanctions"}
    assert len(paths) > 20


def test_no_new_search_is_in_two_runs_of_the_benchmark():
    """Both uncached search runs, queued and one per worker, send searches never sent before."""
    files = unique_search_files(3, 2000)

    sent = [query for lines in files.values() for query in lines]
    assert len(sent) == len(set(sent)) > 2000
    assert all(files[f"searches-alone-{n}.txt"] for n in (1, 2, 3))
    assert len(files["searches-unique-1.txt"]) > len(files["searches-alone-1.txt"])
    # Enough for 10 s at 140 searches a second, so a run does not stop halfway.
    assert all(len(files[f"searches-unique-{n}.txt"]) >= 1400 for n in (1, 2, 3))
