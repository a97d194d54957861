"""The desk's workflow (issue 9): states, articles/publishing.py, scheduled publishing."""

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from articles import page_cache, publishing
from articles.importers import import_article
from articles.models import Article, Transition

from ..factories import ArticleFactory, SectionFactory
from .admin_forms import article_change_data
from .desk import contributor_with_profile, staff_in

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def editor():
    return staff_in("Editors", "eddie")


@pytest.fixture
def contributor():
    return contributor_with_profile()


def draft_change_data(article, section, *, body):
    """The change form of an undated ``article`` whose one ``section`` now reads ``body``."""
    tags = ", ".join(tag.name for tag in article.tags.all())
    return {**article_change_data(article, section, body=body), "tags": tags}


def stored(article):
    return Article.objects.values_list("status", "published_at").get(pk=article.pk)


def public_surfaces(client, article):
    """What each public surface shows of ``article``: a status code or whether it is named."""
    tag, author = "zqdesk", article.author.slug
    return {
        "page": client.get(article.get_absolute_url()).status_code,
        "home": article.title in client.get("/").content.decode(),
        "feed": article.title in client.get("/feed/").content.decode(),
        "atom": article.title in client.get("/feed/atom/").content.decode(),
        "sitemap": article.slug in client.get("/sitemap.xml").content.decode(),
        "search": article.title in client.get("/search/?q=Zqharbour").content.decode(),
        "tag page": client.get(f"/tags/{tag}/").status_code,
        "tag feed": client.get(f"/tags/{tag}/feed/").status_code,
        "author page": client.get(f"/authors/{author}/").status_code,
    }


HIDDEN = {
    "page": 404,
    "home": False,
    "feed": False,
    "atom": False,
    "sitemap": False,
    "search": False,
    "tag page": 404,
    "tag feed": 404,
    "author page": 404,
}
SHOWN = {name: (200 if value == 404 else True) for name, value in HIDDEN.items()}


