"""Import one article from a Markdown file, text copied from a web page, or a saved page."""

from django.core.management.base import BaseCommand, CommandError

from articles.importers import ImportFailed, import_article, split_tags


class Command(BaseCommand):
    help = (
        "Create one article from a Markdown file (optional front matter: title, standfirst, "
        "author, tags, date, countries, regions, actors), from plain text copied from a web "
        "page, or from a web page saved by a browser (.html/.htm). The article is a draft "
        "unless --publish is given. Nothing is saved if anything in the file is wrong. "
        "Private contact details in the file (the author's e-mail, phone, address, birth "
        "date) never reach a public field."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The .md/.markdown, .html/.htm or plain-text file to import."
        )
        parser.add_argument(
            "--author",
            metavar="SLUG",
            help="The author's slug. Chooses an existing author, or names the one the file "
            "describes when it is created.",
        )
        parser.add_argument(
            "--tags", default="", metavar="A,B", help="Comma-separated tags to add."
        )
        parser.add_argument(
            "--countries",
            default="",
            metavar="RU,IR",
            help="What the article is about: ISO 3166-1 codes (or names), comma-separated.",
        )
        parser.add_argument(
            "--regions", default="", metavar="SLUG,…", help="Region slugs (or names) it is about."
        )
        parser.add_argument(
            "--actors",
            default="",
            metavar="SLUG,…",
            help="Actor slugs (or names) it is about. They must exist (add them in the admin).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish now, or at the front matter date. Without it the article is a draft.",
        )

    def handle(self, *args, **options):
        try:
            result = import_article(
                options["path"],
                author_slug=options["author"],
                tags=split_tags(options["tags"]),
                countries=options["countries"],
                regions=options["regions"],
                actors=options["actors"],
                publish=options["publish"],
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from None

        if options["verbosity"] >= 1:
            article = result.article
            for note in result.notes:
                self.stdout.write(self.style.WARNING(note))
            self.stdout.write(
                self.style.SUCCESS(f"Created {article.get_status_display().lower()} article:")
                + f" {article.get_absolute_url()}"
            )
            self.stdout.write(f"Sections: {result.section_count}")
            created = " (new author)" if result.author_created else ""
            self.stdout.write(f"Author: {article.author.name}{created}")
