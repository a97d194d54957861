"""Create or update a staff login in one role: contributor, editor or moderator."""

import shlex
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from articles.models import Author

# Role → the group its data migration made (articles/0004, comments/0002).
ROLES = {"contributor": "Contributors", "editor": "Editors", "moderator": "Moderators"}


class Command(BaseCommand):
    help = (
        "Create a staff login in one role, or move an existing one to it. Contributors write "
        "and submit their own articles (link them to their author profile with --author); "
        "editors review, schedule and publish; moderators handle comments only."
    )
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--author",
            metavar="SLUG",
            help="Link this author profile to the login: its articles are the user's own.",
        )
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )

    def handle(self, *args, username, role, email, author, password_from_stdin, **options):
        User = get_user_model()
        group = Group.objects.filter(name=ROLES[role]).first()
        if group is None:
            raise CommandError(f"The group {ROLES[role]} does not exist: run `manage.py migrate`.")
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            try:
                user.clean_fields(
                    exclude=[f.name for f in User._meta.fields if f.name != "username"]
                )
            except ValidationError as error:
                problems = " ".join(error.message_dict.get("username", []))
                raise CommandError(f"{username!r} cannot be a username: {problems}") from None
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not an e-mail address.") from None
            user.email = email
        profile = self._author(author, user) if author else None
        password = self._password(user, options.get("stdin")) if password_from_stdin else None

        created = user.pk is None
        with transaction.atomic():
            user.is_staff = True
            if password is not None:
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=ROLES.values()))
            user.groups.add(group)
            if profile is not None:
                profile.user = user
                profile.save(update_fields=["user"])

        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username}: {role} ({group.name})."))
        if profile is not None:
            self.stdout.write(f"Writes as the author {profile.name} ({profile.slug}).")
        elif role == "contributor" and not Author.objects.filter(user=user).exists():
            self.stdout.write(
                self.style.WARNING(
                    "No author profile is linked yet: run again with --author SLUG, or set "
                    "the login on the author's page in the admin, before they can write."
                )
            )
        if password is None and not user.has_usable_password():
            self.stdout.write(
                f"Set a password with: python manage.py changepassword {shlex.quote(username)}"
            )

    def _author(self, slug, user):
        profile = Author.objects.filter(slug=slug).first()
        if profile is None:
            raise CommandError(f"No author with the slug {slug!r}.")
        if profile.user_id is not None and profile.user_id != user.pk:
            raise CommandError(f"The author {slug!r} is already linked to another login.")
        other = Author.objects.filter(user=user).exclude(pk=profile.pk).first() if user.pk else None
        if other is not None:
            raise CommandError(f"{user.username} already writes as the author {other.slug!r}.")
        return profile

    def _password(self, user, stdin):
        password = (stdin or sys.stdin).readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password on standard input.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
