"""
E-mail about comments, sent from the task queue instead of the request (issue 8).

``moderation.py`` enqueues these tasks once its transaction has committed, so
a decision that rolls back queues nothing and no reader waits for a mail
server. Tasks take ids only (JSON arguments, no personal data in the queue),
re-read the rows when they run and decide then: a comment deleted, moderated
or unsubscribed in the meantime sends nothing. Each returns how many messages
went out.

The queue is Django's Tasks API through the ``django-tasks`` backport and its
database backend (``django-tasks-db``); ``python manage.py db_worker`` runs
the tasks. That backend never retries a task, so ``deliver()`` does: it tries
each message ``COMMENTS_MAIL_ATTEMPTS`` times, waiting
``COMMENTS_MAIL_RETRY_DELAY`` seconds (doubled each time) in between. When a
message still fails, the task raises: its row stays FAILED with the
traceback, and ``python manage.py requeue_failed_mail`` puts it back in the
queue once the mail server is back. Delivery is at least once: a re-run
repeats the messages of that task that went out before the failure.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import notifications
from .models import WAITING, Comment, CommentReport, StrictMode

logger = logging.getLogger(__name__)


@task()
def notify_moderators(comment_id):
    """Moderators hear of a new comment, if it still waits for them."""
    comment = _comments().filter(pk=comment_id, status=Comment.Status.PENDING).first()
    if comment is None:
        return 0
    return deliver(
        notifications.moderator_messages(comment), about=("notify_moderators", comment_id)
    )


@task()
def notify_moderators_of_report(comment_id, report_id):
    """Moderators hear of a reported comment, unless they dealt with it meanwhile."""
    comment = (
        _comments()
        .filter(pk=comment_id, status=Comment.Status.APPROVED, report_count__gt=0)
        .first()
    )
    report = CommentReport.objects.filter(pk=report_id, comment_id=comment_id).first()
    if comment is None or report is None:
        return 0
    messages = notifications.report_messages(comment, report)
    return deliver(messages, about=("notify_moderators_of_report", comment_id))


@task()
def comment_approved(comment_id):
    """The commenter and the parent's author hear of an approval, if they (still) asked."""
    comment = _comments().filter(pk=comment_id, status=Comment.Status.APPROVED).first()
    if comment is None:
        return 0
    return deliver(notifications.approval_messages(comment), about=("comment_approved", comment_id))


@task()
def send_verification(comment_id):
    """The address typed with a comment gets a link proving it is theirs (commenters.py)."""
    comment = (
        _comments()
        .filter(pk=comment_id, status=Comment.Status.PENDING, email_verified=False)
        .first()
    )
    if comment is None or not comment.email:
        return 0
    message = notifications.verification_message(comment)
    return deliver([message], about=("send_verification", comment_id))


@task()
def notify_moderators_of_surge(strict_mode_id):
    """Moderators hear that a surge put an article in strict mode, if it is still on."""
    mode = StrictMode.objects.active().select_related("article").filter(pk=strict_mode_id).first()
    if mode is None:
        return 0
    messages = notifications.surge_messages(mode)
    return deliver(messages, about=("notify_moderators_of_surge", strict_mode_id))


@task()
def send_moderator_digest():
    """One e-mail to each moderator: what waits on the desk now, newest first."""
    waiting = Comment.objects.filter(WAITING).select_related("article").order_by("-created_at")
    counts = Comment.objects.tab_counts()
    if not counts["waiting"]:
        return 0
    messages = notifications.digest_messages(counts, list(waiting[: notifications.DIGEST_SIZE]))
    return deliver(messages, about=("send_moderator_digest", None))


DIGEST_SCHEDULED = "comments:moderator-digest-scheduled"


def schedule_moderator_digest():
    """Queue the digest to go out in ``COMMENTS_MODERATOR_DIGEST_MINUTES``, unless one is.

    The first thing to wait for moderators in a quiet period schedules it; what
    arrives before it goes out is in it. A cache that cannot be reached
    schedules one anyway (a mail too many, never a mail lost). Called after a
    commit (``moderation.py``); a queue that refuses it is logged.
    """
    minutes = settings.COMMENTS_MODERATOR_DIGEST_MINUTES
    try:
        first = cache.add(DIGEST_SCHEDULED, 1, timeout=minutes * 60)
    except Exception:
        logger.warning("Cache unavailable: scheduling a moderators' digest anyway")
        first = True
    if not first:
        return
    digest = send_moderator_digest
    if digest.get_backend().supports_defer:
        digest = digest.using(run_after=timezone.now() + datetime.timedelta(minutes=minutes))
    try:
        digest.enqueue()
    except Exception:
        logger.exception("Could not queue the moderators' digest")


MAIL_TASKS = [
    notify_moderators,
    notify_moderators_of_report,
    comment_approved,
    notify_moderators_of_surge,
    send_moderator_digest,
    send_verification,
]


def enqueue_on_commit(task, *args):
    """Queue ``task`` with ``args`` (ids) once the transaction commits.

    A queue that refuses the task is logged, never raised: what was committed stands.
    """

    def enqueue():
        try:
            task.enqueue(*args)
        except Exception:
            logger.exception("Could not queue %s e-mail for %s", task.name, args)

    transaction.on_commit(enqueue)


def deliver(messages, *, about):
    """Send each message, with a bounded retry; raise when one still fails.

    ``about`` (task name, comment id) names the e-mail in the log. Stops at
    the first message that fails every attempt: a mail server that is down
    refuses the rest too, and the whole task is re-run later.
    """
    name, comment_id = about
    attempts = max(1, settings.COMMENTS_MAIL_ATTEMPTS)
    sent = 0
    for message in messages:
        for attempt in range(1, attempts + 1):
            try:
                sent += message.send()
                break
            except Exception as error:
                if attempt == attempts:
                    logger.error(
                        "Could not send %s e-mail about comment %s after %d attempts (%s); "
                        "the task is recorded as failed: run "
                        "'python manage.py requeue_failed_mail' to send it again.",
                        name,
                        comment_id,
                        attempts,
                        error,
                    )
                    raise
                delay = settings.COMMENTS_MAIL_RETRY_DELAY * 2 ** (attempt - 1)
                logger.warning(
                    "Could not send %s e-mail about comment %s (attempt %d of %d: %s); "
                    "trying again in %s s.",
                    name,
                    comment_id,
                    attempt,
                    attempts,
                    error,
                    delay,
                )
                time.sleep(delay)
    return sent


def _comments():
    return Comment.objects.select_related("article", "parent")
