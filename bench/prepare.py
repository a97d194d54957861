"""Inside Django, with the benchmark's environment: pick URLs, count queries, make POST bodies.

Run by bench/run.py as ``python -m bench.prepare OUT_DIR POSTS``; writes
``OUT_DIR/prepare.json`` and ``OUT_DIR/post-bodies.txt`` (one urlencoded
comment form per line, each with its own single-use form token).
"""

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import django

SEARCH_QUERIES = [
    "energy",
    "sanctions",
    "arctic shipping",
    "grain corridor",
    "pipelines",
    "rare earths",
    "nuclear power",
    "ceasefire negotiation",
    "refugees",
    "semiconductors",
    "baltic",
    "lithium",
]


def main(out_dir, posts):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopolitics.settings")
    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from articles.models import Article, Author, public_tags
    from comments.models import Comment
    from comments.spam import issue_form_token

    published = Article.objects.published()
    article = (
        published.annotate(n=Count("sections")).filter(n=14).order_by("-pk").first()
        or published.order_by("pk").first()
    )
    busiest = (
        Comment.objects.approved()
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    long_article = published.get(pk=busiest["article"]) if busiest else article
    tag = public_tags().filter(slug__in=article.tags.values("slug")).first()
    author = Author.objects.public().filter(pk=article.author_id).first()

    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "article": article.get_absolute_url(),
        "long_discussion": long_article.get_absolute_url(),
        "home": "/",
        "tag": reverse("articles:tag", kwargs={"slug": tag.slug}) if tag else "/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=energy",
    }
    queries, statuses, sizes = {}, {}, {}
    for name, url in pages.items():
        separator = "&" if "?" in url else "?"
        client.get(f"{url}{separator}warm=1")  # content types, templates: once per process
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{url}{separator}count=1")
        queries[name], statuses[name], sizes[name] = (
            len(captured),
            response.status_code,
            len(response.content),
        )

    csrf = _get_new_csrf_string()  # an unmasked secret is accepted as the form value too
    stamp = int(time.time())
    with (out_dir / "post-bodies.txt").open("w", encoding="ascii") as bodies:
        for n in range(posts):
            form = {
                "csrfmiddlewaretoken": csrf,
                "name": f"Bench reader {n}",
                "email": f"bench-{stamp}-{n}@example.net",
                "body": f"Bench comment {stamp}-{n}: the corridor argument needs a source.",
                "token": issue_form_token(issued_at=stamp - 60),
                "website": "",
                "section": "",
            }
            bodies.write(urlencode(form) + "\n")

    report = {
        "pages": pages,
        "queries": queries,
        "statuses": statuses,
        "sizes": sizes,
        "post_url": f"/comments/post/{article.slug}/",
        "csrf": csrf,
        "search_queries": SEARCH_QUERIES,
        "approved_on_long_discussion": busiest["n"] if busiest else 0,
    }
    (out_dir / "prepare.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
