import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments.models import Comment, comments_are_open, render_body

from ..factories import ArticleFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_only_approved_comments_are_public():
    article = ArticleFactory(published=True)
    approved = CommentFactory(article=article, approved=True)
    CommentFactory(article=article)
    CommentFactory(article=article, rejected=True)
    CommentFactory(article=article, spam=True)

    assert list(Comment.objects.approved()) == [approved]


def test_a_reply_nests_one_level_deeper_and_answers_its_parents_section():
    section = SectionFactory(article=ArticleFactory(published=True))
    parent = CommentFactory(article=section.article, section=section, approved=True)

    reply = CommentFactory(article=section.article, parent=parent)
    reply_to_reply = CommentFactory(article=section.article, parent=reply)

    assert (parent.depth, reply.depth, reply_to_reply.depth) == (0, 1, 2)
    assert reply.section == section and reply_to_reply.section == section
    assert parent.accepts_replies and reply.accepts_replies
    assert not reply_to_reply.accepts_replies, "three levels at most by default"


def test_maximum_depth_is_a_setting(settings):
    settings.COMMENTS_MAX_DEPTH = 2
    reply = CommentFactory(reply=True)

    assert not reply.accepts_replies


def test_body_keeps_paragraphs_and_links_urls_for_readers_not_search_engines():
    html = render_body("First thought.\n\nSee https://example.org/report for more.")

    assert html.startswith("<p>First thought.</p>")
    assert (
        '<a href="https://example.org/report" rel="nofollow ugc noopener">'
        "https://example.org/report</a>" in html
    )


def test_html_and_script_in_a_body_are_shown_as_text():
    html = render_body('<script>alert("x")</script> <b onclick="steal()">bold</b>')

    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b onclick=&quot;steal()&quot;&gt;bold&lt;/b&gt;" in html


def test_a_crafted_link_cannot_break_out_of_its_attribute():
    html = render_body('https://example.org/"onmouseover="alert(1) and www.example.org/<img>')

    assert 'onmouseover="' not in html
    assert "<img" not in html


ALLOWED_TAG = r"</?(p|br|a)( href=\"[^\"]*\" rel=\"nofollow ugc noopener\")?\s*/?>"


TRICKY_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "www.",
        "example.org",
        "/path?a=1&b=2",
        "<",
        ">",
        '"',
        "'",
        "&",
        "javascript:",
        "@",
        ".",
        " ",
        "\n",
        "\n\n",
        "<script>",
        "</a>",
        "&amp;",
        "(",
        ")",
    ]
)
BODIES = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(TRICKY_PIECES, max_size=40).map("".join),
)


@hypothesis_settings(max_examples=400, deadline=None)
@given(BODIES)
def test_any_body_renders_with_only_paragraphs_breaks_and_nofollow_links(text):
    import re

    html = render_body(text)

    assert re.sub(ALLOWED_TAG, "", html).count("<") == 0


def test_comments_close_when_the_article_says_so_or_after_the_setting_days(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    now = timezone.now()
    fresh = ArticleFactory(published=True, published_at=now - datetime.timedelta(days=29))
    old = ArticleFactory(published=True, published_at=now - datetime.timedelta(days=31))
    closed = ArticleFactory(published=True, comments_open=False)
    draft = ArticleFactory()

    assert comments_are_open(fresh)
    assert not comments_are_open(old)
    assert not comments_are_open(closed)
    assert not comments_are_open(draft)

    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert comments_are_open(old), "0 days: never close by age"


def test_removal_counts_are_by_reason_and_ignore_unconfirmed_spam():
    article = ArticleFactory(published=True)
    CommentFactory.create_batch(
        2, article=article, rejected=True, removal_reason=Comment.RemovalReason.ABUSIVE
    )
    CommentFactory(article=article, spam=True)
    CommentFactory(article=article, status=Comment.Status.SPAM, held_reasons=["mostly-links"])
    CommentFactory(article=article, approved=True)

    counts = Comment.objects.for_article(article).removal_counts()

    assert counts == {"abusive": 2, "spam": 1}


def test_approved_counts_by_article_take_one_query(django_assert_num_queries):
    first, second, quiet = ArticleFactory.create_batch(3, published=True)
    CommentFactory.create_batch(3, article=first, approved=True)
    CommentFactory(article=second, approved=True)
    CommentFactory(article=second)

    with django_assert_num_queries(1):
        counts = Comment.objects.approved_counts_by_article([first, second, quiet])

    assert counts == {first.pk: 3, second.pk: 1}


def test_email_addresses_in_a_body_are_not_turned_into_links():
    html = render_body("Write to someone@example.org about it.")

    assert "someone@example.org" in html
    assert "mailto:" not in html


def _fields_named_by(constraint):
    if getattr(constraint, "fields", None):
        return set(constraint.fields)
    return {lookup.split("__")[0] for lookup, _ in constraint.condition.children}


def test_every_constraint_names_only_fields_the_reader_form_skip_knows():
    """Comment.validate_constraints skips forms that set none of CONSTRAINED_FIELDS: a
    constraint on another field must be added to them, or it would go unchecked."""
    for constraint in Comment._meta.constraints:
        assert _fields_named_by(constraint) <= Comment.CONSTRAINED_FIELDS, constraint.name


def test_a_form_that_sets_the_status_still_has_it_checked():
    comment = CommentFactory.build(article=ArticleFactory(published=True), status="bogus")
    with pytest.raises(ValidationError, match="comment_status_known"):
        comment.validate_constraints(exclude={"article", "fingerprint"})
    comment.validate_constraints(exclude=set(Comment.CONSTRAINED_FIELDS))  # the reader's form
