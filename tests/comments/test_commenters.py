"""Commenters who are who they say (issue 10): standing by e-mail, a mailed link that proves it."""

import io
import re

import pytest
from django.core import signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments import commenters, moderation, posting
from comments.models import Comment, Commenter, ModerationDecision

from ..factories import CommentFactory
from .test_posting import AWAITING, message_texts, page_of, post_url

pytestmark = pytest.mark.django_db

TRUSTED = "trusted@example.net"
SOME = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def link_in(message):
    return re.search(r"https?://\S+/comments/verify/\S+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def confirm(client, message):
    """Open the mailed link, then press the button, as a person would."""
    path = path_of(link_in(message))
    page = client.get(path)
    assert page.status_code == 200 and "Confirm my address" in page.content.decode()
    return client.post(path)


# --- Standing ----------------------------------------------------------------------


@SOME
@given(
    spelling=st.sampled_from(["banned@example.net", "BANNED@example.NET", " Banned@Example.net "])
)
def test_a_banned_address_goes_straight_to_spam_and_the_reader_is_told_only_it_waits(
    open_article, spelling
):
    commenters.set_standing("banned@example.net", Commenter.Standing.BANNED)
    comment = Comment(article=open_article, name="B", email=spelling.strip(), body="Again.")

    posting.receive(comment)

    assert comment.status == Comment.Status.SPAM
    assert Comment.objects.in_tab("spam").filter(pk=comment.pk).exists()
    assert not Comment.objects.waiting().filter(pk=comment.pk).exists(), "no moderator paged"
    decision = ModerationDecision.objects.get(comment=comment)
    assert decision.moderator is None and decision.to_status == Comment.Status.SPAM
    Comment.objects.filter(pk=comment.pk).delete()


def test_the_banned_reader_sees_the_same_message_as_anyone(
    client, open_article, comment_data, mailoutbox, committed
):
    commenters.set_standing("anouk@example.net", Commenter.Standing.BANNED)

    with committed():
        response = client.post(post_url(open_article), comment_data())
        anyone = Client().post(post_url(open_article), comment_data(email="x@example.net"))

    assert message_texts(response)[0] == AWAITING
    shape = [re.sub(r"/edit/[^/]+/", "/edit/…/", t) for t in message_texts(response)]
    assert shape == [re.sub(r"/edit/[^/]+/", "/edit/…/", t) for t in message_texts(anyone)]
    assert Comment.objects.get(email="anouk@example.net").status == Comment.Status.SPAM
    assert [m.to for m in mailoutbox if "anouk" in str(m.to)] == [], "no link mailed"


def test_a_trusted_address_is_published_at_once_only_when_the_sender_proved_it(open_article):
    commenters.set_standing(TRUSTED, Commenter.Standing.TRUSTED)
    typed = Comment(article=open_article, name="Anyone", email=TRUSTED, body="Typed.")
    proven = Comment(article=open_article, name="Tess", email=TRUSTED, body="Proven.")
    proven.email_verified = True

    posting.receive(typed)
    posting.receive(proven)

    assert typed.status == Comment.Status.PENDING
    assert proven.status == Comment.Status.APPROVED


def test_always_pre_moderate_is_never_published_at_once(open_article, settings):
    settings.COMMENTS_AUTO_APPROVE_AFTER = 1
    CommentFactory.create_batch(3, email=TRUSTED, approved=True)
    commenters.set_standing(TRUSTED, Commenter.Standing.PREMODERATE)
    comment = Comment(article=open_article, name="T", email=TRUSTED, body="Proven, even.")
    comment.email_verified = True

    posting.receive(comment)

    assert comment.status == Comment.Status.PENDING


@SOME
@given(
    spelling=st.sampled_from([TRUSTED, TRUSTED.upper(), "Trusted@Example.Net"]),
    standing=st.sampled_from([Commenter.Standing.NORMAL, Commenter.Standing.TRUSTED]),
)
def test_an_impersonated_address_never_earns_trust_whatever_its_standing_or_record(
    open_article, settings, spelling, standing
):
    """Issue 10, done when: an impersonated (unverified) e-mail never auto-approves."""
    settings.COMMENTS_AUTO_APPROVE_AFTER = 1
    if not Comment.objects.approved().by_email(TRUSTED).exists():
        CommentFactory.create_batch(2, email=TRUSTED, approved=True)
    commenters.set_standing(TRUSTED, standing)
    Commenter.objects.filter(email=TRUSTED).update(verified_at="2026-01-01T00:00Z")
    comment = Comment(article=open_article, name="Impostor", email=spelling, body="Me!")

    posting.receive(comment)

    assert comment.status == Comment.Status.PENDING
    Comment.objects.filter(pk=comment.pk).delete()


def test_a_moderator_sets_a_standing_in_the_admin(client, moderator):
    client.force_login(moderator)

    response = client.post(
        reverse("admin:comments_commenter_add"), {"email": "Loud@Example.net", "standing": "banned"}
    )

    assert response.status_code == 302
    assert commenters.standing_of("loud@example.net") == Commenter.Standing.BANNED
    listing = client.get(reverse("admin:comments_commenter_changelist")).content.decode()
    assert "loud@example.net" in listing


# --- Verification -------------------------------------------------------------------


def test_a_post_mails_a_link_that_proves_the_address_and_earns_trust_after_n_approvals(
    client, open_article, comment_data, mailoutbox, committed, settings
):
    settings.COMMENTS_AUTO_APPROVE_AFTER = 2
    CommentFactory.create_batch(2, email="anouk@example.net", approved=True)

    with committed():
        first = client.post(post_url(open_article), comment_data(body="First words."))
    comment = Comment.objects.get(article=open_article)
    assert message_texts(first)[0] == AWAITING, "verification never blocks the queue"
    assert comment.status == Comment.Status.PENDING
    [mail] = [m for m in mailoutbox if m.to == ["anouk@example.net"]]

    with committed():
        done = confirm(client, mail)

    assert done.status_code == 200 and "your address is confirmed" in done.content.decode()
    comment.refresh_from_db()
    assert comment.email_verified and comment.status == Comment.Status.APPROVED
    assert Commenter.objects.get(email="anouk@example.net").verified_at is not None
    assert ModerationDecision.objects.get(comment=comment).moderator is None

    with committed():
        later = client.post(post_url(open_article), comment_data(body="Later words."))
    assert Comment.objects.get(body="Later words.").status == Comment.Status.APPROVED
    assert "Later words." in page_of(later.client, open_article)

    stranger = Client()
    with committed():
        stranger.post(post_url(open_article), comment_data(body="Not Anouk at all."))
    assert Comment.objects.get(body="Not Anouk at all.").status == Comment.Status.PENDING


def test_auto_approval_stays_off_by_default_even_for_a_proven_address(
    client, open_article, comment_data, mailoutbox, committed
):
    CommentFactory.create_batch(5, email="anouk@example.net", approved=True)
    with committed():
        client.post(post_url(open_article), comment_data(body="First words."))
    [mail] = [m for m in mailoutbox if m.to == ["anouk@example.net"]]
    confirm(client, mail)

    client.post(post_url(open_article), comment_data(body="Later words."))

    assert Comment.objects.get(body="Later words.").status == Comment.Status.PENDING


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(client, open_article):
    comment = CommentFactory(article=open_article, email="anouk@example.net")
    path = reverse("comments:verify", args=[commenters.verification_token(comment)])

    page = client.get(path).content.decode()

    assert comment.body_html in page, "the owner sees what they would vouch for"
    comment.refresh_from_db()
    assert not comment.email_verified and not Commenter.objects.exists()


@SOME
@given(token=st.text(min_size=1, max_size=80).filter(lambda t: "/" not in t and t.strip()))
def test_a_link_that_is_not_ours_is_refused_plainly(client, open_article, token):
    CommentFactory(article=open_article, email="anouk@example.net")

    for method in (client.get, client.post):
        response = method(reverse("comments:verify", args=[token]))
        assert response.status_code in (400, 404)
    assert not Comment.objects.filter(email_verified=True).exists()


def test_an_expired_link_or_one_for_another_address_is_refused(client, open_article, settings):
    comment = CommentFactory(article=open_article, email="anouk@example.net")
    other = signing.dumps(
        {"c": comment.pk, "e": "mallory@example.net"}, salt=commenters.VERIFY_SALT
    )
    good = commenters.verification_token(comment)

    assert client.post(reverse("comments:verify", args=[other])).status_code == 400
    settings.COMMENTS_VERIFY_LINK_MAX_AGE = -1
    assert client.post(reverse("comments:verify", args=[good])).status_code == 400
    comment.refresh_from_db()
    assert not comment.email_verified


# --- Erasure on request ---------------------------------------------------------------


def erase_setup(open_article):
    mine = [
        CommentFactory(
            article=open_article, email="Anouk@Example.net", name="Anouk", approved=True
        ),
        CommentFactory(article=open_article, email="anouk@example.net", name="Anouk V."),
    ]
    reply = CommentFactory(article=open_article, parent=mine[0], email="b@example.net", name="Bo")
    commenters.set_standing("anouk@example.net", Commenter.Standing.TRUSTED)
    return mine, reply


def test_erase_commenter_leaves_records_without_personal_data(open_article, client):
    mine, reply = erase_setup(open_article)
    out = io.StringIO()

    call_command("erase_commenter", "ANOUK@example.net", "--dry-run", stdout=out)
    assert "Would erase 2 comment(s) and its standing" in out.getvalue()
    assert Comment.objects.by_email("anouk@example.net").count() == 2

    call_command("erase_commenter", "ANOUK@example.net", stdout=out)

    for comment in mine:
        comment.refresh_from_db()
        assert comment.deleted_at and comment.email == "" and comment.body == ""
        assert comment.name == moderation.DELETED_NAME and comment.ip_hash == ""
        assert comment.decisions.get().reason == Comment.RemovalReason.PERSONAL_DATA
    reply.refresh_from_db()
    assert reply.name == "Bo" and reply.deleted_at is None
    assert not Commenter.objects.exists()
    assert "Anouk" not in page_of(client, open_article)


def test_erase_commenter_refuses_what_is_not_an_address(open_article):
    with pytest.raises(CommandError, match="is not an e-mail address"):
        call_command("erase_commenter", "not an address")


def test_only_editors_in_charge_erase_a_commenter_from_the_admin(
    client, open_article, moderator, editor
):
    mine, _ = erase_setup(open_article)
    data = {"action": "erase_commenters_selected", "_selected_action": [mine[1].pk]}
    changelist = reverse("admin:comments_comment_changelist")

    client.force_login(moderator)
    client.post(changelist, data)
    assert Comment.objects.by_email("anouk@example.net").count() == 2, "moderators may not"

    client.force_login(editor)
    response = client.post(changelist, {**data, "confirm": "yes"}, follow=True)
    assert "Erased 2 comments from 1 address." in response.content.decode()
    assert Comment.objects.by_email("anouk@example.net").count() == 0


def test_a_moderator_sets_a_standing_from_the_desk_card(client, moderator, open_article):
    comment = CommentFactory(article=open_article, email="Loud@Example.net", name="Loud")
    client.force_login(moderator)
    desk = reverse("admin:comments_comment_desk")
    assert "address not proven" in client.get(desk).content.decode()

    url = reverse("admin:comments_comment_standing", args=[comment.pk])
    response = client.post(url, {"standing": "banned", "back": "tab=pending"})

    assert response.status_code == 302 and response.url.endswith(f"#card-{comment.pk}")
    assert commenters.standing_of("loud@example.net") == Commenter.Standing.BANNED
    assert client.post(url, {"standing": "king"}).status_code == 400
    assert client.get(url).status_code == 405
    assert commenters.standing_of("loud@example.net") == Commenter.Standing.BANNED


def test_staff_without_the_moderators_permission_cannot_set_a_standing(client, open_article):
    from django.contrib.auth.models import User

    comment = CommentFactory(article=open_article, email="loud@example.net")
    client.force_login(User.objects.create_user("intern", "i@newsroom.example", is_staff=True))

    url = reverse("admin:comments_comment_standing", args=[comment.pk])
    assert client.post(url, {"standing": "trusted"}).status_code == 403
    assert not Commenter.objects.exists()


def test_the_confirm_and_edit_pages_escape_what_the_reader_typed(client, open_article):
    from comments import editing

    comment = CommentFactory(
        article=open_article,
        email="anouk@example.net",
        name='<img src=x onerror="alert(1)">',
        body="<script>alert(2)</script>",
    )
    for url in (
        reverse("comments:verify", args=[commenters.verification_token(comment)]),
        reverse("comments:edit", args=[editing.edit_token(comment)]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(2)" not in page and "<img src=x" not in page
