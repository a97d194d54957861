"""A reader posts a comment on the article page; every refusal says why."""

import datetime
import os
import re
import subprocess
import sys

import pytest
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from comments import client as clients
from comments import moderation, posting
from comments.models import Comment

from ..factories import ArticleFactory, CommentFactory
from ..unreachable import UNREACHABLE_CACHES
from .conftest import form_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_email_per_comment(settings):
    """These tests cover one e-mail per comment or report; the digest: test_digest.py."""
    settings.COMMENTS_MODERATOR_DIGEST_MINUTES = 0


AWAITING = "Thank you — your comment is awaiting moderation."


def post_url(article):
    return reverse("comments:post", args=[article.slug])


def page_of(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def error_beside(page, field):
    """The error list Django renders for a field (linked to it by aria-describedby)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def test_article_page_offers_the_form_with_its_exact_labels(client, open_article):
    page = page_of(client, open_article)

    assert '<label for="id_name">Name</label>' in page
    assert '<label for="id_email">Email</label>' in page
    assert '<label for="id_body">Comment</label>' in page
    assert '<label for="id_notify">Email me when my comment is approved or answered</label>' in page
    # The form posts to the article's own address: refused, the reader is still there.
    assert f'action="{open_article.get_absolute_url()}#comment-form"' in page


def test_a_comment_posted_to_the_article_address_is_received(client, open_article, comment_data):
    response = client.post(open_article.get_absolute_url(), comment_data())

    assert response.status_code == 302
    assert response["Location"] == f"{open_article.get_absolute_url()}#comment-form"
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_refused_post_shows_the_article_at_its_own_address(client, open_article, comment_data):
    response = client.post(open_article.get_absolute_url(), comment_data(body=""))

    assert response.status_code == 400
    page = response.content.decode()
    assert open_article.title in page and "This field is required." in page
    assert f'action="{open_article.get_absolute_url()}#comment-form"' in page
    assert not Comment.objects.exists()


def test_without_a_discussion_the_article_address_takes_no_post(client, open_article, comment_data):
    from articles import discussion

    with discussion.provided_by(None):
        response = client.post(open_article.get_absolute_url(), comment_data())

    assert response.status_code == 405
    assert not Comment.objects.exists()


def test_posting_redirects_with_the_awaiting_message_and_shows_nothing_yet(
    client, open_article, comment_data
):
    response = client.post(post_url(open_article), comment_data(), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[0][0] == f"{open_article.get_absolute_url()}#comment-form"
    assert AWAITING in page
    assert "The thaw changes insurance costs" not in page
    assert 'value="Anouk de Vries"' not in page, "the form is cleared"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "Anouk de Vries" and comment.email == "anouk@example.net"


def test_whole_lifecycle_pending_approved_rejected_spam(client, open_article, comment_data):
    body = "Shipping insurers price the thaw before navies do."
    feed_url = reverse("comments:feed", args=[open_article.slug])
    client.post(post_url(open_article), comment_data(body=body))
    comment = Comment.objects.get()

    def visible():
        page = page_of(client, open_article)
        feed = client.get(feed_url).content.decode()
        counted = "1 comment<" in page
        return body in page, counted, body in feed

    assert visible() == (False, False, False), "pending: not on the page, in counts or feeds"

    moderation.approve(comment)
    assert visible() == (True, True, True)

    moderation.reject(comment, reason="off-topic")
    assert visible() == (False, False, False)

    moderation.approve(comment)
    moderation.mark_spam(comment)
    assert visible() == (False, False, False)


def test_errors_are_shown_beside_the_fields_and_what_was_typed_is_kept(
    client, open_article, comment_data
):
    data = comment_data(email="not-an-address", name="", body="I kept every word of this.")

    response = client.post(post_url(open_article), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "valid email" in error_beside(page, "email")
    assert "required" in error_beside(page, "name")
    assert 'value="not-an-address"' in page
    assert "I kept every word of this.</textarea>" in page
    assert 'aria-invalid="true"' in page
    assert not Comment.objects.exists()


def test_a_refused_form_opens_with_a_summary_that_links_to_each_field(
    client, open_article, comment_data
):
    data = comment_data(email="not-an-address", name="", body="Kept.")

    page = client.post(post_url(open_article), data).content.decode()

    opening = '<div class="comment-form__error" role="alert" id="comment-form-errors">'
    start = page.index(opening)
    summary = page[start : page.index("</ul>", start)]
    assert 'id="id_name"' in page and 'id="id_email"' in page
    assert 'href="#id_name"' in summary and "Name:" in summary
    assert 'href="#id_email"' in summary and "Email:" in summary
    assert "Comment:" not in summary


def test_body_and_name_lengths_are_limited(client, open_article, comment_data):
    response = client.post(post_url(open_article), comment_data(name="N" * 81, body="b" * 5001))

    page = response.content.decode()
    assert response.status_code == 400
    assert "at most 80 characters" in error_beside(page, "name")
    assert "at most 5000 characters" in error_beside(page, "body")
    assert not Comment.objects.exists()


def test_a_filled_honeypot_is_refused_with_a_message(client, open_article, comment_data):
    response = client.post(post_url(open_article), comment_data(website="http://spam.example"))

    assert response.status_code == 400
    assert "Leave this field empty" in response.content.decode()
    assert "please clear it and send again" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (lambda: form_token(age=0), "Please wait a few seconds and send it again."),
        (lambda: form_token(age=2 * 24 * 3600), "Please send your comment again."),
        (lambda: form_token(age=60)[:-3] + "xyz", "could not be checked"),
        (lambda: "", "could not be checked"),
    ],
    ids=["too fast", "older than a day", "tampered", "missing"],
)
def test_a_form_sent_too_fast_too_late_or_forged_is_refused(
    client, open_article, comment_data, token, message
):
    response = client.post(post_url(open_article), comment_data(token=token()))

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "The thaw changes insurance costs" in page, "the reader's text is kept"
    assert not Comment.objects.exists()


def test_an_expired_form_comes_back_with_a_fresh_token_that_works_later(
    client, open_article, comment_data, monkeypatch
):
    response = client.post(post_url(open_article), comment_data(token=form_token(age=3 * 86400)))
    fresh = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)

    later = clients.clock() + 10
    monkeypatch.setattr(clients, "clock", lambda: later)
    retry = client.post(post_url(open_article), comment_data(token=fresh))

    assert retry.status_code == 302
    assert Comment.objects.count() == 1


def test_rate_limit_refuses_the_sixth_comment_in_a_minute_from_one_client(
    client, open_article, comment_data, settings
):
    settings.COMMENTS_RATE_LIMIT = 5
    for n in range(5):
        assert (
            client.post(post_url(open_article), comment_data(body=f"Point {n}")).status_code == 302
        )

    response = client.post(post_url(open_article), comment_data(body="Point six"))
    other_client = Client(REMOTE_ADDR="203.0.113.77")
    elsewhere = other_client.post(post_url(open_article), comment_data(body="Point six"))

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "You have sent several comments in the last minute" in response.content.decode()
    assert "Please wait a minute" in response.content.decode()
    assert "Point six</textarea>" in response.content.decode()
    assert elsewhere.status_code == 302, "another client has its own limit"
    assert Comment.objects.count() == 6


def test_the_same_comment_twice_within_ten_minutes_is_refused_as_a_duplicate(
    client, open_article, comment_data
):
    client.post(post_url(open_article), comment_data())

    again = client.post(post_url(open_article), comment_data())
    shouted = client.post(
        post_url(open_article),
        comment_data(
            email="ANOUK@example.net", body="  The thaw changes INSURANCE costs more than routes. "
        ),
    )
    elsewhere = client.post(post_url(ArticleFactory(published=True)), comment_data())

    assert again.status_code == 400
    assert "You sent this same comment a few minutes ago" in again.content.decode()
    assert shouted.status_code == 400, "case and spacing do not make it new"
    assert elsewhere.status_code == 400, "within the window, on any article"
    assert Comment.objects.count() == 1


def test_after_the_window_the_same_words_stay_a_duplicate_on_that_article_only(
    client, open_article, comment_data
):
    client.post(post_url(open_article), comment_data())
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))

    same_article = client.post(post_url(open_article), comment_data())
    other_article = client.post(post_url(ArticleFactory(published=True)), comment_data())

    assert same_article.status_code == 400
    assert "You sent this same comment" in same_article.content.decode()
    assert other_article.status_code == 302
    assert Comment.objects.count() == 2


def test_after_a_rejection_the_reader_may_send_the_same_words_again(
    client, open_article, comment_data
):
    client.post(post_url(open_article), comment_data())
    moderation.reject(Comment.objects.get(), reason="off-topic")
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))

    again = client.post(post_url(open_article), comment_data())

    assert again.status_code == 302
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 1


def test_one_form_posts_one_comment_and_a_reused_form_gets_a_fresh_token(
    client, open_article, comment_data
):
    token = form_token()

    first = client.post(post_url(open_article), comment_data(token=token, body="First point."))
    second = client.post(post_url(open_article), comment_data(token=token, body="Second point."))

    page = second.content.decode()
    fresh = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert first.status_code == 302
    assert second.status_code == 400
    assert "This form has already sent a comment" in page
    assert "Second point.</textarea>" in page, "the reader's text is kept"
    assert fresh != token
    assert list(Comment.objects.values_list("body", flat=True)) == ["First point."]


def test_a_refused_post_does_not_use_up_its_form(client, open_article, comment_data):
    token = form_token()

    refused = client.post(post_url(open_article), comment_data(token=token, name=""))
    accepted = client.post(post_url(open_article), comment_data(token=token))

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "reason", "explanation"),
    [
        (
            "Sources: https://a.example/1 and https://b.example/2 and https://c.example/3",
            "too-many-links",
            "it has more than 2 links",
        ),
        ("Great piece. Visit our CASINO bonus today.", "blocklisted-word", "a word we check"),
        ("https://cheap-pills.example/buy-now-limited-offer ok", "mostly-links", "mostly links"),
    ],
    ids=["more than 2 links", "blocklisted word", "mostly URLs"],
)
def test_suspicious_comments_are_held_as_spam_with_their_reasons_and_no_word_of_the_rule(
    client,
    open_article,
    comment_data,
    settings,
    moderator,
    mailoutbox,
    committed,
    body,
    reason,
    explanation,
):
    settings.COMMENTS_BLOCKLIST = ["casino"]

    with committed():
        response = client.post(post_url(open_article), comment_data(body=body))

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == Comment.Status.SPAM
    assert reason in comment.held_reasons
    messages = message_texts(response)
    assert messages[0] == AWAITING
    # Issue 10: a held commenter reads what anyone reads, never which rule matched.
    assert not any(explanation in message or "moderator checks" in message for message in messages)
    assert mailoutbox == [], "moderators are not paged for the spam queue"


def test_an_ordinary_comment_with_a_link_is_not_held(client, open_article, comment_data):
    body = "The insurers' numbers are public: https://example.org/marine-report, see page 4."

    client.post(post_url(open_article), comment_data(body=body))

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_closed_article_shows_a_notice_and_refuses_a_post(client, comment_data):
    article = ArticleFactory(published=True, comments_open=False)

    page = page_of(client, article)
    response = client.post(post_url(article), comment_data())

    assert "Comments are closed on this article." in page
    assert 'id="id_body"' not in page
    assert response.status_code == 403
    assert "so your comment was not sent" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_automatically_after_the_configured_days(client, comment_data, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    article = ArticleFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(days=31)
    )

    assert client.post(post_url(article), comment_data()).status_code == 403
    assert not Comment.objects.exists()


def test_drafts_take_no_comments(client, comment_data):
    draft = ArticleFactory()

    assert client.post(post_url(draft), comment_data()).status_code == 404


def test_reply_link_opens_the_form_for_that_comment_and_posts_a_reply(
    client, open_article, comment_data
):
    parent = CommentFactory(article=open_article, approved=True, name="Tomás")

    page = page_of(client, open_article)
    reply_page = page_of(client, open_article, f"?reply_to={parent.pk}")
    client.post(post_url(open_article), comment_data(reply_to=str(parent.pk)))

    assert (
        f'href="{open_article.get_absolute_url()}?reply_to={parent.pk}#comment-form">Reply</a>'
        in page
    )
    assert "Reply to Tomás" in reply_page
    assert f'name="reply_to" value="{parent.pk}"' in reply_page
    reply = Comment.objects.get(parent=parent)
    assert reply.depth == 1


def test_replies_stop_at_the_maximum_depth(client, open_article, comment_data):
    top = CommentFactory(article=open_article, approved=True)
    middle = CommentFactory(article=open_article, parent=top, approved=True)
    deepest = CommentFactory(article=open_article, parent=middle, approved=True)

    page = page_of(client, open_article)
    response = client.post(post_url(open_article), comment_data(reply_to=str(deepest.pk)))

    assert f"?reply_to={middle.pk}#" in page
    assert f"?reply_to={deepest.pk}#" not in page
    assert response.status_code == 400
    assert "at most 3 levels deep" in response.content.decode()


def test_replying_to_a_comment_that_is_not_public_is_refused(client, open_article, comment_data):
    hidden = CommentFactory(article=open_article)

    response = client.post(post_url(open_article), comment_data(reply_to=str(hidden.pk)))
    garbled = client.post(post_url(open_article), comment_data(reply_to="abc"))

    assert response.status_code == 400
    assert "no longer available" in response.content.decode()
    assert garbled.status_code == 400
    assert "Enter a whole number." in garbled.content.decode()
    assert not Comment.objects.exclude(pk=hidden.pk).exists()


def test_respond_to_this_section_opens_the_form_with_the_section_chosen(
    client, open_article, comment_data
):
    page = page_of(client, open_article)
    chosen = page_of(client, open_article, "?section=hormuz")
    client.post(post_url(open_article), comment_data(section="hormuz"))

    assert page.count(">Respond to this section</a>") == 2  # level-2 sections only
    assert f'href="{open_article.get_absolute_url()}?section=navies#comment-form"' in page
    assert '<option value="hormuz" selected>Hormuz</option>' in chosen
    assert Comment.objects.get().section.heading == "Hormuz"


def test_only_a_keyed_hash_of_the_client_address_is_stored(client, open_article, comment_data):
    client.post(post_url(open_article), comment_data(), REMOTE_ADDR="198.51.100.23")

    stored = Comment.objects.get().ip_hash
    assert stored == clients.hash_ip("198.51.100.23")
    assert "198.51.100.23" not in stored and len(stored) == 64


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "1.2.3.4, 198.51.100.9", "10.0.0.5"),
        (1, "1.2.3.4, 198.51.100.9", "198.51.100.9"),
        (2, "1.2.3.4, 198.51.100.9", "1.2.3.4"),
        (2, "6.6.6.6, 1.2.3.4, 198.51.100.9", "1.2.3.4"),
        (3, "198.51.100.9", "10.0.0.5"),
        (1, "", "10.0.0.5"),
        (1, "not-an-ip", "10.0.0.5"),
        (2, "evil, 198.51.100.9", "198.51.100.9"),
        (1, "1.2.3.4, 2001:db8::7", "2001:db8::7"),
        (1, ",,, ,", "10.0.0.5"),
        (1, "198.51.100.9:4431", "10.0.0.5"),
    ],
    ids=[
        "no proxy: REMOTE_ADDR",
        "one hop: the address our proxy saw",
        "two hops",
        "two hops, spoofed extra entry ignored",
        "short header: not through all our proxies, REMOTE_ADDR",
        "no header",
        "invalid entry",
        "invalid client entry: nearest valid trusted hop",
        "IPv6",
        "only commas",
        "address with a port is not an address",
    ],
)
def test_client_address_counts_trusted_proxy_hops_from_the_right(
    rf, settings, hops, forwarded, expected
):
    settings.TRUSTED_PROXY_HOPS = hops
    request = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)

    assert clients.client_address(request) == expected


def test_readers_behind_our_proxy_are_rate_limited_one_by_one(open_article, comment_data, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.COMMENTS_RATE_LIMIT = 5
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    statuses = [
        proxy.post(
            post_url(open_article),
            comment_data(email=f"reader{n}@example.net", body=f"Reader {n} thinks so."),
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        ).status_code
        for n in range(16)
    ]

    assert statuses == [302] * 16
    assert Comment.objects.count() == 16
    assert len(set(Comment.objects.values_list("ip_hash", flat=True))) == 16


def test_a_client_spoofing_forwarded_for_cannot_pick_its_own_address(
    open_article, comment_data, settings
):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.COMMENTS_RATE_LIMIT = 5
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    statuses = [
        proxy.post(
            post_url(open_article),
            comment_data(body=f"Point {n}"),
            # The client sent "X-Forwarded-For: 192.0.2.<n>"; our proxy appended what it saw.
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}, 203.0.113.50",
        ).status_code
        for n in range(7)
    ]

    assert statuses == [302] * 5 + [429] * 2
    assert set(Comment.objects.values_list("ip_hash", flat=True)) == {
        clients.hash_ip("203.0.113.50")
    }


def test_ip_hash_depends_on_the_key(settings):
    settings.COMMENTS_IP_HASH_KEY = "one key"
    first = clients.hash_ip("198.51.100.23")
    settings.COMMENTS_IP_HASH_KEY = "another key"

    assert clients.hash_ip("198.51.100.23") != first


def test_names_and_bodies_with_html_render_as_inert_text(client, open_article):
    CommentFactory(
        article=open_article,
        section=open_article.sections.get(anchor="geography-first"),
        approved=True,
        name='<script>alert("name")</script>',
        body='<img src=x onerror=alert(1)> <a href="javascript:alert(2)">click</a>',
    )
    section_url = reverse("comments:section", args=[open_article.slug, "geography-first"])

    for page in (page_of(client, open_article), client.get(section_url).content.decode()):
        assert '<script>alert("name")' not in page
        assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in page
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert 'href="javascript:' not in page


def test_an_impersonated_trusted_address_is_not_approved_automatically(
    client, open_article, comment_data, settings
):
    settings.COMMENTS_AUTO_APPROVE_AFTER = 2
    CommentFactory.create_batch(3, email="trusted@example.net", approved=True)

    response = client.post(
        post_url(open_article), comment_data(email="TRUSTED@Example.NET", name="Anyone at all")
    )

    comment = Comment.objects.get(article=open_article)
    assert comment.status == Comment.Status.PENDING
    assert message_texts(response)[0] == AWAITING
    assert "Anyone at all" not in page_of(client, open_article)


def test_a_verified_returning_commenter_is_approved_automatically(
    open_article, settings, mailoutbox, committed
):
    """The rule a later issue switches on: trust needs a verified address."""
    settings.COMMENTS_AUTO_APPROVE_AFTER = 2
    CommentFactory.create_batch(2, email="Anouk@Example.net", approved=True)
    comment = Comment(
        article=open_article, name="Anouk", email="anouk@example.net", body="Well argued."
    )
    comment.email_verified = True

    with committed():
        posting.receive(comment)

    assert comment.status == Comment.Status.APPROVED
    assert mailoutbox == []


def test_auto_approval_is_off_by_default(open_article):
    CommentFactory.create_batch(5, email="anouk@example.net", approved=True)
    comment = Comment(article=open_article, name="A", email="anouk@example.net", body="Hm.")
    comment.email_verified = True

    posting.receive(comment)

    assert comment.status == Comment.Status.PENDING


def test_report_needs_post_and_a_public_comment(client, open_article):
    hidden = CommentFactory(article=open_article)

    assert client.get(reverse("comments:report", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("comments:report", args=[hidden.pk])).status_code == 404


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Anouk\nde Vries", "Anouk de Vries"),
        ("Anouk\r\n\tde Vries", "Anouk de Vries"),
        ("Anouk\u2028de\u2029Vries", "Anouk de Vries"),
        ("مهر\u200cنوش", "مهر\u200cنوش"),
    ],
    ids=["LF", "CRLF and tab", "Unicode line separators", "Persian ZWNJ kept"],
)
def test_line_breaks_in_a_name_become_spaces(client, open_article, comment_data, typed, stored):
    response = client.post(post_url(open_article), comment_data(name=typed))

    assert response.status_code == 302
    assert Comment.objects.get().name == stored


@pytest.mark.parametrize(
    "name", ["Eve\u202eacm", "Eve\u2066x\u2069", "Eve\x07", "Eve\x1b[31m"], ids=str.encode
)
def test_names_with_direction_overrides_or_control_characters_are_refused(
    client, open_article, comment_data, name
):
    response = client.post(post_url(open_article), comment_data(name=name))

    assert response.status_code == 400
    assert "Names cannot contain invisible control characters" in error_beside(
        response.content.decode(), "name"
    )
    assert not Comment.objects.exists()


def test_a_cache_outage_holds_the_comment_for_moderation_instead_of_losing_it(
    client, open_article, comment_data, caplog
):
    # Not the ``settings`` fixture: the cache must be reachable again before teardown clears it.
    with override_settings(CACHES=UNREACHABLE_CACHES):
        response = client.post(post_url(open_article), comment_data())

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert message_texts(response)[0] == AWAITING, "the reader is answered as usual"
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reasons == ["rate-limit-unavailable"]
    assert "Rate limit cache unavailable" in caplog.text


@pytest.mark.parametrize(
    ("env", "hops"),
    [
        ({}, "0"),
        ({"TRUSTED_PROXY_HOPS": "2"}, "2"),
        ({"COMMENTS_TRUST_X_FORWARDED_FOR": "true"}, "1"),
        ({"COMMENTS_TRUST_X_FORWARDED_FOR": "true", "TRUSTED_PROXY_HOPS": "2"}, "2"),
    ],
    ids=["default", "set", "old variable means one hop", "the new variable wins"],
)
def test_trusted_proxy_hops_come_from_the_environment_with_the_old_variable_as_an_alias(env, hops):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TRUSTED_PROXY_HOPS", "COMMENTS_TRUST_X_FORWARDED_FOR"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.TRUSTED_PROXY_HOPS)",
        ],
        env={**clean, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "geopolitics.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == hops, result.stderr


@pytest.mark.parametrize("body", ["\u200b", " \u200b\u2060 ", "\u202e", "\u3000\n\t"])
def test_a_comment_of_only_invisible_characters_is_refused(
    client, open_article, comment_data, body
):
    response = client.post(post_url(open_article), comment_data(body=body))

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_opening_a_refused_posts_address_again_shows_the_article(
    client, open_article, comment_data
):
    url = reverse("comments:post", args=[open_article.slug])
    refused = client.post(url, comment_data(body=""))
    assert refused.status_code == 400

    again = client.get(url, follow=True)

    assert again.redirect_chain == [(f"{open_article.get_absolute_url()}#comment-form", 302)]
    assert again.status_code == 200 and open_article.title in again.content.decode()
    assert client.get(reverse("comments:post", args=["no-such-article"])).status_code == 404
