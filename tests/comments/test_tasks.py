"""E-mail through the real task queue: the database backend, its worker, retries, re-runs.

The rest of the suite runs tasks at once (tests/conftest.py); here the
project's own queue is used, with real commits, and the worker command runs
in-process for one batch.
"""

import io
import signal
import smtplib

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments import moderation, notifications
from comments.models import Comment

from ..factories import ArticleFactory, CommentFactory


@pytest.fixture(autouse=True)
def _one_email_per_comment(settings):
    """These tests cover one e-mail per comment or report; the digest: test_digest.py."""
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 0


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class FailingSMTP(BaseEmailBackend):
    """A mail server that refuses every message, and counts the tries."""

    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SMTPThatRecovers(BaseEmailBackend):
    """Refuses the first message it is given, then delivers to the test outbox."""

    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        if type(self).calls == 1:
            raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture(autouse=True)
def database_queue(settings):
    """The project's queue (settings.py), instead of the suite's immediate backend."""
    settings.TASKS = DATABASE_QUEUE
    FailingSMTP.calls = SMTPThatRecovers.calls = 0


@pytest.fixture
def run_worker():
    """``run_worker()`` runs ``manage.py db_worker`` for one batch (every task that is ready)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def run():
        out = io.StringIO()
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", stdout=out
        )
        return out.getvalue()

    yield run
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def queued(task_name):
    return DBTaskResult.objects.filter(task_path=f"comments.tasks.{task_name}")


@committing
def test_a_comment_post_sends_no_email_in_the_request_and_the_worker_sends_it(
    client, open_article, comment_data, moderator, mailoutbox, run_worker
):
    response = client.post(reverse("comments:post", args=[open_article.slug]), comment_data())

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert mailoutbox == [], "no e-mail leaves inside the reader's request"
    [task] = queued("notify_moderators")
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs == {"args": [comment.pk], "kwargs": {}}

    run_worker()

    [message] = [m for m in mailoutbox if m.to == [moderator.email]]
    assert "Straits and chokepoints" in message.subject
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == 1


@committing
def test_the_queue_holds_ids_not_what_readers_typed(client, open_article, comment_data, moderator):
    client.post(
        reverse("comments:post", args=[open_article.slug]),
        comment_data(name="Private Person", email="private.person@example.net"),
    )

    tasks = DBTaskResult.objects.all()
    assert {task.task_path.rsplit(".", 1)[1] for task in tasks} == {
        "notify_moderators",
        "send_verification",
    }
    stored = str([task.args_kwargs for task in tasks])
    assert "private.person@example.net" not in stored
    assert "Private Person" not in stored


@committing
def test_a_post_costs_the_same_queries_however_many_moderators_there_are(
    client, open_article, comment_data, moderator, django_assert_max_num_queries
):
    url = reverse("comments:post", args=[open_article.slug])
    with django_assert_max_num_queries(40) as one_moderator:
        client.post(url, comment_data(body="First thoughts on the straits."))
    for n in range(20):
        User.objects.create_user(f"mod{n}", f"mod{n}@newsroom.example").groups.add(
            moderator.groups.get()
        )

    with django_assert_max_num_queries(len(one_moderator.captured_queries)):
        client.post(url, comment_data(body="Second thoughts on the straits."))

    assert Comment.objects.count() == 2
    assert queued("notify_moderators").count() == 2


@committing
def test_an_approval_that_rolls_back_queues_nothing(mailoutbox, run_worker):
    comment = CommentFactory(notify=True)

    with pytest.raises(RuntimeError), transaction.atomic():
        moderation.approve(comment)
        raise RuntimeError("something after the decision failed")

    assert DBTaskResult.objects.count() == 0
    run_worker()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert mailoutbox == []


@committing
def test_an_approval_is_announced_by_the_worker_not_by_the_moderator_request(
    client, moderator, mailoutbox, run_worker
):
    comment = CommentFactory(notify=True, email="ana@example.net")
    client.force_login(moderator)

    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve_selected", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 302
    assert mailoutbox == []
    assert queued("comment_approved").get().status == TaskResultStatus.READY
    run_worker()
    [message] = mailoutbox
    assert message.to == ["ana@example.net"]
    assert "is published" in message.subject


@committing
def test_a_failing_mail_server_leaves_the_task_failed_and_the_decision_stands(
    settings, mailoutbox, run_worker, caplog
):
    settings.EMAIL_BACKEND = "tests.comments.test_tasks.FailingSMTP"
    comment = CommentFactory(notify=True)

    change = moderation.approve(comment)
    run_worker()

    comment.refresh_from_db()
    assert change is not None and comment.status == Comment.Status.APPROVED
    task = queued("comment_approved").get()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "smtplib.SMTPServerDisconnected"
    assert FailingSMTP.calls == settings.COMMENTS_MAIL_ATTEMPTS == 3
    assert "(attempt 1 of 3" in caplog.text
    assert (
        f"Could not send comment_approved e-mail about comment {comment.pk} after 3 attempts"
        in caplog.text
    )
    assert "requeue_failed_mail" in caplog.text
    assert mailoutbox == []


@committing
def test_a_failed_email_is_sent_once_the_operator_requeues_it(settings, mailoutbox, run_worker):
    settings.EMAIL_BACKEND = "tests.comments.test_tasks.FailingSMTP"
    moderation.approve(CommentFactory(notify=True, email="ana@example.net"))
    run_worker()
    assert queued("comment_approved").get().status == TaskResultStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()

    call_command("requeue_failed_mail", stdout=out)
    run_worker()

    assert out.getvalue().strip() == "Put 1 failed e-mail task back in the queue."
    [message] = mailoutbox
    assert message.to == ["ana@example.net"]
    assert queued("comment_approved").get().status == TaskResultStatus.SUCCESSFUL
    again = io.StringIO()
    call_command("requeue_failed_mail", stdout=again)
    run_worker()
    assert again.getvalue().strip() == "Put 0 failed e-mail tasks back in the queue."
    assert len(mailoutbox) == 1, "a task that went out is not sent twice"


@committing
def test_a_dry_run_requeues_nothing(settings, run_worker):
    settings.EMAIL_BACKEND = "tests.comments.test_tasks.FailingSMTP"
    moderation.approve(CommentFactory(notify=True))
    run_worker()
    out = io.StringIO()

    call_command("requeue_failed_mail", "--dry-run", stdout=out)

    assert out.getvalue().strip() == "Would put 1 failed e-mail task back in the queue."
    assert queued("comment_approved").get().status == TaskResultStatus.FAILED


def test_requeue_without_the_database_queue_is_a_one_line_error(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    with pytest.raises(CommandError, match="needs the database task backend"):
        call_command("requeue_failed_mail")


@committing
def test_a_mail_server_that_recovers_within_the_retries_delivers_once(
    settings, mailoutbox, run_worker, caplog
):
    settings.EMAIL_BACKEND = "tests.comments.test_tasks.SMTPThatRecovers"
    comment = CommentFactory(notify=True, email="ana@example.net")

    moderation.approve(comment)
    run_worker()

    assert [m.to for m in mailoutbox] == [["ana@example.net"]]
    assert queued("comment_approved").get().status == TaskResultStatus.SUCCESSFUL
    assert f"Could not send comment_approved e-mail about comment {comment.pk}" in caplog.text
    assert "trying again" in caplog.text


@committing
def test_a_comment_deleted_before_the_worker_runs_sends_nothing(mailoutbox, run_worker):
    comment = CommentFactory(notify=True)
    moderation.approve(comment)

    Comment.objects.filter(pk=comment.pk).delete()
    run_worker()

    assert mailoutbox == []
    task = queued("comment_approved").get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == 0


@committing
def test_a_comment_taken_down_before_the_worker_runs_is_not_announced_as_published(
    moderator, mailoutbox, run_worker
):
    comment = CommentFactory(notify=True)
    moderation.approve(comment, moderator=moderator)

    moderation.reject(comment, reason=Comment.RemovalReason.OFF_TOPIC, moderator=moderator)
    run_worker()

    assert mailoutbox == []


@committing
def test_a_commenter_who_unsubscribes_before_the_worker_runs_gets_nothing(
    client, mailoutbox, run_worker
):
    comment = CommentFactory(notify=True, email="ana@example.net")
    moderation.approve(comment)

    token = notifications.unsubscribe_token(comment)
    assert client.post(reverse("comments:unsubscribe", args=[token])).status_code == 200
    run_worker()

    assert mailoutbox == []


@committing
def test_moderators_are_not_told_of_a_comment_already_moderated(
    client, open_article, comment_data, moderator, mailoutbox, run_worker
):
    client.post(reverse("comments:post", args=[open_article.slug]), comment_data())

    moderation.mark_spam(Comment.objects.get(), moderator=moderator)
    run_worker()

    assert mailoutbox == []
    assert queued("notify_moderators").get().return_value == 0
    assert queued("send_verification").get().return_value == 0


@committing
def test_a_report_reaches_moderators_through_the_worker_unless_they_kept_the_comment_first(
    client, moderator, mailoutbox, run_worker
):
    reported = CommentFactory(approved=True, body="Reported words.")
    kept = CommentFactory(approved=True, body="Words a moderator kept.")
    for comment in (reported, kept):
        client.post(reverse("comments:report", args=[comment.pk]), {"reason": "abusive"})
    assert mailoutbox == []
    assert queued("notify_moderators_of_report").count() == 2

    moderation.approve(kept, moderator=moderator)
    run_worker()

    [message] = mailoutbox
    assert "reported" in message.subject
    assert "Reported words." in message.body


# What a form lets through: no lone surrogates, and no NUL (PostgreSQL refuses it).
texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=120,
).filter(str.strip)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=texts, body=texts, title=texts)
def test_whatever_readers_and_editors_typed_the_queued_email_goes_out_on_one_line(
    name, body, title, django_capture_on_commit_callbacks
):
    """The worker function itself (``Worker.run_task``), on rows this test's transaction holds."""
    mail.outbox = []
    article = ArticleFactory(published=True, title=title)
    parent = CommentFactory(article=article, approved=True, notify=True, email="ana@example.net")
    reply = CommentFactory(article=article, parent=parent, name=name, body=body, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(reply)
    [row] = DBTaskResult.objects.ready().filter(args_kwargs__args=[reply.pk])
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="hypothesis",
        excluded_queue_names=[],
    )

    row.claim(worker.worker_id)
    worker.run_task(row)

    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    [message] = mail.outbox
    assert message.to == ["ana@example.net"]
    assert "\n" not in message.subject and "\r" not in message.subject
    message.message()  # the headers build: no BadHeaderError
