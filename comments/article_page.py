"""
What the comments app gives the article pages: registered in ``CommentsConfig.ready()``
with ``articles.discussion.register`` (see that module for the contract).

The article views call these and pass the results to their templates; the
template tags in ``comments_tags`` only render what they are given.
"""

from .discussion import DEFAULT_SORT, Discussion
from .forms import CommentForm
from .models import Comment, comments_are_open


class ArticlePageDiscussion:
    """The discussion, the form, the list counts and the post, for ``articles.discussion``."""

    def receive_comment(self, request, slug):
        """A comment posted to the article's address: the same view as ``comments:post``."""
        from .views import post_comment  # the view module imports this one's neighbours

        return post_comment(request, slug)

    def discussion(self, article, *, page=1, sort=None):
        """The approved discussion, one page of threads in one order: one query."""
        return Discussion.for_article(article, page=page, sort=sort or DEFAULT_SORT)

    def comment_form(self, request, article, *, shared=False, posted=None):
        """The form (or the closed notice) for this reader, as ``comments/comment_form.html``
        renders it.

        ``posted`` holds a refused post's ``comment_form`` (with its errors) and
        ``comment_notice``; otherwise a fresh form, with the parent or section
        chosen by the ``?reply_to=<id>`` or ``?section=<anchor>`` of a "Reply" or
        "Respond to this section" link. A reply costs one query for its parent.
        A ``shared`` page (one rendering for many readers) gets the default form
        whatever its own query string.
        """
        posted = posted or {}
        query = request.GET if request is not None and not shared else {}
        form = posted.get("comment_form")
        replying_to = None
        reply_unavailable = False
        if form is None and comments_are_open(article):
            initial = {}
            wanted = _as_int(query.get("reply_to"))
            if wanted is not None:
                parent = _approved_parent(article, wanted)
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
                replying_to = _approved_parent(article, wanted)
        return {
            "article": article,
            "form": form,
            "replying_to": replying_to,
            "reply_unavailable": reply_unavailable,
            "notice": posted.get("comment_notice", ""),
        }

    def comment_counts(self, articles):
        """``{article id: approved comments}`` for a page of articles, in one query."""
        return Comment.objects.approved_counts_by_article(articles)


def _approved_parent(article, pk):
    return Comment.objects.approved().filter(article=article, pk=pk).first()


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
