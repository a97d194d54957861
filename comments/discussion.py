"""
What a page shows of an article's comments, built from a fixed number of queries.

One query fetches the approved comments, oldest first, and the removed ones
(for the quiet "3 comments removed" line, counted by reason); threads, the
count and each section's count of responses are built from that list in
Python, so the page costs the same with 0 comments as with 200.

Threads come in one of ``SORTS`` (``?sort=`` on the article page): oldest
first (the default), newest first, or threads holding an editors' pick first.
Replies stay oldest first under their comment whatever the sort. Editors'
picks are also listed on their own above the threads.
"""

from collections import Counter

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .models import Comment, comments_are_open

SORTS = ("oldest", "newest", "featured")
DEFAULT_SORT = "oldest"


class Thread:
    """A comment and the approved replies under it."""

    __slots__ = ("comment", "replies")

    def __init__(self, comment):
        self.comment = comment
        self.replies = []


class Discussion:
    """An article's approved comments: counts over all of them, threads one page at a time."""

    def __init__(
        self, article, comments, *, section=None, page=1, removal_counts=None, sort=DEFAULT_SORT
    ):
        self.article = article
        self.sort = sort if sort in SORTS else DEFAULT_SORT
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
        threads = self._sorted(self._threads(comments), self.sort)
        self._all_threads = threads
        self.page = Paginator(threads, settings.COMMENTS_THREADS_PER_PAGE).get_page(page)
        self.threads = list(self.page.object_list)

    @classmethod
    def for_article(cls, article, *, section=None, page=1, sort=DEFAULT_SORT):
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
        return cls(article, approved, page=page, removal_counts=dict(removal_counts), sort=sort)

    @cached_property
    def picks(self):
        """Editors' picks, oldest first, each with ``link``: its place in this sort's pages.

        Worked out from the threads in memory (no query per pick)."""
        per_page = settings.COMMENTS_THREADS_PER_PAGE
        page_of = {}
        for index, thread in enumerate(self._all_threads):
            for comment in _comments_in(thread):
                page_of[comment.pk] = index // per_page + 1
        picks = [comment for comment in self.comments if comment.featured]
        base = self.article.get_absolute_url()
        for pick in picks:
            query = [f"comments={page_of[pick.pk]}"] if page_of[pick.pk] > 1 else []
            if self.sort != DEFAULT_SORT:
                query.append(f"sort={self.sort}")
            pick.link = f"{base}{'?' + '&'.join(query) if query else ''}#comment-{pick.pk}"
        return picks

    @property
    def sorts(self):
        """(value, label, current) for the sort links."""
        labels = {"oldest": "Oldest first", "newest": "Newest first", "featured": "Editors' picks"}
        return [(value, labels[value], value == self.sort) for value in SORTS]

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
    def _sorted(threads, sort):
        if sort == "newest":
            return threads[::-1]
        if sort == "featured":
            # Stable: picked threads first, each group oldest first.
            return sorted(threads, key=lambda thread: not _has_pick(thread))
        return threads

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


def _has_pick(thread):
    return thread.comment.featured or any(_has_pick(reply) for reply in thread.replies)


def _comments_in(thread):
    yield thread.comment
    for reply in thread.replies:
        yield from _comments_in(reply)
