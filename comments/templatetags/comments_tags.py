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
from ..models import Comment

register = template.Library()


@register.simple_tag
def discussion_for(article):
    return Discussion.for_article(article)


@register.filter
def responses_to(discussion, section):
    """The number of approved responses to a section: ``discussion|responses_to:section``."""
    return discussion.responses_to(section) if discussion else 0


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def comments_section(context, discussion):
    """Approved comments in threads, the removals line, and the form or a closed notice.

    Uses ``comment_form`` from the context when a post is being re-rendered
    with errors; otherwise a fresh form, with the parent or section chosen by
    the ``?reply_to=<id>`` or ``?section=<anchor>`` of a "Reply" or "Respond
    to this section" link.
    """
    request = context.get("request")
    query = request.GET if request is not None else {}
    form = context.get("comment_form")
    reply_unavailable = False
    if form is None and discussion.is_open:
        initial = {}
        wanted = _as_int(query.get("reply_to"))
        parent = discussion.by_id.get(wanted)
        if parent is not None and parent.accepts_replies:
            initial["reply_to"] = parent.pk
        elif wanted is not None:
            reply_unavailable = True
        if query.get("section"):
            initial["section"] = query.get("section")
        form = CommentForm(article=discussion.article, initial=initial)
    replying_to = discussion.by_id.get(_as_int(form["reply_to"].value())) if form else None
    return {
        "discussion": discussion,
        "article": discussion.article,
        "form": form,
        "replying_to": replying_to,
        "reply_unavailable": reply_unavailable,
        "notice": context.get("comment_notice", ""),
        "csrf_token": context.get("csrf_token"),
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
    return Comment.objects.pending().count()


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
