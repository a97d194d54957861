"""Load the demo authors and articles, written for this project (see articles/demo/)."""

from django.core.management.base import BaseCommand

from articles.demo.loader import load_demo
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Create or refresh the demo content: three published long-form articles with "
        "sections, footnotes, figures and tags, and their two authors. Running it again "
        "updates the same rows instead of adding new ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any article exists (used by 'make run').",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        if options["if_empty"] and Article.objects.exists():
            if verbosity >= 1:
                self.stdout.write("Articles already exist; demo content not loaded.")
            return

        articles = load_demo()

        if verbosity >= 2:
            for article in articles:
                self.stdout.write(
                    f"  {article.get_absolute_url()}  {article.title} "
                    f"({article.sections.count()} sections, {article.figures.count()} figures)"
                )
        if verbosity >= 1:
            authors = {article.author_id for article in articles}
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {len(articles)} demo articles by {len(authors)} authors."
                )
            )
