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

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from places.models import Actor, Country, Region

from . import renditions
from .addresses import address
from .json_rows import JSONRows, prefetch_rows, sorted_rows
from .markdown import count_words, number_notes, plain_text, render_markdown, render_section

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
TITLE_WITHOUT_LETTERS = "A title needs at least one letter or digit."


def has_a_letter_or_digit(text):
    """False for a title that would show as nothing or as punctuation only (a zero-width
    space pasted alone, a row of dashes): readers could not tell the article by it."""
    return any(char.isalnum() for char in text or "")


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
    # The login that writes as this author, so a contributor's "own" articles
    # have a meaning; a profile without a login stays possible.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The staff login that writes as this author (contributors edit only "
        "articles of their own profile). Leave blank for an author without a login.",
    )
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
        return address("articles:author", slug=self.slug)

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
        """What the public may see: a public state (published, archived, or
        scheduled) whose publication time has come. A scheduled article thus
        appears everywhere at its time, with no cron, and never before."""
        return self.filter(status__in=Article.PUBLIC_STATES, published_at__lte=timezone.now())

    def front_page_lead(self):
        """The published article an editor chose to lead the front page (the newest
        chosen), else the newest published one; None when nothing is published.

        Archived articles stay readable but never lead, chosen or not: an archive
        is the desk saying the piece is no longer news.
        """
        current = self.published().exclude(status=Article.Status.ARCHIVED)
        chosen_first = current.order_by("-lead_story", "-published_at", "-id")
        return chosen_first.for_listing().prefetch_related("figures").first()

    def most_discussed(self, *, since=None, limit=5):
        """Published articles with the most approved comments (since ``since``, if
        given), most first, each with ``discussed_comments``; none without a comment.

        Comments are counted through the ``comments`` relation with the comments
        app's own ``approved()`` filter, looked up when called: articles never
        imports comments (STYLE.md).
        """
        approved = apps.get_model("comments", "Comment").objects.approved()
        if since is not None:
            approved = approved.filter(created_at__gte=since)
        counted = (
            approved.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            self.published()
            .select_related("author")
            .defer(*SEARCH_FIELDS)
            .annotate(discussed_comments=Subquery(counted))
            .filter(discussed_comments__gt=0)
            .order_by("-discussed_comments", "-published_at", "-id")[:limit]
        )

    def editable_by(self, user):
        """Articles ``user`` may open in the desk: every one for editors (who may
        publish), their own (author linked to their login) for contributors."""
        if user.has_perm("articles.publish_article"):
            return self
        if user.is_authenticated and user.has_perm("articles.change_article"):
            return self.filter(author__user=user)
        return self.none()

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

    def for_results(self):
        """A search result's rows: ``for_card()``, and the article's tags as ``tag_list``.

        A list, not ``tags.all()``: to hold prefetched tags Django builds each
        article's ``tags.all()`` queryset, and taggit's is several joins of ORM
        work, about 3 ms of CPU for a page of ten results (issue 8).
        """
        return self.for_card().prefetch_related(Prefetch("tags", to_attr="tag_list"))

    def for_feed(self):
        return self.for_listing().prefetch_related("corrections")

    def for_detail(self):
        """An article page's rows in two queries, whatever their number.

        The article with its author, reading time, tags, figures, correction
        notes, the author's social links, the countries, regions and actors it
        is about, and the header's top-level regions (``articles.json_rows``),
        then its sections.
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
                correction_rows=JSONRows(
                    Correction.objects.filter(article=OuterRef("pk")).values(*_attnames(Correction))
                ),
                link_rows=JSONRows(
                    SocialLink.objects.filter(author=OuterRef("author_id")).values(
                        *_attnames(SocialLink)
                    )
                ),
                country_rows=JSONRows(
                    Country.objects.filter(articles=OuterRef("pk")).values(*_attnames(Country))
                ),
                region_rows=JSONRows(
                    Region.objects.filter(articles=OuterRef("pk")).values(*_attnames(Region))
                ),
                actor_rows=JSONRows(
                    Actor.objects.filter(articles=OuterRef("pk")).values(*_attnames(Actor))
                ),
                # The header's region links (templates/includes/region_nav.html),
                # folded in here so that the page stays at four queries uncached.
                region_nav_rows=JSONRows(
                    Region.objects.filter(parent=None).values(*_attnames(Region))
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
                article,
                "corrections",
                Correction,
                article.correction_rows,
                order_by=["published_at", "id"],
            )
            prefetch_rows(
                article.author, "social_links", SocialLink, article.link_rows, order_by=order
            )
            prefetch_rows(article, "countries", Country, article.country_rows, order_by=["name"])
            prefetch_rows(article, "regions", Region, article.region_rows, order_by=["name"])
            prefetch_rows(article, "actors", Actor, article.actor_rows, order_by=["name"])
            article.region_nav = sorted_rows(Region, article.region_nav_rows, ["order", "name"])
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
        # Moves between them are the functions of articles/publishing.py.
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        ARCHIVED = "archived", "Archived"

    # States the public may read once ``published_at`` has come (``published()``).
    PUBLIC_STATES = (Status.SCHEDULED, Status.PUBLISHED, Status.ARCHIVED)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The address: /articles/<slug>/")
    standfirst = models.TextField(
        help_text="The lede: one or two sentences that say what the piece argues. Plain text."
    )
    standfirst_word_count = models.PositiveIntegerField(default=0, editable=False)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True, help_text="Comma-separated, for example: Arctic, NATO")
    # What the article is about (places/): its pages, maps and feeds list it.
    countries = models.ManyToManyField(
        "places.Country",
        blank=True,
        related_name="articles",
        help_text="The countries this piece is about, not every one it mentions.",
    )
    regions = models.ManyToManyField(
        "places.Region",
        blank=True,
        related_name="articles",
        help_text="Regions the piece is about as a whole (not needed for its countries).",
    )
    actors = models.ManyToManyField(
        "places.Actor",
        blank=True,
        related_name="articles",
        help_text="Leaders, states, alliances, organisations or companies the piece is about.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when the article is first published, or to the time it is scheduled for.",
    )
    comments_open = models.BooleanField(
        default=True, help_text="Untick to close comments on this article."
    )
    lead_story = models.BooleanField(
        "Lead on the front page",
        default=False,
        help_text="Tick to open the front page with this article while it is published. "
        "When several are ticked, the most recently published leads; when none is, the newest.",
    )
    material_update_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last marked a save as a material update (shown as Updated).",
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
            # Newest first across every public state (published, archived, scheduled):
            # search walks it to the newest matches, lists to their first page (issue 8).
            models.Index(fields=["-published_at", "-id"], name="article_newest_first"),
            SearchVectorIndex(fields=["search_vector"], name="article_search_vector_gin"),
            SearchVectorIndex(fields=["rank_vector"], name="article_rank_vector_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published", "archived"])
                | Q(published_at__isnull=False),
                name="article_public_state_has_date",
            )
        ]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and archive articles"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("articles:detail", slug=self.slug)

    def save(self, *args, **kwargs):
        # The status and publication date are set by articles/publishing.py only.
        self.standfirst_word_count = count_words(self.standfirst)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # The cascade deletes the figures without Figure.delete(): discard here,
        # in the delete's transaction, so that files go only if the rows do.
        with transaction.atomic():
            renditions.discard_renditions(list(self.figures.all()))
            return super().delete(*args, **kwargs)

    @property
    def is_published(self):
        """The instance-level twin of ``ArticleQuerySet.published()``."""
        return (
            self.status in self.PUBLIC_STATES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def accepts_comments(self):
        """Public, not archived, and comments not closed by an editor."""
        return self.comments_open and self.is_published and self.status != self.Status.ARCHIVED

    @property
    def updated_on(self):
        """When readers were last told of a change: the latest note or material update.

        Only moments after publication count, and never ``updated_at``, which
        moves on every save (articles/corrections.py). Reads the prefetched
        ``corrections``. None when there is nothing to tell.
        """
        if not self.published_at:
            return None
        moments = [note.published_at for note in self.corrections.all()]
        if self.material_update_at:
            moments.append(self.material_update_at)
        return max((m for m in moments if m > self.published_at), default=None)

    @property
    def was_updated(self):
        """True when a correction or update note exists, or an editor marked a material update."""
        return self.updated_on is not None

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
        """The page body: a tree of ``SectionBlock``, the trailing figures and the notes.

        Figures tied to a section follow it; the rest follow the last section.
        Footnotes are numbered once across the sections in reading order and
        returned as one list of ``articles.markdown.Note`` (issue 9). Uses the
        prefetched sections and figures, so it costs no query.
        """
        figures_by_section = {}
        trailing = []
        for figure in self.figures.all():
            if figure.section_id:
                figures_by_section.setdefault(figure.section_id, []).append(figure)
            else:
                trailing.append(figure)
        sections = list(self.sections.all())
        numbered_html, notes = number_notes(
            [(section.body_html, section.notes) for section in sections]
        )
        html = {section.pk: text for section, text in zip(sections, numbered_html, strict=True)}

        def block(section, children=()):
            figures = figures_by_section.get(section.pk, [])
            return SectionBlock(section, html[section.pk], figures, [block(c) for c in children])

        tree = [block(section, children) for section, children in self.table_of_contents()]
        return tree, trailing, notes

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
    """A section, its HTML with notes numbered for the page, the figures that
    follow it and its nested subsections."""

    __slots__ = ("section", "html", "figures", "children")

    def __init__(self, section, html, figures, children):
        self.section = section
        self.html = html
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
    body = MarkdownxField(
        blank=True,
        help_text="Markdown. Footnotes: text[^1] … [^1]: Source. "
        "The page numbers them across the article and lists them under “Notes”.",
    )
    # The body with <!--fn:N--> where it cites its Nth note, and the notes'
    # HTML in the order the body first cites them (articles.markdown).
    body_html = models.TextField(blank=True, editable=False)
    notes = models.JSONField(default=list, blank=True, editable=False)
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
        self.body_html, self.notes = render_section(self.body)
        self.body_text = plain_text(" ".join([self.body_html, *self.notes]))
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


def _unique_renditions(renditions):
    return list({rendition["name"]: rendition for rendition in renditions}.values())


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
    # Smaller copies of the image, made on save (articles/renditions.py):
    # [{"width": 480, "height": 300, "name": "figures/…-480w.png"}, …], narrowest first.
    renditions = models.JSONField(default=list, blank=True, editable=False)
    # The image the renditions were made from: a new image gets new ones.
    renditions_of = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption[:60] or self.alt_text[:60]

    def save(self, *args, **kwargs):
        """Save, with renditions of the image as stored (articles/renditions.py).

        The stored row, not this instance, says which rendition files exist: an
        instance built from an old revision or a stale copy may carry a list of
        files deleted since. Same image as stored: keep the stored renditions.
        A new image, or no stored row: make new ones; what the stored row or this
        instance listed goes once the save commits.
        """
        image = self.image.name or ""
        stored = None
        if self.pk is not None:
            stored = (
                Figure.objects.filter(pk=self.pk)
                .values("image", "renditions", "renditions_of")
                .first()
            )
        if stored and stored["image"] == image:
            self.renditions, self.renditions_of = stored["renditions"], stored["renditions_of"]
        else:
            # A new image, or a row written again from a copy (a restored
            # revision): make renditions afresh.
            stored_renditions = stored["renditions"] if stored else []
            self.renditions = _unique_renditions(stored_renditions + self.renditions)
            self.renditions_of = ""
        if image != self.renditions_of:
            # Store a new upload now, as FileField.pre_save would, so that the
            # renditions are made from (and named after) the stored file.
            if self.image and not self.image._committed:
                self.image.save(self.image.name, self.image.file, save=False)
            renditions.make_renditions(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "renditions", "renditions_of"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            # The stored list: this instance's may predate `make_renditions --all`.
            stored = Figure.objects.filter(pk=self.pk).values_list("renditions", flat=True)
            self.renditions = stored.first() or []
            renditions.discard_renditions([self])
            return super().delete(*args, **kwargs)

    def clean(self):
        if self.section_id and self.article_id and self.section.article_id != self.article_id:
            raise ValidationError({"section": "Choose a section of this article."})

    def srcset(self):
        """``srcset`` candidates: every rendition, then the original at its own width."""
        candidates = [(r["name"], r["width"]) for r in self.renditions]
        if self.width:
            candidates.append((self.image.name, self.width))
        storage = self.image.storage
        return ", ".join(f"{storage.url(name)} {width}w" for name, width in candidates)

    @property
    def image_url(self):
        """``src`` for browsers without ``srcset``: a mid-width rendition, else the original."""
        return self._url_at_least(renditions.FALLBACK_WIDTH)

    @property
    def image_url_for_sharing(self):
        """The copy for ``og:image``: at least 1200 px wide when the original is, in its format."""
        return self._url_at_least(renditions.SHARING_WIDTH)

    def _url_at_least(self, width):
        for rendition in self.renditions:
            if rendition["width"] >= width:
                return self.image.storage.url(rendition["name"])
        return self.image.url


class Transition(models.Model):
    """One move of an article between states, written by articles/publishing.py.

    The log of who moved it, when, and why: a "request changes" note is the
    one the contributor reads in the admin.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Article.Status)
    to_status = models.CharField(max_length=20, choices=Article.Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: done by the system (importer, command, demo loader).",
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


# Models kept in modules of their own, imported here so Django registers them.
from .corrections import Correction  # noqa: E402, F401
from .previews import PreviewLink  # noqa: E402, F401
