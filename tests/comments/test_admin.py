"""The moderation desk in the admin, and who may use it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment

from ..factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def listed(response):
    """Primary keys of the rows on a changelist page, in order."""
    return [
        int(pk)
        for pk in re.findall(r'name="_selected_action" value="(\d+)"', response.content.decode())
    ]


def act(client, action, comments, query="", **extra):
    data = {"action": action, "_selected_action": [c.pk for c in comments], **extra}
    return client.post(CHANGELIST + query, data)


def test_the_desk_opens_on_the_pending_queue_newest_first(admin_client):
    older = CommentFactory(created_at=ago(60))
    newer = CommentFactory(created_at=ago(5))
    CommentFactory(approved=True)
    CommentFactory(spam=True)

    response = admin_client.get(CHANGELIST)

    assert listed(response) == [newer.pk, older.pk]


def test_the_queue_shows_article_section_excerpt_name_email_and_held_reasons(admin_client):
    article = ArticleFactory(published=True, title="Arctic shipping lanes")
    section = SectionFactory(article=article, heading="The thaw")
    CommentFactory(
        article=article,
        section=section,
        name="Ines",
        email="ines@example.net",
        body="A long reflection on insurance markets. " * 5,
        held_reasons=["reported"],
    )

    page = " ".join(admin_client.get(CHANGELIST).content.decode().split())

    for header in ["Article", "Section", "Excerpt", "Name", "Email", "Held because"]:
        assert f">{header}<" in page, header
    for value in [
        "Arctic shipping lanes",
        "The thaw",
        "A long reflection",
        "Ines",
        "ines@example.net",
    ]:
        assert value in page, value
    assert "reported by readers" in page


def test_the_spam_queue_lists_held_comments_with_their_reasons(admin_client):
    held = CommentFactory(
        status=Comment.Status.SPAM, held_reasons=["too-many-links", "mostly-links"]
    )
    CommentFactory()

    response = admin_client.get(CHANGELIST, {"status": "spam"})

    assert listed(response) == [held.pk]
    assert "too many links, mostly links" in response.content.decode()


def test_all_is_a_choice_of_the_status_filter(admin_client):
    comments = [CommentFactory(), CommentFactory(approved=True), CommentFactory(rejected=True)]

    response = admin_client.get(CHANGELIST, {"status": "all"})

    assert sorted(listed(response)) == sorted(c.pk for c in comments)


def test_approve_selected_comments(admin_client):
    comments = CommentFactory.create_batch(2)

    response = act(admin_client, "approve_selected", comments)

    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert "2 comments approved." in admin_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("action", ["reject_selected", "approve_selected", "mark_spam_selected"])
def test_comments_another_moderator_decided_meanwhile_are_left_alone_and_said_so(
    admin_client, action
):
    """Two moderators on the pending queue: one approves, the other then acts on the
    same comment from the page they still have open."""
    comment = CommentFactory()
    moderation.approve(comment, moderator=None)

    response = act(admin_client, action, [comment], apply="1", reason="off-topic")

    assert response.status_code == 302  # no "Reject 0 comments" confirmation page
    page = admin_client.get(response["Location"]).content.decode()
    assert "None of the selected comments is in this list any more" in page
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED


def test_reject_selected_asks_for_a_reason_first(admin_client):
    comments = CommentFactory.create_batch(2)

    ask = act(admin_client, "reject_selected", comments)
    no_reason = act(admin_client, "reject_selected", comments, apply="1")
    untouched = set(Comment.objects.values_list("status", flat=True))
    done = act(admin_client, "reject_selected", comments, apply="1", reason="personal-data")

    assert ask.status_code == 200
    page = ask.content.decode()
    assert 'name="reason"' in page and "personal data" in page and "off-topic" in page
    assert no_reason.status_code == 200 and "Choose a reason." in no_reason.content.decode()
    assert untouched == {"pending"}
    assert done.status_code == 302
    assert set(Comment.objects.values_list("status", "removal_reason")) == {
        ("rejected", "personal-data")
    }


def test_mark_selected_comments_as_spam(admin_client):
    comment = CommentFactory(approved=True)

    act(admin_client, "mark_spam_selected", [comment], query="?status=approved")

    comment.refresh_from_db()
    assert (comment.status, comment.removal_reason) == ("spam", "spam")


def test_actions_are_named_for_what_they_do(admin_client):
    CommentFactory()

    page = admin_client.get(CHANGELIST).content.decode()

    assert "Approve selected comments" in page
    assert "Reject selected comments" in page
    assert "Mark selected comments as spam" in page


def test_one_comment_can_be_decided_on_its_own_page(admin_client):
    comment = CommentFactory()
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    missing_reason = admin_client.post(url, {"decision": "reject", "reason": ""})
    admin_client.post(url, {"decision": "reject", "reason": "abusive"})

    assert "Choose why the comment is rejected." in missing_reason.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.removal_reason) == ("rejected", "abusive")

    admin_client.post(url, {"decision": "approve", "reason": ""})
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_comments_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_the_pending_count_shows_on_the_admin_index_and_in_the_menu(admin_client):
    CommentFactory.create_batch(3)
    CommentFactory(approved=True)

    index = admin_client.get(reverse("admin:index")).content.decode()
    menu = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert 'Comments <span class="pending-count">(3 waiting)</span>' in index
    assert 'id="nav-sidebar"' in menu and "(3 waiting)" in menu


def test_groups_carry_exactly_their_permissions():
    def perms(name):
        return set(
            Group.objects.get(name=name).permissions.values_list(
                "content_type__app_label", "codename"
            )
        )

    moderators, editors = perms("Moderators"), perms("Editors")

    # Moderators set a commenter's standing (issue 10) but never delete an address's record.
    assert moderators == {
        ("comments", "view_comment"),
        ("comments", "change_comment"),
        ("comments", "view_commenter"),
        ("comments", "add_commenter"),
        ("comments", "change_commenter"),
    }
    assert moderators < editors
    assert ("articles", "change_article") in editors and ("taggit", "delete_tag") in editors
    assert ("comments", "delete_comment") not in editors


def test_moderators_moderate_and_cannot_touch_articles(client, moderator):
    client.force_login(moderator)
    article = ArticleFactory()
    comment = CommentFactory()

    assert client.get(CHANGELIST).status_code == 200
    assert (
        client.get(reverse("admin:comments_comment_change", args=[comment.pk])).status_code == 200
    )
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    assert (
        client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 403
    )
    assert client.get(reverse("admin:articles_author_add")).status_code == 403
    act(client, "approve_selected", [comment])
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.moderated_by == moderator


def test_editors_edit_articles_and_may_moderate(client, editor):
    client.force_login(editor)
    article = ArticleFactory()
    comment = CommentFactory()

    assert client.get(reverse("admin:articles_article_add")).status_code == 200
    assert (
        client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:articles_author_change", args=[AuthorFactory().pk])).status_code
        == 200
    )
    act(client, "reject_selected", [comment], apply="1", reason="off-topic")
    comment.refresh_from_db()
    assert comment.status == "rejected"


def test_a_comment_held_by_the_rules_waits_in_the_spam_queue_with_its_reasons(
    admin_client, client, open_article, comment_data
):
    body = "Deals: https://a.example/1 https://b.example/2 https://c.example/3"
    client.post(reverse("comments:post", args=[open_article.slug]), comment_data(body=body))
    held = Comment.objects.get()

    pending_queue = admin_client.get(CHANGELIST)
    spam_queue = admin_client.get(CHANGELIST, {"status": "spam"})

    assert listed(pending_queue) == []
    assert listed(spam_queue) == [held.pk]
    assert "too many links, mostly links" in spam_queue.content.decode()


def test_moderators_see_what_an_address_has_had_before_in_the_list_and_on_the_page(
    client, open_article, comment_data, admin_client, settings
):
    """A typed address proves nothing, so the moderator judges it by its record."""
    settings.COMMENTS_AUTO_APPROVE_AFTER = 2
    CommentFactory.create_batch(3, email="trusted@example.net", approved=True)
    CommentFactory(email="Trusted@Example.net", rejected=True)
    CommentFactory(email="someone-else@example.net", spam=True)
    client.post(
        reverse("comments:post", args=[open_article.slug]),
        comment_data(email="TRUSTED@example.NET", name="Impostor"),
    )
    impostor = Comment.objects.get(name="Impostor")

    listing = admin_client.get(CHANGELIST).content.decode()
    page = admin_client.get(reverse("admin:comments_comment_change", args=[impostor.pk]))

    assert impostor.status == Comment.Status.PENDING
    assert listed(admin_client.get(CHANGELIST)) == [impostor.pk]
    assert ">This address<" in listing
    assert "3 approved · 1 rejected · 0 spam" in listing
    assert "3 approved · 1 rejected · 0 spam" in page.content.decode()


def test_the_address_history_costs_no_query_per_row(admin_client, django_assert_max_num_queries):
    CommentFactory(email="one@example.net")
    with django_assert_max_num_queries(50) as small:
        admin_client.get(CHANGELIST)
    for n in range(20):
        CommentFactory(email=f"reader{n}@example.net")
        CommentFactory(email=f"READER{n}@example.net", approved=True)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(CHANGELIST)

    assert len(listed(response)) == 21


def test_reported_comments_have_their_own_filter_and_stay_approved(admin_client):
    from comments import moderation

    reported = CommentFactory(approved=True, body="Reported but public.")
    CommentFactory(approved=True, body="Nobody minded.")
    moderation.report(reported, ip_hash="a" * 64, reason="abusive")
    moderation.report(reported, ip_hash="b" * 64)

    response = admin_client.get(CHANGELIST + "?status=reported")
    page = admin_client.get(reverse("admin:comments_comment_change", args=[reported.pk]))

    assert "Reported (still public)" in response.content.decode()
    assert listed(response) == [reported.pk]
    assert "1 abusive, 1 no reason given" in page.content.decode()
    reported.refresh_from_db()
    assert reported.status == Comment.Status.APPROVED
