"""Inside Django, with the benchmark's environment: pick URLs, count queries, make POST bodies.

Run by bench/run.py as ``python -m bench.prepare OUT_DIR ROUNDS POSTS SEARCHES`` (the
last two per round); writes ``OUT_DIR/prepare.json``, ``searches.txt`` (the searches
repeated), ``searches-unique-<round>.txt`` and ``searches-alone-<round>.txt`` (searches
sent once each, see ``unique_searches``) and ``post-bodies-<round>.txt``: one comment
per line, as ``client address<TAB>urlencoded form``. Every form carries its
own single-use token and every line its own reader address, across all
rounds, so no form is sent twice and no reader trips the per-client rate
limit (bench/post.lua sends each line once, from that address).
"""

import ipaddress
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus, urlencode

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


def unique_searches(*, seed=8):
    """Every two-word search (URL-encoded) from the generated data's words, in both word
    orders, shuffled: 6,006 of them.

    Each is sent once (search.lua "once"), so the uncached search figure is what
    the database and the page cost, whatever cache of results sits in front. The
    same two words in the other order are another search to every cache (its text
    differs) and the same work to PostgreSQL; with one order only, a run at 16
    connections used up its share of 700 searches in under 5 of its 10 seconds.
    """
    from articles.management.commands.generate_bench_data import REGIONS, TOPICS, WORDS

    vocabulary = sorted({*TOPICS, *WORDS, *(region.split()[-1] for region in REGIONS)})
    pairs = list(itertools.permutations(vocabulary, 2))
    random.Random(seed).shuffle(pairs)
    return [quote_plus(" ".join(pair)) for pair in pairs]


def unique_search_files(rounds, per_round):
    """``{file name: searches}``: no search in two files, so none is ever sent twice.

    Per round, most go to the run at 16 connections (``searches-unique-<round>.txt``),
    the rest to the run with one connection per worker (``searches-alone-<round>.txt``,
    bench/run.py), which answers fewer a second.
    """
    unique = unique_searches()
    per_round = min(per_round, len(unique) // rounds)
    files = {}
    for number in range(1, rounds + 1):
        lines = unique[(number - 1) * per_round : number * per_round]
        queued = len(lines) * 7 // 10
        files[f"searches-unique-{number}.txt"] = lines[:queued]
        files[f"searches-alone-{number}.txt"] = lines[queued:]
    return files


# Reader addresses for the POST bodies: 10.0.0.1 onwards, one per comment.
FIRST_READER = ipaddress.ip_address("10.0.0.1")


def post_bodies(count, *, start=0, stamp=None):
    """``count`` lines of ``address<TAB>form``, numbered from ``start``: each its own reader.

    Tokens are dated a minute back, as if each reader had the page open that
    long, so the production minimum time to fill the form holds.
    """
    from comments.spam import clock, issue_form_token

    stamp = int(clock()) if stamp is None else stamp
    lines = []
    for n in range(start, start + count):
        form = {
            "name": f"Bench reader {n}",
            "email": f"bench-{stamp}-{n}@example.net",
            "body": f"Bench comment {stamp}-{n}: the corridor argument needs a source.",
            "section": "",
            "reply_to": "",
            "website": "",
            "token": issue_form_token(issued_at=stamp - 60),
        }
        lines.append(f"{FIRST_READER + n}\t{urlencode(form)}")
    return lines


def measured_articles():
    """The article measured (14 sections when there is one) and the most discussed one."""
    from django.db.models import Count

    from articles.models import Article
    from comments.models import Comment

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
    return article, long_article


def main(out_dir, rounds, posts_per_round, searches_per_round):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopolitics.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from articles.models import Author, public_tags
    from comments.models import Comment

    article, long_article = measured_articles()
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
        # Content types, templates: once per process. Search is warmed with another
        # word, so that the count is of a search no cache of results has seen.
        client.get("/search/?q=grain" if name == "search" else f"{url}{separator}warm=1")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{url}{separator}count=1")
        queries[name], statuses[name], sizes[name] = (
            len(captured),
            response.status_code,
            len(response.content),
        )
    # The same article pages with every cache off: what a first rendering costs.
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name in ["article", "long_discussion"]:
            with CaptureQueriesContext(connection) as captured:
                client.get(f"{pages[name]}?cold=1")
            queries[f"{name}_cold"] = len(captured)

    stamp = int(time.time())
    for number in range(1, rounds + 1):
        lines = post_bodies(posts_per_round, start=(number - 1) * posts_per_round, stamp=stamp)
        path = out_dir / f"post-bodies-{number}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="ascii")

    (out_dir / "searches.txt").write_text(
        "\n".join(quote_plus(query) for query in SEARCH_QUERIES) + "\n", encoding="ascii"
    )
    for name, lines in unique_search_files(rounds, searches_per_round).items():
        (out_dir / name).write_text("\n".join(lines) + "\n", encoding="ascii")

    report = {
        "pages": pages,
        "queries": queries,
        "statuses": statuses,
        "sizes": sizes,
        "post_url": f"/comments/post/{article.slug}/",
        "search_queries": SEARCH_QUERIES,
        "approved_on_long_discussion": Comment.objects.approved()
        .filter(article=long_article)
        .count(),
    }
    (out_dir / "prepare.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), *(int(arg) for arg in sys.argv[2:5]))
