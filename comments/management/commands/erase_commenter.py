"""Erase one commenter's personal data on request, by e-mail address."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments import commenters
from comments.models import Commenter


class Command(BaseCommand):
    help = (
        "Erase the name, e-mail, text and address hash of every comment sent with EMAIL "
        "(any case); each row stays as a record of a deleted comment. The address's "
        "standing is forgotten too."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )

    def handle(self, *args, email, dry_run, **options):
        try:
            validate_email(email.strip())
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        if dry_run:
            count = commenters.comments_to_erase(email).count()
            known = Commenter.objects.for_email(email).exists()
            standing = " and its standing" if known else ""
            self.stdout.write(f"Would erase {count} comment(s){standing}; nothing changed.")
            return
        changes = commenters.erase(email)
        self.stdout.write(self.style.SUCCESS(f"Erased {len(changes)} comment(s)."))
