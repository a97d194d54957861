"""Blank commenters' e-mail addresses and IP hashes once they are no longer needed."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment, CommentReport


class Command(BaseCommand):
    help = (
        "Blank the e-mail address and IP hash (and switch off e-mail) of comments "
        "older than --older-than DAYS. The comments themselves stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS", help="Age in days, at least 1."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be blanked; change nothing."
        )

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError("--older-than must be a whole number of days, 1 or more.")
        cutoff = timezone.now() - datetime.timedelta(days=older_than)
        with transaction.atomic():
            stale = Comment.objects.filter(created_at__lt=cutoff).filter(
                ~Q(email="") | ~Q(ip_hash="") | Q(notify=True)
            )
            if dry_run:
                count = stale.count()
            else:
                # The fingerprint is derived from the e-mail, so it goes with it; readers'
                # reports carry their IP hash, so old reports go too.
                count = stale.update(email="", ip_hash="", notify=False, fingerprint="")
                CommentReport.objects.filter(created_at__lt=cutoff).delete()
        verb = "Would blank" if dry_run else "Blanked"
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{verb} the e-mail and IP hash of {count} comment{'s' if count != 1 else ''} "
                f"older than {older_than} day{'s' if older_than != 1 else ''}."
            )
