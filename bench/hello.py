"""The ceiling: a plain Django view returning a fixed page as large as the article page.

Issue 8 defines the ceiling as "a plain Django view returning a fixed 20 KB
page"; the payload here is ``BENCH_PAYLOAD_BYTES`` (the measured article page
size). The settings live in this module (``settings.configure``), so the
project's settings, apps and database are never loaded.

No middleware, no apps, no database: Django's request handling, URL resolving
and ``HttpResponse`` and nothing else. That is the stricter choice (the
startproject defaults would add sessions, CSRF, auth, messages and clickjacking
to every request and lower the ceiling), and it is what "the ceiling for any
Django page" means: no page of the project can be cheaper than this. It also
keeps the comparison fair for the page cache, whose hits skip the project's
middleware below it on purpose.

Run it alone with ``gunicorn bench.hello:application``.
"""

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

PAYLOAD_BYTES = int(os.environ.get("BENCH_PAYLOAD_BYTES", "20000"))
BODY = (b"<!doctype html><title>hello</title><p>" + b"x" * PAYLOAD_BYTES)[:PAYLOAD_BYTES]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-hello-signs-nothing",  # noqa: S106 (nothing is signed)
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        DATABASES={},
        USE_I18N=False,
    )
    django.setup()


def hello(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
