"""The written-out statement a post reads its article with (comments/post_query.py).

It repeats four rules the ORM holds elsewhere; each test here holds it to one
of them, with the ORM's own answer as the expected value.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from comments import commenters, posting, surge
from comments.models import Commenter, StrictMode
from comments.post_query import article_taking_post

from ..factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

SOME = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOUR = datetime.timedelta(hours=1)
ZERO = datetime.timedelta(0)


# Every state with a past, a future and no date (a public state always has one).
STATES_AND_DATES = [
    (status, offset)
    for status in Article.Status
    for offset in (-HOUR, HOUR, None)
    if offset is not None or status not in Article.PUBLIC_STATES
]


@pytest.mark.parametrize(("status", "offset"), STATES_AND_DATES)
def test_only_an_article_readers_may_see_takes_a_post(status, offset):
    """published(): a public state whose time has come; a draft with a past date, an
    unpublished article keeping its date and a scheduled one not yet due take nothing."""
    published_at = None if offset is None else timezone.now() + offset
    article = ArticleFactory(status=status, published_at=published_at)
    visible = Article.objects.published().filter(pk=article.pk).exists()
    found = article_taking_post(article.slug)
    assert (found is not None) == visible
    if visible:
        assert found.pk == article.pk


def test_the_article_comes_with_its_fields_as_the_orm_gives_them():
    article = ArticleFactory(published=True, comments_open=False)
    found = article_taking_post(article.slug)
    stored = Article.objects.get(pk=article.pk)
    assert (found.slug, found.status, found.published_at) == (
        stored.slug,
        stored.status,
        stored.published_at,
    )
    assert found.comments_open is False
    assert found.get_absolute_url() == stored.get_absolute_url()


@pytest.mark.parametrize(
    ("since", "until"),
    [(-HOUR, None), (-HOUR, HOUR), (-2 * HOUR, -HOUR), (HOUR, None), (HOUR, 2 * HOUR)],
)
def test_strict_mode_is_on_only_while_a_period_is_in_force(since, until):
    article = ArticleFactory(published=True)
    other = ArticleFactory(published=True)
    now = timezone.now()
    StrictMode.objects.create(
        article=article, since=now + since, until=None if until is None else now + until
    )
    StrictMode.objects.create(article=other, since=now - HOUR)  # another article's surge
    assert article_taking_post(article.slug).strict == surge.is_strict(article.pk)
    assert article_taking_post(article.slug).strict == (
        since < datetime.timedelta(0) and (until is None or until > datetime.timedelta(0))
    )


@SOME
@given(
    typed=st.sampled_from(
        [
            "banned@example.net",
            " Banned@Example.NET ",
            "BANNED@EXAMPLE.NET",
            "other@example.net",
            "",
        ]
    ),
    standing=st.sampled_from(list(Commenter.Standing)),
)
def test_the_senders_standing_is_that_of_the_address_in_any_case(typed, standing):
    article = ArticleFactory(published=True)
    Commenter.objects.update_or_create(email="banned@example.net", defaults={"standing": standing})
    found = article_taking_post(article.slug, sender_email=typed)
    assert found.sender_standing == commenters.standing_of(typed)


@pytest.mark.parametrize(
    ("email", "body", "age", "expected"),
    [
        ("reader@example.net", "The same words.", 10, True),
        ("READER@example.NET", "  The same words.\r\n", 10, True),
        ("reader@example.net", "Other words.", 10, False),
        ("reader@example.net", "The same words.", 10_000, False),  # outside the window
        ("", "The same words.", 10, False),
        ("reader@example.net", "", 10, False),
        ("someone@example.net", "The same words.", 10, False),
    ],
)
def test_the_early_duplicate_check_is_is_duplicate(settings, email, body, age, expected):
    settings.COMMENTS_DUPLICATE_WINDOW = 600
    article = ArticleFactory(published=True)
    earlier = CommentFactory(email="reader@example.net", body="The same words.")  # elsewhere
    earlier.created_at = timezone.now() - datetime.timedelta(seconds=age)
    earlier.save(update_fields=["created_at"])
    found = article_taking_post(article.slug, sender_email=email, body=body)
    assert found.sent_before == posting.is_duplicate(email=email, body=body) == expected


@SOME
@given(
    email=st.text(st.characters(blacklist_categories=["Cs"]), max_size=40),
    body=st.text(st.characters(blacklist_categories=["Cs"]), max_size=60),
)
def test_whatever_was_typed_the_statement_agrees_with_the_orm(email, body):
    """Case, percent signs, underscores and quotes as the ORM reads them; what PostgreSQL
    cannot take (a NUL byte) is left unknown (None), for the post to ask again."""
    article = ArticleFactory(published=True)
    CommentFactory(email="o'brien_%@example.net", body="50% of it; that's all")
    found = article_taking_post(article.slug, sender_email=email, body=body)
    if "\x00" in email or "\x00" in body:
        assert found.sent_before is None
    else:
        assert found.sent_before == posting.is_duplicate(email=email, body=body)
    if "\x00" in email:
        assert found.sender_standing is None
    else:
        assert found.sender_standing == commenters.standing_of(email)


@pytest.mark.parametrize(
    ("email", "body", "unknown"),
    [
        ("nul\x00@example.net", "Words.", {"sender_standing", "sent_before"}),
        ("reader@example.net", "nul\x00words", {"sent_before"}),
        ("x" * 255 + "@example.net", "Words.", {"sender_standing", "sent_before"}),
        ("reader@example.net", "w" * 5001, {"sent_before"}),
        (" " * 300 + "reader@example.net", "Words." + " " * 6000, set()),
    ],
)
def test_what_cannot_be_looked_up_is_unknown_never_a_clean_answer(email, body, unknown):
    """Padding the form strips is looked up stripped; anything else the statement could
    not look up is None, so the post asks again of what the form accepted."""
    article = ArticleFactory(published=True)
    found = article_taking_post(article.slug, sender_email=email, body=body)
    answers = {"sender_standing": found.sender_standing, "sent_before": found.sent_before}
    assert {name for name, value in answers.items() if value is None} == unknown


@pytest.mark.parametrize("slug", ["", "no-such-article", "x" * 300, "nul\x00byte", "'; --"])
def test_an_address_that_is_no_article_finds_nothing(slug):
    ArticleFactory(published=True)
    assert article_taking_post(slug) is None
