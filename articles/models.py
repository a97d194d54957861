"""
Articles, their sections and figures, and the authors who write them.

An article's body is a list of sections ordered by ``position``. A level-3
section nests under the level-2 section before it; the table of contents and
the page are both built from that one list. Markdown is rendered and sanitised
when a section (or an author's bio) is saved, never per request.
"""

import math
import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from .json_rows import JSONRows, prefetch_rows
from .markdown import count_words, plain_text, render_markdown

# Ids the article page uses for itself (templates/base.html, articles/,
# comments/, includes/). A section anchor never takes one of them, so a
# heading such as "Comments" cannot hijack the page's own links, and no
# anchor ends in "-heading" because each section's <h2> id adds that suffix.
RESERVED_ANCHORS = frozenset(
    {
        "main",
        "content",
        "toc",
        "comments",
        "comment-form",
        "comment-list",
        "about-author",
        "related",
        "notes",
        "footnotes",
        "corrections",
        "site-search-q",
        "search-q",
        "top",
    }
)
_RESERVED_ANCHOR_PATTERN = re.compile(r"^(?:comment-\d+|.*-heading|id_.*)$")


def is_reserved_anchor(anchor):
    return anchor in RESERVED_ANCHORS or bool(_RESERVED_ANCHOR_PATTERN.match(anchor))


def numbered(base, taken, refused=None):
    """``base``, else ``base-2``, ``base-3``…: the first not in ``taken`` nor ``refused``."""
    candidate, number = base, 2
    while candidate in taken or (refused is not None and refused(candidate)):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class AuthorQuerySet(models.QuerySet):
    def public(self):
        """Authors the public may know of: those with at least one published article."""
        return self.filter(Exists(Article.objects.published().filter(author=OuterRef("pk"))))


def public_tags():
    """Tags the public may know of: carried by a published article, with a usable slug.

    Tags come from django-taggit, so this is a function rather than a method
    of a queryset class of ours; views, feeds and the sitemap all call it.
    """
    in_published_use = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type__app_label="articles",
        content_type__model="article",
        object_id__in=Article.objects.published().values("pk"),
    )
    return Tag.objects.exclude(slug="").filter(Exists(in_published_use))


TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length


def tag_name_problem(name):
    """Why ``name`` cannot be a tag (a sentence for editors), or "" when it can.

    A tag needs a letter or digit for its address (/tags/<slug>/), and must
    fit taggit's column: PostgreSQL refuses a longer name outright.
    """
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in name):
        return f"Tag “{name[:40]}” contains a line break or an invisible control character."
    if len(name) > TAG_NAME_MAX_LENGTH:
        return f"Tag “{name[:40]}…” is longer than {TAG_NAME_MAX_LENGTH} characters."
    if not slugify(name, allow_unicode=True):
        return f"Tag “{name}” needs at least one letter or digit."
    return ""


class Author(models.Model):
    # Public profile
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    job_title = models.CharField(max_length=120, blank=True)
    company = models.CharField(max_length=120, blank=True)
    bio = MarkdownxField(blank=True, help_text="Markdown. Shown on the author page and box.")
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(
        upload_to="authors/",
        blank=True,
        width_field="avatar_width",
        height_field="avatar_height",
        help_text="Square portrait, at least 240 × 240 pixels.",
    )
    avatar_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    avatar_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Private details, for the newsroom only: never rendered on a public page.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    postal_address = models.TextField(blank=True)
    birth_date = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:140] or "author"
        self.bio_html = render_markdown(self.bio, id_prefix=f"bio-{self.slug}")
        super().save(*args, **kwargs)


