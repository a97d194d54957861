"""
Comments on pages the articles app renders, without the articles app knowing.

The article page asks once for ``{% discussion_for article as discussion %}``
(two queries, whatever the number of comments) and passes the result to the
other tags and to the table of contents. List pages call
``{% annotate_comment_counts article_list %}`` once, then each card reads
``article.approved_comment_count``.
"""

from django import template

from ..discussion import Discussion
from ..forms import CommentForm
from ..models import Comment, comments_are_open

register = template.Library()


@register.simple_tag
def discussion_for(article, page=1, sort="oldest"):
    """The discussion with the threads of one page (``page``: the ``?comments=`` number)
    in one order (``sort``: the ``?sort=`` value, ``Discussion.SORTS``)."""
    return Discussion.for_article(article, page=page, sort=sort)


@register.filter
def responses_to(discussion, section):
    """The number of approved responses to a section: ``discussion|responses_to:section``."""
    return discussion.responses_to(section) if discussion else 0


@register.inclusion_tag("comments/discussion.html")
def comments_section(discussion):
    """Approved comments in threads and the removals line; the same for every reader."""
    return {"discussion": discussion, "article": discussion.article}


@register.inclusion_tag("comments/comment_form.html", takes_context=True)
def comment_form_section(context, article):
    """The form, or a closed notice, for this reader (never part of a cached page).

    Uses ``comment_form`` from the context when a post is being re-rendered
    with errors; otherwise a fresh form, with the parent or section chosen by
    the ``?reply_to=<id>`` or ``?section=<anchor>`` of a "Reply" or "Respond
    to this section" link. A reply costs one query for its parent. A page
    shared by many readers (``shared_page`` in the context) gets the default
    form whatever its own query string.
    """
    request = context.get("request")
    query = request.GET if request is not None and not context.get("shared_page") else {}
    form = context.get("comment_form")
    is_open = comments_are_open(article)
    reply_unavailable = False
    replying_to = None
    if form is None and is_open:
        initial = {}
        wanted = _as_int(query.get("reply_to"))
        if wanted is not None:
            parent = Comment.objects.approved().filter(article=article, pk=wanted).first()
            if parent is not None and parent.accepts_replies:
                initial["reply_to"] = parent.pk
                replying_to = parent
            else:
                reply_unavailable = True
        if query.get("section"):
            initial["section"] = query.get("section")
        form = CommentForm(article=article, initial=initial)
    elif form is not None:
        replying_to = form.parent
        wanted = _as_int(form["reply_to"].value())
        if replying_to is None and wanted is not None:
            replying_to = Comment.objects.approved().filter(article=article, pk=wanted).first()
    return {
        "article": article,
        "form": form,
        "replying_to": replying_to,
        "reply_unavailable": reply_unavailable,
        "notice": context.get("comment_notice", ""),
    }


@register.inclusion_tag("comments/section_links.html")
def section_response_links(discussion, section):
    """ "Respond to this section", and a link to its responses when it has any."""
    return {
        "discussion": discussion,
        "article": discussion.article,
        "section": section,
        "count": discussion.responses_to(section),
    }


@register.simple_tag
def annotate_comment_counts(articles):
    """Set ``approved_comment_count`` on each article of a page, in one query."""
    articles = list(articles)
    counts = Comment.objects.approved_counts_by_article(articles)
    for article in articles:
        article.approved_comment_count = counts.get(article.pk, 0)
    return ""


@register.simple_tag
def pending_comment_count():
    """Everything waiting for a human: pending, held by rules, reported."""
    return Comment.objects.waiting().count()


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
