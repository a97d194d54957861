"""The ceiling: a WSGI app that returns a fixed page as large as the article page.

Served by the same gunicorn settings as the project, it measures what the
server, the loopback and wrk cost on their own (``BENCH_PAYLOAD_BYTES``).
"""

import os

PAYLOAD_BYTES = int(os.environ.get("BENCH_PAYLOAD_BYTES", "20000"))
BODY = (b"<!doctype html><title>hello</title><p>" + b"x" * PAYLOAD_BYTES)[:PAYLOAD_BYTES]
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