class SocialLink(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="social_links")
    position = models.PositiveSmallIntegerField(default=0)
    platform = models.CharField(max_length=40, help_text="For example LinkedIn, Mastodon, X.")
    url = models.URLField("URL", max_length=300)
    handle = models.CharField(max_length=100, blank=True)
    followers = models.PositiveIntegerField(null=True, blank=True)
    following = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.platform}: {self.handle or self.url}"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published and not dated in the future."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_word_count(self):
        words = (
            Section.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(total=Sum("word_count"))
            .values("total")
        )
        return self.annotate(
            word_count=Coalesce(Subquery(words), 0) + models.F("standfirst_word_count")
        )

    def for_card(self):
        """What a list shows of an article: author and reading time, not the search vectors."""
        return self.select_related("author").defer(*SEARCH_FIELDS).with_word_count()

    def for_listing(self):
        return self.for_card().prefetch_related("tags")

    def for_detail(self):
        """An article page's rows in two queries, whatever their number.

        The article with its author, reading time, tags, figures and the
        author's social links (``articles.json_rows``), then its sections.
        """
        queryset = (
            self.for_card()
            .annotate(
                tag_rows=JSONRows(
                    Tag.objects.filter(
                        taggit_taggeditem_items__content_type__app_label="articles",
                        taggit_taggeditem_items__content_type__model="article",
                        taggit_taggeditem_items__object_id=OuterRef("pk"),
                    ).values(*_attnames(Tag))
                ),
                figure_rows=JSONRows(
                    Figure.objects.filter(article=OuterRef("pk")).values(*_attnames(Figure))
                ),
                link_rows=JSONRows(
                    SocialLink.objects.filter(author=OuterRef("author_id")).values(
                        *_attnames(SocialLink)
                    )
                ),
            )
            .prefetch_related("sections")
        )
        queryset._iterable_class = DetailIterable
        return queryset

    def tagged(self, tag_slug):
        return self.filter(tags__slug=tag_slug)

    def matching(self, terms):
        """Articles whose title, standfirst, sections, tags or author mention every term.

        Sections are matched on their rendered text, so nothing an editor hid
        from readers (an HTML comment, say) can be found. ``terms`` come from
        ``articles.search.search_query``, which bounds their number. On
        PostgreSQL the stored ``search_vector`` answers (English stemming,
        the reader's quotes, ``or`` and ``-word`` understood); elsewhere each
        term is a case-insensitive substring.
        """
        if connection.vendor == "postgresql":
            return self.filter(search_vector=reader_query(terms))
        matches = self
        for term in terms:
            found_in = Article.objects.filter(
                Q(title__icontains=term)
                | Q(standfirst__icontains=term)
                | Q(sections__heading__icontains=term)
                | Q(sections__body_text__icontains=term)
                | Q(tags__name__icontains=term)
                | Q(author__name__icontains=term)
            ).values("pk")
            matches = matches.filter(pk__in=found_in)
        return matches

    def searched(self, terms):
        """``matching(terms)``, best first: by weighted rank on PostgreSQL, else newest first."""
        matches = self.matching(terms)
        if connection.vendor != "postgresql":
            return matches
        # Ranked on the short texts only: see the docstring of articles.search.
        rank = SearchRank(models.F("rank_vector"), reader_query(terms))
        return matches.annotate(rank=rank).order_by("-rank", "-published_at", "-id")


def _attnames(model):
    return [field.attname for field in model._meta.concrete_fields]


class DetailIterable(ModelIterable):
    """Articles from ``for_detail()``, with the rows fetched as JSON in place."""

    def __iter__(self):
        for article in super().__iter__():
            prefetch_rows(article, "tags", Tag, article.tag_rows, order_by=["id"])
            order = ["position", "id"]
            prefetch_rows(article, "figures", Figure, article.figure_rows, order_by=order)
            prefetch_rows(
                article.author, "social_links", SocialLink, article.link_rows, order_by=order
            )
            yield article


# Full-text search (PostgreSQL): English stemming, so "sanctions" finds "sanction".
SEARCH_CONFIG = "english"
# Large, and read only by search: pages leave them in the database.
SEARCH_FIELDS = ("search_vector", "rank_vector")


