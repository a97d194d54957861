# ruff: noqa: S608 -- the SQL is built from the constants in this file only
"""
How search behaves on a large PostgreSQL table: the plans and the time per results page.

    DATABASE_URL=postgres://…/scratch .venv/bin/python bench/search_plan.py --articles 100000

Fills the database named by DATABASE_URL (migrated; use a scratch database)
with generated articles up to ``--articles`` (slugs ``plan-…``, four sections
each, words drawn with a skewed frequency so that some terms are common and
some rare), builds their search vectors, then prints EXPLAIN ANALYZE for a few
searches and the p50/p95 of a results page's one statement and of the count
alone. Rows it made are kept for the next run; ``--drop`` deletes them.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopolitics.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles import search  # noqa: E402
from articles.models import Article, Author  # noqa: E402

WORDS = [
    "the",
    "state",
    "sea",
    "trade",
    "power",
    "war",
    "energy",
    "gas",
    "oil",
    "grain",
    "port",
    "border",
    "treaty",
    "sanction",
    "sanctions",
    "navy",
    "army",
    "alliance",
    "election",
    "coalition",
    "minister",
    "summit",
    "pipeline",
    "pipelines",
    "shipping",
    "strait",
    "canal",
    "river",
    "dam",
    "drought",
    "famine",
    "migration",
    "refugee",
    "census",
    "budget",
    "tariff",
    "export",
    "import",
    "currency",
    "inflation",
    "debt",
    "bond",
    "bank",
    "lithium",
    "cobalt",
    "copper",
    "uranium",
    "enrichment",
    "reactor",
    "missile",
    "drone",
    "cable",
    "satellite",
    "arctic",
    "ice",
    "thaw",
    "route",
    "corridor",
    "island",
    "reef",
    "fishery",
    "fisheries",
    "tanker",
    "insurance",
    "freight",
    "harbour",
    "embassy",
    "envoy",
    "ceasefire",
    "mediation",
    "referendum",
    "protest",
    "coup",
    "junta",
    "militia",
    "insurgency",
    "frontier",
    "enclave",
    "exclave",
    "province",
    "autonomy",
    "federation",
    "sovereignty",
    "recognition",
    "veto",
    "council",
    "resolution",
    "mandate",
    "peacekeeping",
    "observer",
    "monitor",
    "archive",
    "memoir",
    "chronicle",
    "tungsten",
    "hafnium",
    "gallium",
    "germanium",
]
SEARCHES = [["sea"], ["sanctions"], ["tungsten"], ["arctic", "shipping"], ["germanium", "cable"]]


def fill(count):
    have = Article.objects.filter(slug__startswith="plan-").count()
    if have >= count:
        return
    author, _ = Author.objects.get_or_create(slug="plan-author", defaults={"name": "Plan Author"})
    words_sql = "ARRAY[" + ", ".join(f"'{w}'" for w in WORDS) + "]"
    # One word in fifty is a named one, skewed towards the first (common) ones;
    # the rest come from 30,000 made-up words, also skewed: a Zipf-like mix.
    pick = (
        f"CASE WHEN random() < 0.02 "
        f"THEN ({words_sql})[1 + floor(power(random(), 4) * {len(WORDS)})::int] "
        f"ELSE 'w' || floor(power(random(), 3) * 30000)::int END"
    )

    def text(n, outer):
        return f"(SELECT string_agg({pick}, ' ') FROM generate_series(1, {n}) WHERE {outer} > 0)"

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO articles_article (title, slug, standfirst, standfirst_word_count,
                author_id, status, published_at, comments_open, created_at, updated_at)
            SELECT {text(6, "g")}, 'plan-' || g, {text(30, "g")}, 30, %s, 'published',
                now() - g * interval '1 hour', true, now(), now()
            FROM generate_series(%s, %s) AS g
            """,
            [author.pk, have + 1, count],
        )
        cursor.execute(
            f"""
            INSERT INTO articles_section (article_id, position, heading, level, anchor,
                body, body_html, notes, body_text, word_count)
            SELECT a.id, p, {text(4, "a.id + p")}, 2, 'section-' || p, '', '', '[]',
                {text(120, "a.id + p")}, 124
            FROM articles_article a CROSS JOIN generate_series(1, 4) AS p
            WHERE a.slug LIKE 'plan-%%'
              AND NOT EXISTS (SELECT 1 FROM articles_section s WHERE s.article_id = a.id)
            """
        )
    print(f"inserted {count - have} articles; building their search vectors…", flush=True)
    pending = Article.objects.filter(slug__startswith="plan-", search_vector__isnull=True)
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        batch = ids[start : start + 5000]
        search.refresh_search_vectors(Article.objects.filter(pk__gte=batch[0], pk__lte=batch[-1]))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")
        cursor.execute("ANALYZE articles_section")


def results_page(terms):
    """Milliseconds for the first page (one statement: the ranked newest matches, their
    count, the page's rows and snippets, articles.search_sql) and for the count alone
    (the statement a page number past the last result costs)."""
    queryset = Article.objects.published().searched(terms)
    with search.time_limit():  # as the view runs it
        started = time.perf_counter()
        search.SearchPaginator(queryset, settings.ARTICLES_PER_PAGE, terms=terms).page(1)
        paged = time.perf_counter()
        search.SearchPaginator(queryset, settings.ARTICLES_PER_PAGE, terms=terms).count  # noqa: B018
        counted = time.perf_counter()
    return [(paged - started) * 1000, (counted - paged) * 1000]


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--drop", action="store_true", help="delete the generated rows and stop")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("search_plan.py needs PostgreSQL: set DATABASE_URL to a scratch database")
    if options.drop:
        Article.objects.filter(slug__startswith="plan-").delete()
        Author.objects.filter(slug="plan-author").delete()
        return
    fill(options.articles)
    for terms in SEARCHES:
        queryset = Article.objects.published().for_listing().searched(terms)
        with search.time_limit():
            print(f"\n== {' '.join(terms)}: {queryset.count()} matches")
            print(queryset[: settings.ARTICLES_PER_PAGE].explain(analyze=True))
    print(f"\nresults page, ms (p50 / p95 of {options.rounds} rounds):")
    print(f"  {'terms':20} {'page':>13} {'count alone':>13}")
    for terms in SEARCHES:
        rounds = [results_page(terms) for _ in range(options.rounds)]
        cells = []
        for part in zip(*rounds, strict=True):
            ordered = sorted(part)
            p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
            cells.append(f"{statistics.median(ordered):5.1f} / {p95:5.1f}")
        print(f"  {' '.join(terms):20} " + " ".join(f"{cell:>13}" for cell in cells))


if __name__ == "__main__":
    main()
