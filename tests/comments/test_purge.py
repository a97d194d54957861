import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment

from ..factories import CommentFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def purge(*args):
    out = StringIO()
    call_command("purge_comment_personal_data", *args, stdout=out)
    return out.getvalue()


def test_purge_blanks_email_and_ip_hash_of_old_comments_only():
    old = CommentFactory(created_at=days_ago(91), approved=True, notify=True, body="Old words.")
    recent = CommentFactory(created_at=days_ago(89))

    output = purge("--older-than", "90")

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.ip_hash, old.notify) == ("", "", False)
    assert old.body == "Old words." and old.status == Comment.Status.APPROVED
    assert recent.email and recent.ip_hash
    assert output == "Blanked the e-mail and IP hash of 1 comment older than 90 days.\n"


def test_dry_run_counts_and_changes_nothing():
    CommentFactory.create_batch(2, created_at=days_ago(100))

    output = purge("--older-than", "90", "--dry-run")

    assert "Would blank the e-mail and IP hash of 2 comments" in output
    assert Comment.objects.filter(email="").count() == 0


def test_a_second_run_finds_nothing_left():
    CommentFactory(created_at=days_ago(100))
    purge("--older-than", "30")

    assert "of 0 comments" in purge("--older-than", "30")


@pytest.mark.parametrize("args", [[], ["--older-than", "0"], ["--older-than", "soon"]])
def test_bad_arguments_are_a_clear_error_and_change_nothing(args):
    comment = CommentFactory(created_at=days_ago(400))

    with pytest.raises(CommandError):
        purge(*args)

    comment.refresh_from_db()
    assert comment.email and comment.ip_hash


def test_purge_costs_the_same_queries_for_many_comments(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CommentFactory(created_at=days_ago(200))
    with CaptureQueriesContext(connection) as few:
        purge("--older-than", "90")
    CommentFactory.create_batch(40, created_at=days_ago(200))

    with django_assert_max_num_queries(len(few)):
        purge("--older-than", "90")


def test_purge_removes_old_reports_and_the_fingerprint_derived_from_the_email():
    from comments import moderation
    from comments.models import CommentReport

    old = CommentFactory(created_at=days_ago(91), approved=True, fingerprint="f" * 64)
    moderation.report(old, ip_hash="a" * 64)
    CommentReport.objects.update(created_at=days_ago(91))
    moderation.report(old, ip_hash="b" * 64)

    purge("--older-than", "90")

    old.refresh_from_db()
    assert old.fingerprint == ""
    assert list(CommentReport.objects.values_list("ip_hash", flat=True)) == ["b" * 64]