def reader_query(terms):
    """A tsquery from bounded reader terms by websearch_to_tsquery, which never fails to parse."""
    return SearchQuery(" ".join(terms), search_type="websearch", config=SEARCH_CONFIG)


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL. SQLite has no GIN: there it is a plain index on the
    column, which stays NULL (search falls back to substrings), so that a table
    rebuilt by a later SQLite migration never meets ``USING gin``."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The address: /articles/<slug>/")
    standfirst = models.TextField(
        help_text="The lede: one or two sentences that say what the piece argues. Plain text."
    )
    standfirst_word_count = models.PositiveIntegerField(default=0, editable=False)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True, help_text="Comma-separated, for example: Arctic, NATO")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set automatically when first published. A future date holds the article back.",
    )
    comments_open = models.BooleanField(
        default=True, help_text="Untick to close comments on this article."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Weighted text for PostgreSQL full-text search, and its title-to-headings
    # part for ranking; filled by articles.search.refresh_search_vector(),
    # NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    rank_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            SearchVectorIndex(fields=["search_vector"], name="article_search_vector_gin"),
            SearchVectorIndex(fields=["rank_vector"], name="article_rank_vector_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        # As in Django's own docs: date published items that have no date yet.
        self._stamp_publication()

    def save(self, *args, **kwargs):
        self._stamp_publication()
        self.standfirst_word_count = count_words(self.standfirst)
        super().save(*args, **kwargs)

    def _stamp_publication(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def was_updated(self):
        """True when the article changed noticeably after publication."""
        if not self.published_at or not self.updated_at:
            return False
        return (self.updated_at - self.published_at).total_seconds() > 3600

    @property
    def reading_minutes(self):
        words = getattr(self, "word_count", None)
        if words is None:
            words = self.standfirst_word_count + sum(s.word_count for s in self.sections.all())
        return max(1, math.ceil(words / settings.READING_WORDS_PER_MINUTE))

    def table_of_contents(self):
        """Sections as a tree: ``[(section, [subsections]), ...]`` in page order."""
        tree = []
        for section in self.sections.all():
            if section.level == Section.Level.SUBSECTION and tree:
                tree[-1][1].append(section)
            else:
                tree.append((section, []))
        return tree

    def body(self):
        """The page body as a tree of ``SectionBlock``, each with its figures.

        Figures tied to a section follow it; the rest follow the last section.
        Uses the prefetched sections and figures, so it costs no query.
        """
        figures_by_section = {}
        trailing = []
        for figure in self.figures.all():
            if figure.section_id:
                figures_by_section.setdefault(figure.section_id, []).append(figure)
            else:
                trailing.append(figure)
        tree = []
        for section, children in self.table_of_contents():
            tree.append(
                SectionBlock(
                    section,
                    figures_by_section.get(section.pk, []),
                    [
                        SectionBlock(child, figures_by_section.get(child.pk, []), [])
                        for child in children
                    ],
                )
            )
        return tree, trailing

    # Related reading looks among this many of the latest articles sharing a
    # tag: a tag on tens of thousands of articles must not make the page slow.
    RELATED_CANDIDATES = 200

    def related(self, limit=3):
        """Published articles sharing the most tags with this one, among the latest that share one.

        One query, whatever the number of tags or articles (issue 8: it took
        0.3 s at 100,000 articles as a join): the latest tagged rows by id
        (an index on ``tag_id``), the latest ``RELATED_CANDIDATES`` of those
        published, each ranked by an index look-up of the tags it shares.
        """
        tag_ids = [tag.pk for tag in self.tags.all()]
        if not tag_ids:
            return []
        tagged = TaggedItem.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            tag_id__in=tag_ids,
        )
        recent = tagged.exclude(object_id=self.pk).order_by("-object_id").values("object_id")
        candidates = (
            Article.objects.published()
            .filter(pk__in=Subquery(recent[: self.RELATED_CANDIDATES * len(tag_ids)]))
            .order_by("-published_at", "-pk")
            .values("pk")[: self.RELATED_CANDIDATES]
        )
        shared_tags = (
            tagged.filter(object_id=OuterRef("pk"))
            .order_by()
            .values("object_id")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return list(
            Article.objects.filter(pk__in=Subquery(candidates))
            .for_card()
            .annotate(shared_tags=Subquery(shared_tags))
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )


class SectionBlock:
    """A section with the figures that follow it and its nested subsections."""

    __slots__ = ("section", "figures", "children")

    def __init__(self, section, figures, children):
        self.section = section
        self.figures = figures
        self.children = children


class Section(models.Model):
    class Level(models.IntegerChoices):
        SECTION = 2, "Section"
        SUBSECTION = 3, "Subsection (nested under the section before it)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(
        default=0, help_text="Sections are shown in ascending order."
    )
    heading = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=Level, default=Level.SECTION)
    # Null only until save() derives it, so that several new sections left
    # blank in one admin form do not collide on "" in the uniqueness check.
    anchor = models.SlugField(  # noqa: DJ001
        max_length=80,
        null=True,
        blank=True,
        help_text="Leave blank to derive it from the heading. "
        "Changing it breaks links that readers have shared.",
    )
    body = MarkdownxField(blank=True, help_text="Markdown. Footnotes: text[^1] … [^1]: Source.")
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(
        blank=True, editable=False, help_text="What readers see of the body, for search."
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "anchor"], name="section_anchor_unique"),
            models.CheckConstraint(condition=Q(level__in=[2, 3]), name="section_level_2_or_3"),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def clean(self):
        if self.anchor and is_reserved_anchor(self.anchor):
            raise ValidationError(
                {"anchor": "The page uses this address itself; choose another or leave it blank."}
            )

    def save(self, *args, **kwargs):
        if not self.anchor or is_reserved_anchor(self.anchor):
            self.anchor = self._unique_anchor()
        self.body_html = render_markdown(self.body, id_prefix=self.anchor)
        self.body_text = plain_text(self.body_html)
        self.word_count = count_words(self.heading) + count_words(self.body)
        super().save(*args, **kwargs)

    @staticmethod
    def anchor_base(heading):
        """The anchor a heading gives before any ``-2`` that keeps it unique."""
        return slugify(heading)[:70].strip("-") or "section"

    def _unique_anchor(self):
        taken = set(
            Section.objects.filter(article_id=self.article_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        return numbered(
            self.anchor_base(self.heading), taken | RESERVED_ANCHORS, is_reserved_anchor
        )


class Figure(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
        help_text="The section this figure follows. Blank: after the last section.",
    )
    position = models.PositiveIntegerField(default=0)
    image = models.ImageField(
        upload_to="figures/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        max_length=300,
        help_text="What the image shows, for readers who cannot see it. Required.",
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Source or photographer.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption[:60] or self.alt_text[:60]

    def clean(self):
        if self.section_id and self.article_id and self.section.article_id != self.article_id:
            raise ValidationError({"section": "Choose a section of this article."})
