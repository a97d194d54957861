"""Rewrite the stored search vectors of every article (PostgreSQL full-text search)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from articles.models import Article, SearchVectorIndex
from articles.search import refresh_search_vectors


class Command(BaseCommand):
    help = (
        "Rebuild the search index: rewrite every article's search vectors from its title, "
        "standfirst, sections, tags and author. Needed after rows were written without "
        "refresh_search_vector() (bulk inserts, SQL, an author or tag renamed). "
        "PostgreSQL only; SQLite searches without an index."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Articles per UPDATE statement and transaction (default 2000).",
        )
        parser.add_argument(
            "--recreate-indexes",
            action="store_true",
            help="Drop the GIN indexes first and build them again at the end: many times "
            "faster for a large table (after generate_bench_data, say), but searches are "
            "slow until it finishes.",
        )

    def handle(self, *args, **options):
        verbosity, batch_size = options["verbosity"], options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if connection.vendor != "postgresql":
            if verbosity >= 1:
                self.stdout.write(
                    f"Nothing to rebuild: {connection.vendor} has no search index "
                    "(search matches words directly)."
                )
            return
        indexes = [i for i in Article._meta.indexes if isinstance(i, SearchVectorIndex)]
        if options["recreate_indexes"]:
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.remove_index(Article, index)
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        done = 0
        try:
            for start in range(0, len(ids), batch_size):
                batch = ids[start : start + batch_size]
                with transaction.atomic():
                    done += refresh_search_vectors(
                        Article.objects.filter(pk__gte=batch[0], pk__lte=batch[-1])
                    )
                if verbosity >= 2:
                    self.stdout.write(f"  {done} of {len(ids)} articles")
        finally:
            if options["recreate_indexes"]:
                with connection.schema_editor() as editor:
                    editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    for index in indexes:
                        editor.add_index(Article, index)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Rebuilt the search index of {done} articles."))
