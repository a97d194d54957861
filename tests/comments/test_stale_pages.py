"""A moderator deciding from a page shown before another moderator's decision never overwrites it.

Every page a decision is made from sends back the status it showed (the
desk's bulk form, the comment list and its actions, a comment's own page);
what another moderator decided since is left as they decided, and the
moderator is told.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from comments import moderation
from comments.models import Comment, ModerationDecision

from ..factories import CommentFactory
from .conftest import staff_in

pytestmark = pytest.mark.django_db

DESK = reverse("admin:comments_comment_desk")
BULK = reverse("admin:comments_comment_bulk")
CHANGELIST = reverse("admin:comments_comment_changelist")


def text(response):
    return " ".join(response.content.decode().split())


def seen_on(response):
    """``{"seen-<id>": status}``: what the page will send back of each comment it shows."""
    page = response.content.decode()
    return dict(re.findall(r'type="hidden" name="(seen-\d+)" value="(\w+)"', page))


@pytest.fixture
def first(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def other(db):
    return staff_in("Editors", "eddie")


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


def test_a_bulk_approval_from_an_old_desk_leaves_what_another_moderator_marked_as_spam(
    first, other
):
    marked, still_pending = CommentFactory(), CommentFactory()
    shown = seen_on(first.get(DESK))
    assert shown == {f"seen-{marked.pk}": "pending", f"seen-{still_pending.pk}": "pending"}

    moderation.mark_spam(marked, moderator=other)
    response = first.post(
        BULK,
        {"action": "approve", "selected": [marked.pk, still_pending.pk], **shown},
        follow=True,
    )

    assert status_of(marked) == Comment.Status.SPAM
    assert status_of(still_pending) == Comment.Status.APPROVED
    assert "1 comment approved." in text(response)
    assert "1 comment was decided by another moderator meanwhile" in text(response)
    assert ModerationDecision.objects.filter(comment=marked).count() == 1


def test_the_all_list_sends_back_what_it_showed_and_an_action_leaves_a_newer_decision(first, other):
    marked, still_pending = CommentFactory(), CommentFactory()
    shown = seen_on(first.get(CHANGELIST, {"status": "all"}))
    assert shown[f"seen-{marked.pk}"] == "pending"

    moderation.mark_spam(marked, moderator=other)
    response = first.post(
        CHANGELIST + "?status=all",
        {
            "action": "approve_selected",
            "_selected_action": [marked.pk, still_pending.pk],
            **shown,
        },
        follow=True,
    )

    assert status_of(marked) == Comment.Status.SPAM
    assert status_of(still_pending) == Comment.Status.APPROVED
    assert "decided by another moderator meanwhile" in text(response)


def test_a_reject_confirmed_after_another_moderator_approved_leaves_it_approved(first, other):
    comment = CommentFactory()
    shown = seen_on(first.get(CHANGELIST, {"status": "all"}))
    asked = first.post(
        CHANGELIST + "?status=all",
        {"action": "reject_selected", "_selected_action": [comment.pk], **shown},
    )
    confirmation = seen_on(asked)
    assert confirmation == {f"seen-{comment.pk}": "pending"}

    moderation.approve(comment, moderator=other)
    first.post(
        CHANGELIST + "?status=all",
        {
            "action": "reject_selected",
            "apply": "1",
            "reason": "abusive",
            "_selected_action": [comment.pk],
            **confirmation,
        },
    )

    assert status_of(comment) == Comment.Status.APPROVED


def test_a_decision_from_a_comment_page_shown_before_another_one_is_refused(first, other):
    comment = CommentFactory()
    change = reverse("admin:comments_comment_change", args=[comment.pk])
    assert 'name="seen" value="pending"' in first.get(change).content.decode()

    moderation.mark_spam(comment, moderator=other)
    refused = first.post(change, {"decision": "approve", "reason": "", "seen": "pending"})

    assert refused.status_code == 200
    assert "Another moderator decided this comment after this page was shown" in text(refused)
    assert "it is now spam" in text(refused)
    assert status_of(comment) == Comment.Status.SPAM
    # The page shown again says what is true now: deciding from it is deciding on that.
    assert 'name="seen" value="spam"' in refused.content.decode()
    first.post(change, {"decision": "approve", "reason": "", "seen": "spam"})
    assert status_of(comment) == Comment.Status.APPROVED


def test_a_decision_from_a_current_comment_page_is_made(first):
    comment = CommentFactory()
    change = reverse("admin:comments_comment_change", args=[comment.pk])

    first.post(change, {"decision": "spam", "reason": "", "seen": "pending"})

    assert status_of(comment) == Comment.Status.SPAM


@given(
    st.dictionaries(
        st.one_of(st.text(max_size=30), st.from_regex(r"seen-[0-9a-z\-]{0,25}", fullmatch=True)),
        st.one_of(st.text(max_size=20), st.sampled_from(Comment.Status.values)),
        max_size=8,
    )
)
def test_what_a_page_sends_back_is_read_as_ids_and_statuses_or_left_out(data):
    found = moderation.seen_statuses(data)

    for pk, status in found.items():
        assert 0 < pk < 2**63 and status in Comment.Status.values
        assert data[f"seen-{pk}"] == status


def test_a_decision_made_in_the_instant_after_the_page_was_checked_is_not_made(rf, moderator):
    """Another moderator decides between the form's check and the save: the row lock
    and the status the page showed still keep their decision."""
    comment = CommentFactory()
    model_admin = admin.site._registry[Comment]
    request = rf.post("/")
    request.user = moderator
    request.session = {}
    request._messages = FallbackStorage(request)
    form = model_admin.get_form(request, comment)(
        {"decision": "approve", "reason": "", "seen": "pending"}, instance=comment
    )
    assert form.is_valid()

    moderation.mark_spam(Comment.objects.get(pk=comment.pk), moderator=moderator)
    model_admin.save_model(request, comment, form, change=True)

    assert status_of(comment) == Comment.Status.SPAM
    assert "it is now spam" in " ".join(str(m) for m in get_messages(request))


def test_a_bulk_decision_on_a_comment_deleted_outright_meanwhile_says_so(first, other):
    kept, erased = CommentFactory(), CommentFactory()
    shown = seen_on(first.get(DESK))

    moderation.delete_outright(erased, reason="personal-data", moderator=other)
    response = first.post(
        BULK, {"action": "approve", "selected": [kept.pk, erased.pk], **shown}, follow=True
    )

    assert "1 comment approved." in text(response)
    assert "1 deleted outright, left as it is." in text(response)
    assert "unchanged" not in text(response)
    assert status_of(erased) == Comment.Status.REJECTED


@pytest.mark.parametrize("action", ["approve_selected", "mark_spam_selected"])
def test_select_all_never_decides_a_comment_the_page_did_not_show(first, action):
    shown_comments = CommentFactory.create_batch(2)
    page = first.get(CHANGELIST)
    shown = seen_on(page)
    arrived_later = CommentFactory()  # after the page was shown: nobody has read it

    response = first.post(
        CHANGELIST,
        {
            "action": action,
            "select_across": "1",
            "_selected_action": [c.pk for c in shown_comments],
            **shown,
        },
        follow=True,
    )

    assert status_of(arrived_later) == Comment.Status.PENDING
    assert all(status_of(c) != Comment.Status.PENDING for c in shown_comments)
    assert "1 comment the page did not show was left undecided" in text(response)


def test_select_all_then_reject_lists_and_rejects_only_what_the_page_showed(first):
    shown_comment = CommentFactory()
    shown = seen_on(first.get(CHANGELIST))
    arrived_later = CommentFactory()
    data = {
        "action": "reject_selected",
        "select_across": "1",
        "_selected_action": [shown_comment.pk],
    }

    confirmation = first.post(CHANGELIST, {**data, **shown})
    assert seen_on(confirmation) == shown
    first.post(CHANGELIST, {**data, **shown, "apply": "1", "reason": "abusive"})

    assert status_of(shown_comment) == Comment.Status.REJECTED
    assert status_of(arrived_later) == Comment.Status.PENDING
