"""Reports take a comment down only when enough distinct *verified* readers send them.

``COMMENTS_REPORTS_TO_HIDE`` (0, off, by default): a reader is verified when
their browser proved an address through the mailed link (the
``commenter_proof`` cookie). Addresses and cookie jars prove nobody.
"""

import pytest
from django.test import Client
from django.urls import reverse

from comments import commenters, moderation
from comments.models import Comment, Commenter, CommentReport, ModerationDecision

from ..factories import CommentFactory

pytestmark = pytest.mark.django_db

BODY = "A contested but perfectly civil claim about grain corridors."
DESK = reverse("admin:comments_comment_desk")


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def on_page(article, reader=None):
    reader = reader or Client()
    return BODY in reader.get(article.get_absolute_url()).content.decode()


def verified_reader(article, n, *, address=None):
    """A reader (own address unless given) whose browser proved reader<n>@example.net
    by the mailed link, as a real reader does."""
    reader = Client(REMOTE_ADDR=address or f"203.0.113.{n + 1}")
    own = CommentFactory(article=article, email=f"reader{n}@example.net", body=f"Mine, {n}.")
    token = commenters.verification_token(own)
    assert reader.post(reverse("comments:verify", args=[token])).status_code == 200
    return reader


@pytest.fixture
def comment(open_article):
    return CommentFactory(article=open_article, approved=True, body=BODY)


@pytest.mark.parametrize("needed", [1, 2, 3, 5])
def test_reports_from_that_many_verified_readers_take_it_down_not_one_fewer(
    open_article, comment, settings, needed
):
    settings.COMMENTS_REPORTS_TO_HIDE = needed
    readers = [verified_reader(open_article, n) for n in range(needed)]

    for reader in readers[:-1]:
        reader.post(report_url(comment), {"reason": "abusive"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)

    readers[-1].post(report_url(comment), {"reason": "abusive"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not on_page(open_article)
    decision = comment.decisions.get()
    assert decision.moderator is None, "decided by the system"
    assert decision.action == ModerationDecision.Action.TAKE_DOWN
    assert (decision.from_status, decision.to_status) == ("approved", "pending")
    assert f"{needed} verified readers" in decision.note


def test_fifty_reports_from_one_verified_reader_count_once(open_article, comment, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    settings.COMMENTS_REPORT_RATE_LIMIT = 100
    reader = verified_reader(open_article, 1)

    for _ in range(50):
        reader.post(report_url(comment))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)
    assert CommentReport.objects.filter(comment=comment).count() == 1


def test_one_verified_reader_from_many_addresses_counts_once(open_article, comment, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    verified_reader(open_article, 1)  # proves reader1@ in one browser …
    proof = verified_reader(open_article, 1, address="198.51.100.1").cookies

    for n in range(10):  # … then reports from ten addresses with that proof
        roaming = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        roaming.cookies.update(proof)
        roaming.post(report_url(comment))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)
    assert CommentReport.objects.filter(comment=comment, reporter__isnull=False).count() == 1


@pytest.mark.parametrize("jars", [3, 50])
def test_many_cookie_jars_at_one_address_never_take_it_down(open_article, comment, settings, jars):
    settings.COMMENTS_REPORTS_TO_HIDE = 1
    settings.COMMENTS_REPORT_RATE_LIMIT = 100

    for _ in range(jars):
        Client(REMOTE_ADDR="198.51.100.66").post(report_url(comment), {"reason": "spam"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)
    assert comment.report_count == 1, "one address, one report"


def test_unverified_reports_from_many_addresses_reach_the_queue_but_never_count(
    open_article, comment, settings
):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    for n in range(30):
        Client(REMOTE_ADDR=f"203.0.113.{n + 100}").post(report_url(comment))
    verified_reader(open_article, 1).post(report_url(comment))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)
    assert comment.report_count == 31
    assert list(Comment.objects.in_tab("reported")) == [comment]


def test_a_typed_or_forged_proof_is_no_proof(open_article, comment, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 1
    forger = Client(REMOTE_ADDR="198.51.100.9")
    forger.cookies[commenters.COOKIE] = "reader1@example.net"  # unsigned
    Commenter.objects.create(email="reader1@example.net", verified_at="2026-01-01T00:00Z")

    forger.post(report_url(comment))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.get().reporter is None


def test_banned_or_erased_readers_do_not_count(open_article, comment, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 1
    banned = verified_reader(open_article, 1)
    commenters.set_standing("reader1@example.net", Commenter.Standing.BANNED)
    erased = verified_reader(open_article, 2)
    commenters.erase("reader2@example.net")

    banned.post(report_url(comment))
    erased.post(report_url(comment))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)


def test_off_by_default_even_for_verified_readers(open_article, comment):
    for n in range(5):
        verified_reader(open_article, n).post(report_url(comment))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)


def test_a_cached_page_shows_it_gone_on_the_next_request(open_article, comment, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    settings.PAGE_CACHE_ENABLED = True
    readers = [verified_reader(open_article, n) for n in range(2)]
    passer_by = Client()
    url = open_article.get_absolute_url()
    passer_by.get(url)
    assert passer_by.get(url)["X-Page-Cache"] == "hit" and on_page(open_article, passer_by)

    for reader in readers:
        reader.post(report_url(comment))

    assert not on_page(open_article, passer_by)


def test_a_taken_down_comment_waits_under_reported_and_a_moderator_restores_it(
    open_article, comment, settings, moderator
):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    for n in range(2):
        verified_reader(open_article, n).post(report_url(comment), {"reason": "off-topic"})
    comment.refresh_from_db()

    counts = Comment.objects.tab_counts()
    assert (counts["reported"], counts["held"], counts["pending"]) == (1, 0, 2)
    assert list(Comment.objects.in_tab("reported")) == [comment]
    desk = Client()
    desk.force_login(moderator)
    page = desk.get(DESK, {"tab": "reported"}).content.decode()
    assert BODY in page and "reported by readers" in page and "Restore (clear reports)" in page

    moderation.approve(comment, moderator=moderator, expected_status=Comment.Status.PENDING)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and on_page(open_article)
    assert [d.action for d in comment.decisions.all()] == ["take-down", "approve"]
    assert not Comment.objects.in_tab("reported").exists()


def test_after_a_moderator_keeps_it_only_new_verified_readers_count(
    open_article, comment, settings, moderator
):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    readers = [verified_reader(open_article, n) for n in range(4)]
    for reader in readers[:2]:
        reader.post(report_url(comment))
    comment.refresh_from_db()
    moderation.approve(comment, moderator=moderator)

    for reader in readers[:2]:  # the same two again: already reported
        reader.post(report_url(comment))
    readers[2].post(report_url(comment))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED, "one new reader is not two"

    readers[3].post(report_url(comment))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
