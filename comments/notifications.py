"""
E-mail about comments: who hears of what, and the messages they get.

Moderators hear of every comment that enters the pending queue. A commenter
who ticked the box hears when their comment is approved and when an approved
reply to it appears; each such e-mail carries a signed unsubscribe link (and
the RFC 8058 one-click headers). The functions here only build messages;
``tasks.py`` sends them from the task queue, off the request path, once
``moderation.py``'s transaction has committed.

Subjects are built from what readers and editors typed, so ``one_line()``
makes them one line: a stored name with a line break must never make the
mail library refuse the header (``BadHeaderError``).
"""

import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from . import policy
from .durations import format_duration
from .models import Comment

MODERATORS_GROUP = "Moderators"
UNSUBSCRIBE_SALT = "comments.unsubscribe"


def absolute(path):
    return f"{settings.COMMENTS_SITE_URL}{path}"


def one_line(text):
    """One line: control and format characters (line breaks, bidi overrides) become spaces."""
    cleaned = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} else char for char in text
    )
    return " ".join(cleaned.split())


def moderator_messages(comment):
    """One e-mail per active moderator with an address, linking to the comment in the admin."""
    return _to_moderators(
        comment,
        subject=f"Comment to moderate on “{comment.article.title}”",
        template="comments/email/moderators.txt",
    )


def report_messages(comment, report):
    """Tell moderators that readers reported a public comment (it stays public meanwhile)."""
    return _to_moderators(
        comment,
        subject=f"Comment reported on “{comment.article.title}”",
        template="comments/email/reported.txt",
        report=report,
    )


def surge_messages(mode):
    """Tell moderators that a surge put an article in strict mode, with the desk's address."""
    context = {
        "mode": mode,
        "article": mode.article,
        "desk_url": absolute(reverse("admin:comments_comment_desk")),
    }
    subject = one_line(f"Strict mode on “{mode.article.title}”: a surge of comments or reports")
    body = render_to_string("comments/email/surge.txt", context)
    return [EmailMessage(subject, body, to=[address]) for address in _moderator_addresses()]


DIGEST_SIZE = 20  # comments listed in a digest; the counts cover them all


def digest_messages(counts, newest):
    """The moderators' digest: counts per desk tab and the ``newest`` comments waiting."""
    context = {
        "counts": counts,
        "newest": newest,
        "more": counts["waiting"] - len(newest),
        "desk_url": absolute(reverse("admin:comments_comment_desk")),
    }
    subject = f"{counts['waiting']} comment{'s' if counts['waiting'] != 1 else ''} to moderate"
    body = render_to_string("comments/email/digest.txt", context)
    return [EmailMessage(subject, body, to=[address]) for address in _moderator_addresses()]


def _moderator_addresses():
    return (
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _to_moderators(comment, *, subject, template, **extra):
    recipients = _moderator_addresses()
    context = {
        **extra,
        "comment": comment,
        "article": comment.article,
        "admin_url": absolute(reverse("admin:comments_comment_change", args=[comment.pk])),
    }
    body = render_to_string(template, context)
    return [EmailMessage(one_line(subject), body, to=[address]) for address in recipients]


def approval_messages(comment):
    """Tell the commenter, and the author of the comment it replies to, if they asked."""
    messages = []
    if comment.notify and comment.email:
        messages.append(
            _to_commenter(
                comment,
                subject=f"Your comment on “{comment.article.title}” is published",
                template="comments/email/approved.txt",
                context={"comment": comment},
            )
        )
    parent = comment.parent if comment.parent_id else None
    if (
        parent is not None
        and parent.notify
        and parent.email
        and parent.status == Comment.Status.APPROVED
        and parent.email.lower() != comment.email.lower()
    ):
        messages.append(
            _to_commenter(
                parent,
                subject=f"{comment.name} replied to your comment on “{comment.article.title}”",
                template="comments/email/reply.txt",
                context={"comment": parent, "reply": comment},
            )
        )
    return messages


def verification_message(comment):
    """The signed link that proves the commenter reads the address they typed."""
    from .commenters import verification_token
    from .editing import edit_token

    verify_url = absolute(reverse("comments:verify", kwargs={"token": verification_token(comment)}))
    edit_url = absolute(reverse("comments:edit", kwargs={"token": edit_token(comment)}))
    context = {
        "comment": comment,
        "article": comment.article,
        "verify_url": verify_url,
        "edit_url": edit_url,
        "edit_window": format_duration(policy.current().edit_window),
    }
    body = render_to_string("comments/email/verify.txt", context)
    return EmailMessage(
        one_line(f"Confirm your address for your comment on “{comment.article.title}”"),
        body,
        to=[comment.email],
    )


def unsubscribe_token(comment):
    return signing.dumps(comment.pk, salt=UNSUBSCRIBE_SALT)


def comment_for_unsubscribe_token(token):
    """The comment the link was sent about, or None for a link that is not ours."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def stop_emails(comment):
    """No more e-mail to this commenter's address, about any comment. Returns the count."""
    same_person = Comment.objects.by_email(comment.email) | Comment.objects.filter(pk=comment.pk)
    return same_person.filter(notify=True).update(notify=False)


def _to_commenter(comment, *, subject, template, context):
    unsubscribe_url = absolute(
        reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(comment)})
    )
    body = render_to_string(
        template,
        {
            **context,
            "article": comment.article,
            "permalink": absolute(comment.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
        },
    )
    return EmailMessage(
        one_line(subject),
        body,
        to=[comment.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
