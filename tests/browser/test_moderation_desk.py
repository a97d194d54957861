"""The moderation desk by keyboard alone: a moderator clears a queue of 20 mixed comments."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, ModerationDecision
from tests.factories import ArticleFactory, CommentFactory

from .axe import assert_no_blocking_violations
from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESK = "/admin/comments/comment/desk/"
REASON_KEYS = {"off-topic": "1", "abusive": "2", "personal-data": "4"}
# What the moderator decides for the 20 comments, newest first (the order of the queue).
PLAN = ["approve", "reject:off-topic", "spam", "approve", "reject:abusive"] * 4


def build_queue():
    article = ArticleFactory(published=True, title="Ice, shipping and sovereignty")
    now = timezone.now()
    comments = []
    for n, decision in enumerate(PLAN):
        comments.append(
            CommentFactory(
                article=article,
                body=f"Comment {n:02d}: {decision} me.",
                created_at=now - datetime.timedelta(minutes=n + 1),
                held_reasons=["too-many-links"] if n % 7 == 3 else [],
            )
        )
    return comments


def expect_counts(page, **counts):
    for tab, n in counts.items():
        expect(page.locator(f"a[data-tab='{tab}'] .tab-count")).to_have_text(f"({n})")
    waiting = counts["pending"] + counts["held"] + counts.get("reported", 0)
    expect(page.locator("#waiting-count")).to_have_text(str(waiting))
    menu = page.locator("#nav-sidebar .pending-count")
    expect(menu).to_have_text(f"({waiting} waiting)")


def press(page, *keys):
    with page.expect_navigation():
        for key in keys:
            page.keyboard.press(key)


def test_a_moderator_clears_twenty_comments_by_keyboard(page, moderator):
    comments = build_queue()
    held = [c for n, c in enumerate(comments) if n % 7 == 3]
    log_in(page, moderator)
    page.goto(DESK)
    expect(page.get_by_text("j / k: next / previous card")).to_be_attached()
    assert_no_blocking_violations(page)

    left = {"pending": 20 - len(held), "held": len(held)}
    done = {"approved": 0, "rejected": 0, "spam": 0, "featured": 0}
    for tab in ["pending", "held"]:
        page.goto(f"{DESK}?tab={tab}")
        while left[tab]:
            card = page.locator(".desk-card").first
            expect(card).to_be_focused()
            body = card.locator(".desk-body").inner_text()
            decision = PLAN[int(re.search(r"Comment (\d+)", body).group(1))]
            if decision == "approve":
                press(page, "a")
                done["approved"] += 1
            elif decision == "spam":
                press(page, "s")
                done["spam"] += 1
            else:
                press(page, "r", REASON_KEYS[decision.split(":")[1]])
                done["rejected"] += 1
            left[tab] -= 1
            expect(page.locator(".messagelist")).to_contain_text(body[:20])
            expect_counts(page, **left, **done)

    # Feature two of the approved comments: j moves, f features.
    page.goto(f"{DESK}?tab=approved")
    expect(page.locator(".desk-card").first).to_be_focused()
    press(page, "f")
    done["featured"] += 1
    expect_counts(page, **left, **done)
    # The page comes back at the next card; j and k move from there.
    expect(page.locator(".desk-card").nth(1)).to_be_focused()
    for key in ["j", "j", "k"]:
        page.keyboard.press(key)
    expect(page.locator(".desk-card").nth(2)).to_be_focused()
    press(page, "f")
    done["featured"] += 1
    expect_counts(page, **left, **done)
    expect(page.locator(".desk-card .desk-status", has_text="featured")).to_have_count(2)

    assert Comment.objects.waiting().count() == 0
    assert Comment.objects.featured().count() == 2
    rejected = Comment.objects.filter(status="rejected")
    assert sorted(rejected.values_list("removal_reason", flat=True)) == sorted(
        [p.split(":")[1] for p in PLAN if p.startswith("reject")]
    )
    assert ModerationDecision.objects.filter(moderator=moderator).count() == 22


def test_the_first_j_starts_at_the_first_card(page, moderator):
    newest = build_queue()[0]
    log_in(page, moderator)
    page.goto(DESK)
    cards = page.locator(".desk-card")

    page.keyboard.press("j")
    expect(cards.first).to_be_focused()
    page.keyboard.press("j")
    expect(cards.nth(1)).to_be_focused()

    # With no card focused at all (the moderator clicked beside them), j starts at the first.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    expect(cards.first).to_be_focused()
    assert cards.first.get_attribute("id") == f"card-{newest.pk}"
