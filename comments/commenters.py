"""
Commenters: who an e-mail address belongs to, and how far the site trusts it.

A typed address proves nothing, so trust never follows it alone. After a
post, the address gets a signed link about that comment
(``verification_token``); opening it and confirming (``verify``) marks the
address proven (``Commenter.verified_at``), the comment as sent by its owner
(``Comment.email_verified``), publishes the comment when the address has
earned trust, and lets the browser prove the address for later comments
(``remember_in`` / ``proven_email``, a signed cookie: no session, no query).

Moderators set a ``Commenter.Standing``; ``moderation.receive`` asks
``standing_of`` once per post.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from . import policy
from .models import Comment, Commenter, normalise_email

VERIFY_SALT = "comments.verify-email"
COOKIE = "commenter_proof"
COOKIE_SALT = "comments.commenter-proof"


def standing_of(email):
    """The moderator-set standing of this address (``normal`` when none): one query."""
    if not email:
        return Commenter.Standing.NORMAL
    found = Commenter.objects.for_email(email).values_list("standing", flat=True).first()
    return found or Commenter.Standing.NORMAL


def verified_commenter(email):
    """The ``Commenter`` who proved ``email`` (a verified reader), unless banned; else None."""
    if not email:
        return None
    return (
        Commenter.objects.for_email(email)
        .filter(verified_at__isnull=False)
        .exclude(standing=Commenter.Standing.BANNED)
        .first()
    )


def set_standing(email, standing):
    """A moderator's choice for this address; returns the ``Commenter``."""
    standing = Commenter.Standing(standing)
    commenter, _ = Commenter.objects.update_or_create(
        email=normalise_email(email), defaults={"standing": standing}
    )
    return commenter


def earns_trust(comment, standing):
    """Whether a comment may be published without a moderator.

    Only when its sender proved the address; then a trusted address always,
    a normal one after ``COMMENTS_AUTO_APPROVE_AFTER`` approved comments
    (0: never), a pre-moderated or banned one never.
    """
    if not comment.email or not comment.email_verified:
        return False
    if standing == Commenter.Standing.TRUSTED:
        return True
    needed = policy.current().auto_approve_after
    if standing != Commenter.Standing.NORMAL or needed <= 0:
        return False
    return Comment.objects.approved().by_email(comment.email).count() >= needed


def verification_token(comment):
    """The mailed link's token: the comment id and a keyed digest of its address.

    A signed value is only base64, readable by anyone who sees the URL (access
    logs, link scanners), so the address itself is never in it; the digest
    still ties the link to the address it was sent to.
    """
    return signing.dumps({"c": comment.pk, "a": _address_digest(comment.email)}, salt=VERIFY_SALT)


def comment_for_verification_token(token):
    """The comment the link was mailed about, or None (not ours, expired, address erased,
    or a link from before the address left the token)."""
    try:
        payload = signing.loads(
            token, salt=VERIFY_SALT, max_age=settings.COMMENTS_VERIFY_LINK_MAX_AGE
        )
        pk, digest = int(payload["c"]), str(payload["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    comment = Comment.objects.filter(pk=pk, deleted_at__isnull=True).first()
    if comment is None or not comment.email:
        return None
    if not constant_time_compare(_address_digest(comment.email), digest):
        return None
    return comment


def _address_digest(email):
    return salted_hmac(VERIFY_SALT, normalise_email(email)).hexdigest()[:20]


def verify(comment):
    """The owner of the address confirmed: record it, and publish the comment if trust allows.

    Returns the ``moderation.Change`` when the comment was published, else None.
    """
    from . import moderation  # moderation asks this module; this asks moderation back

    with transaction.atomic():
        commenter, _ = Commenter.objects.get_or_create(email=normalise_email(comment.email))
        if commenter.verified_at is None:
            commenter.verified_at = timezone.now()
            commenter.save(update_fields=["verified_at", "updated_at"])
        Comment.objects.filter(pk=comment.pk).update(email_verified=True)
        comment.email_verified = True
    waits_plainly = comment.status == Comment.Status.PENDING and not comment.held_reasons
    if waits_plainly and earns_trust(comment, commenter.standing):
        return moderation.approve(
            comment,
            note="Published when the commenter confirmed their address.",
            expected_status=Comment.Status.PENDING,
        )
    return None


def remember_in(response, email):
    """Let this browser prove ``email`` on later posts (a signed cookie, a year)."""
    response.set_signed_cookie(
        COOKIE,
        normalise_email(email),
        salt=COOKIE_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def proven_email(request):
    """The address this browser confirmed through a mailed link before; empty when none."""
    return request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)


def comments_to_erase(email):
    """The comments sent with this address (any case) that still hold personal data."""
    return Comment.objects.by_email((email or "").strip()).filter(deleted_at__isnull=True)


def erase(email, *, moderator=None):
    """Erase everything personal sent with one address, on its owner's request.

    Each comment goes through ``moderation.delete_outright`` (the row stays as
    the record, without name, address, text or address hash; a decision row
    says who did it), and the site forgets the address's standing and proof.
    Returns the changes, one per erased comment.
    """
    from . import moderation

    note = "Erased on the commenter's request."
    changes = [
        change
        for comment in comments_to_erase(email)
        if (
            change := moderation.delete_outright(
                comment,
                reason=Comment.RemovalReason.PERSONAL_DATA,
                moderator=moderator,
                note=note,
            )
        )
        is not None
    ]
    Commenter.objects.for_email(email).delete()
    return changes