def test_contributor_submits_editor_requests_changes_then_schedules_and_it_appears_at_its_time(
    client, editor, contributor, monkeypatch
):
    user, profile = contributor
    article = ArticleFactory(
        author=profile, title="Zqharbour politics", slug="harbours", tags=["Zqdesk"]
    )
    section = SectionFactory(article=article, heading="Ports", body="Zqharbour cranes.")

    publishing.submit(article, by=user)
    with pytest.raises(publishing.NotAllowed):
        publishing.publish(article, by=user)
    with pytest.raises(publishing.NotAllowed):
        publishing.schedule(article, by=user, at=timezone.now() + datetime.timedelta(days=1))
    assert stored(article) == (Status.REVIEW, None)

    publishing.request_changes(article, by=editor, note="Cite the port authority's figures.")
    assert article.status == Status.DRAFT

    # The contributor reads the note in the admin, revises, and submits again.
    client.force_login(user)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert "Cite the port authority" in client.get(change_url).content.decode()
    data = draft_change_data(article, section, body="Zqharbour cranes, per the authority.")
    response = client.post(change_url, {**data, "_transition": "submit"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert article.sections.get().body == "Zqharbour cranes, per the authority."
    client.logout()

    at = timezone.now() + datetime.timedelta(hours=2)
    publishing.schedule(article, by=editor, at=at)
    assert stored(article) == (Status.SCHEDULED, at)
    assert public_surfaces(client, article) == HIDDEN

    monkeypatch.setattr(timezone, "now", lambda: at + datetime.timedelta(seconds=1))
    assert public_surfaces(client, article) == SHOWN
    assert list(article.transitions.values_list("from_status", "to_status", "by")) == [
        (Status.REVIEW, Status.SCHEDULED, editor.pk),
        (Status.DRAFT, Status.REVIEW, user.pk),
        (Status.REVIEW, Status.DRAFT, editor.pk),
        (Status.DRAFT, Status.REVIEW, user.pk),
    ]


# What the issue allows, written out by hand: (from, move) → to.
ALLOWED = {
    (Status.DRAFT, "submit"): Status.REVIEW,
    (Status.UNPUBLISHED, "submit"): Status.REVIEW,
    (Status.REVIEW, "request_changes"): Status.DRAFT,
    (Status.DRAFT, "schedule"): Status.SCHEDULED,
    (Status.REVIEW, "schedule"): Status.SCHEDULED,
    (Status.SCHEDULED, "schedule"): Status.SCHEDULED,
    (Status.UNPUBLISHED, "schedule"): Status.SCHEDULED,
    (Status.DRAFT, "publish"): Status.PUBLISHED,
    (Status.REVIEW, "publish"): Status.PUBLISHED,
    (Status.SCHEDULED, "publish"): Status.PUBLISHED,
    (Status.UNPUBLISHED, "publish"): Status.PUBLISHED,
    (Status.PUBLISHED, "unpublish"): Status.UNPUBLISHED,
    (Status.SCHEDULED, "unpublish"): Status.UNPUBLISHED,
    (Status.ARCHIVED, "unpublish"): Status.UNPUBLISHED,
    (Status.PUBLISHED, "archive"): Status.ARCHIVED,
}
TRAITS = {
    Status.DRAFT: {},
    Status.REVIEW: {"in_review": True},
    Status.SCHEDULED: {"scheduled": True},
    Status.PUBLISHED: {"published": True},
    Status.UNPUBLISHED: {"unpublished": True},
    Status.ARCHIVED: {"archived": True},
}
OPTIONS = {
    "request_changes": {"note": "Shorter, please."},
    "schedule": {"at": timezone.now() + datetime.timedelta(days=30)},
}


@pytest.mark.parametrize(
    ("state", "move"),
    list(itertools.product(Status, ["submit", *OPTIONS, "publish", "unpublish", "archive"])),
)
def test_each_move_goes_where_the_issue_says_or_is_refused_and_changes_nothing(editor, state, move):
    article = ArticleFactory(**TRAITS[state])
    before = stored(article)
    function = getattr(publishing, move)

    if (state, move) in ALLOWED:
        function(article, by=editor, **OPTIONS.get(move, {}))
        assert stored(article)[0] == ALLOWED[state, move]
        assert Transition.objects.filter(article=article, by=editor).count() == 1
    else:
        with pytest.raises(publishing.TransitionError) as refused:
            function(article, by=editor, **OPTIONS.get(move, {}))
        assert article.title in str(refused.value)
        assert stored(article) == before
        assert not Transition.objects.exists()


def test_a_scheduled_article_whose_time_has_come_is_archived_like_a_published_one(editor):
    live = ArticleFactory(scheduled=True)
    Article.objects.filter(pk=live.pk).update(published_at=timezone.now())

    publishing.archive(live, by=editor)

    assert stored(live)[0] == Status.ARCHIVED


def test_a_schedule_years_ahead_is_refused(editor):
    article = ArticleFactory(in_review=True)

    with pytest.raises(publishing.TransitionError, match="five years"):
        publishing.schedule(article, by=editor, at=timezone.now() + datetime.timedelta(days=9000))

    assert stored(article) == (Status.REVIEW, None)


def test_a_schedule_in_the_past_or_without_a_time_is_refused(editor):
    article = ArticleFactory(in_review=True)

    for at in [timezone.now() - datetime.timedelta(minutes=1), None]:
        with pytest.raises(publishing.TransitionError, match="time"):
            publishing.schedule(article, by=editor, at=at)

    assert stored(article) == (Status.REVIEW, None)
    assert not Transition.objects.exists()


def test_request_changes_needs_a_note(editor):
    article = ArticleFactory(in_review=True)

    with pytest.raises(publishing.TransitionError, match="note"):
        publishing.request_changes(article, by=editor, note="   ")

    assert stored(article) == (Status.REVIEW, None)


def test_publishing_stamps_the_date_once_and_republishing_keeps_it(editor):
    article = ArticleFactory()
    publishing.publish(article, by=editor)
    first = article.published_at
    assert first is not None

    publishing.unpublish(article, by=editor)
    article.title = "Saved again while unpublished"
    article.save()
    publishing.publish(article, by=editor)

    assert stored(article) == (Status.PUBLISHED, first)


def test_publishing_a_scheduled_article_early_dates_it_now(editor):
    article = ArticleFactory(scheduled=True)
    before = timezone.now()

    publishing.publish(article, by=editor)

    assert before <= stored(article)[1] <= timezone.now()


def test_saving_an_article_never_publishes_or_dates_it():
    article = ArticleFactory()
    article.status = Status.PUBLISHED

    with pytest.raises(Exception, match="article_public_state_has_date"):
        article.save()


def test_every_move_renders_public_pages_afresh(editor, monkeypatch):
    calls = []
    monkeypatch.setattr(page_cache, "content_changed", lambda: calls.append(1))
    article = ArticleFactory(in_review=True)

    publishing.publish(article, by=editor)
    publishing.archive(article, by=editor)
    publishing.unpublish(article, by=editor)

    assert len(calls) == 3


def test_an_archived_article_is_readable_but_closed_to_comments(client):
    # Archived yesterday: comments are closed by the state, not by age.
    article = ArticleFactory(
        archived=True,
        title="Zqold analysis",
        published_at=timezone.now() - datetime.timedelta(days=1),
    )

    page = client.get(article.get_absolute_url())
    posted = client.post(
        reverse("comments:post", args=[article.slug]),
        {"name": "Reader", "email": "r@example.org", "body": "Still relevant?"},
    )

    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    assert posted.status_code == 403
    assert article.comments.count() == 0


def test_the_system_may_move_articles_and_is_logged_as_nobody():
    article = ArticleFactory()

    publishing.publish(article)

    assert article.transitions.get().by is None


def test_import_publish_with_a_future_date_schedules_the_article(tmp_path):
    later = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    path = tmp_path / "later.md"
    path.write_text(
        f"---\ntitle: Held back\nauthor: Kit Later\ndate: {later.isoformat()}\n---\n"
        "Lede.\n\n## One\n\nText.\n"
    )

    article = import_article(path, publish=True).article

    assert stored(article) == (Status.SCHEDULED, later)
    assert article.transitions.get().to_status == Status.SCHEDULED


def test_loaddemo_publishes_through_publishing_once():
    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", verbosity=0)

    articles = Article.objects.all()
    assert {article.status for article in articles} == {Status.PUBLISHED}
    assert Transition.objects.count() == articles.count()


class TestScheduleAnyMoment(HypothesisTestCase):
    @settings(max_examples=40, deadline=None)
    # Future moments start a minute ahead, so the test's own run time cannot reach them.
    @given(
        offset=st.one_of(
            st.integers(min_value=-10 * 365 * 86_400, max_value=0),
            st.integers(min_value=60, max_value=10 * 365 * 86_400),
        )
    )
    def test_a_moment_not_in_the_future_is_refused_a_future_one_is_public_from_then(self, offset):
        """A past moment and one more than five years ahead are refused; any other is public
        from its time on."""
        article = ArticleFactory(in_review=True)
        now = timezone.now()
        at = now + datetime.timedelta(seconds=offset)

        if offset <= 0 or at > now + publishing.MAX_SCHEDULE_AHEAD:
            with pytest.raises(publishing.TransitionError):
                publishing.schedule(article, at=at)
            assert stored(article) == (Status.REVIEW, None)
            return
        publishing.schedule(article, at=at)
        assert not Article.objects.published().filter(pk=article.pk).exists()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda: at)
            assert Article.objects.published().filter(pk=article.pk).exists()
