"""
What a page shows of an article's comments, built from a fixed number of queries.

One query fetches the approved comments, oldest first, and the removed ones
(for the quiet "3 comments removed" line, counted by reason); threads, the
count and each section's count of responses are built from that list in
Python, so the page costs the same with 0 comments as with 200.
"""

from collections import Counter

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .models import Comment, comments_are_open


class Thread:
    """A comment and the approved replies under it."""

    __slots__ = ("comment", "replies")

    def __init__(self, comment):
        self.comment = comment
        self.replies = []


class Discussion:
    """An article's approved comments: counts over all of them, threads one page at a time."""

    def __init__(self, article, comments, *, section=None, page=1, removal_counts=None):
        self.article = article
        if removal_counts is not None:
            self.removal_counts = removal_counts
        self.section = section
        self.comments = comments
        self.by_id = {comment.pk: comment for comment in comments}
        self.section_counts = Counter(c.section_id for c in comments if c.section_id)
        sections = {s.pk: s for s in article.sections.all()}
        for comment in comments:
            # The section it answers, from the article's prefetched sections.
            comment.responds_to = sections.get(comment.section_id)
        threads = self._threads(comments)
        self.page = Paginator(threads, settings.COMMENTS_THREADS_PER_PAGE).get_page(page)
        self.threads = list(self.page.object_list)

    @classmethod
    def for_article(cls, article, *, section=None, page=1):
        """One query for a whole article (removed comments come along to be counted), two
        for one section's responses."""
        if section is not None:
            comments = Comment.objects.approved().for_article(article).filter(section=section)
            return cls(article, list(comments.for_thread()), section=section, page=page)
        rows = (Comment.objects.approved() | Comment.objects.removed()).for_article(article)
        approved, removal_counts = [], Counter()
        for comment in rows.for_thread():
            if comment.status == Comment.Status.APPROVED:
                approved.append(comment)
            else:
                removal_counts[comment.removal_reason] += 1
        return cls(article, approved, page=page, removal_counts=dict(removal_counts))

    @property
    def count(self):
        return len(self.comments)

    @cached_property
    def is_open(self):
        return comments_are_open(self.article)

    @cached_property
    def removal_counts(self):
        return Comment.objects.for_article(self.article).removal_counts()

    @cached_property
    def removed_summary(self):
        """For example "3 comments removed: 2 abusive, 1 spam"; empty when none were."""
        counts = self.removal_counts
        total = sum(counts.values())
        if not total:
            return ""
        labels = dict(Comment.RemovalReason.choices)
        parts = [
            f"{n} {labels.get(code, code)}"
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        noun = "comment" if total == 1 else "comments"
        return f"{total} {noun} removed: {', '.join(parts)}"

    def responses_to(self, section):
        return self.section_counts.get(getattr(section, "pk", section), 0)

    @staticmethod
    def _threads(comments):
        nodes = {comment.pk: Thread(comment) for comment in comments}
        roots = []
        for comment in comments:
            parent = nodes.get(comment.parent_id)
            if parent is None:
                # Top level, or a reply whose parent is no longer public.
                roots.append(nodes[comment.pk])
            else:
                parent.replies.append(nodes[comment.pk])
        return roots
