"""Make the smaller copies of figures that lack them (figures stored before issue 8, bulk rows)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F

from articles import page_cache
from articles.models import Figure
from articles.renditions import make_renditions


class Command(BaseCommand):
    help = (
        "Write the renditions (smaller copies for phones and tablets) of every figure "
        "whose image has none yet; --all makes them afresh for every figure."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="remake",
            help="Remake renditions even where they exist.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the figures; write nothing."
        )

    def handle(self, *args, remake, dry_run, **options):
        figures = Figure.objects.exclude(image="").order_by("pk")
        if not remake:
            figures = figures.exclude(renditions_of=F("image"))
        fields = ["image", "width", "height", "renditions", "renditions_of"]
        count = made = 0
        for figure in figures.only(*fields).iterator(chunk_size=200):
            count += 1
            if dry_run:
                continue
            # One figure at a time: an interrupted run keeps what it finished.
            # update(), not save(): save() keeps the renditions already stored.
            with transaction.atomic():
                made += len(make_renditions(figure))
                Figure.objects.filter(pk=figure.pk).update(
                    renditions=figure.renditions, renditions_of=figure.renditions_of
                )
            if options["verbosity"] >= 2:
                self.stdout.write(f"{figure.image.name}: {len(figure.renditions)} renditions")
        if made:
            page_cache.content_changed()
        if options["verbosity"] >= 1:
            plural = "s" if count != 1 else ""
            if dry_run:
                self.stdout.write(f"Would make renditions for {count} figure{plural}.")
            else:
                self.stdout.write(f"Made {made} renditions for {count} figure{plural}.")
